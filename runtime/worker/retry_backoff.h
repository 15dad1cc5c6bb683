// The project's one retry policy for transient failures (UNAVAILABLE): wait 100 ms after the
// first failure, doubling after each further one up to 10 s (or the ceiling given); a success
// starts over. The source task applies it after a poll that returns UNAVAILABLE (so a connector
// returns UNAVAILABLE and leaves retrying to the worker, docs/connector-abi.md), between restarts
// of a task that failed transiently (ceiling `errors.retry.delay.max.ms`), the herder while its
// topics are not readable yet, and the worker while the cluster does not answer at start
// (cluster_wait.h).
//
// Threads: not thread-safe; each retrying loop owns one.
#ifndef SLUICE_RUNTIME_WORKER_RETRY_BACKOFF_H_
#define SLUICE_RUNTIME_WORKER_RETRY_BACKOFF_H_

#include <algorithm>

#include "absl/time/time.h"

namespace sluice::worker {

class RetryBackoff {
 public:
  static constexpr absl::Duration kFirst = absl::Milliseconds(100);
  static constexpr absl::Duration kMax = absl::Seconds(10);

  RetryBackoff() = default;
  // Waits grow up to `max` instead of kMax (the first wait is kFirst, or `max` when shorter).
  explicit RetryBackoff(absl::Duration max) : max_(max), next_(std::min(kFirst, max)) {}

  // After a failure: how long to wait before the next attempt. Each call doubles the next wait,
  // up to the ceiling.
  absl::Duration Next() {
    const absl::Duration wait = next_;
    next_ = std::min(next_ * 2, max_);
    return wait;
  }

  // After a success: the next failure waits kFirst again.
  void Reset() { next_ = std::min(kFirst, max_); }

 private:
  absl::Duration max_ = kMax;
  absl::Duration next_ = kFirst;
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_RETRY_BACKOFF_H_
