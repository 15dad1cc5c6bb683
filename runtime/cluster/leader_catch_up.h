// A new leader reads the config topic to its end before it acts as leader: before it computes an
// assignment and before it admits a write (Kafka Connect's leader refuses requests until its
// read to the end succeeded). A read that fails is retried at the next step, and until one
// succeeds every leader write answers "retry".
//
// Threads: not thread-safe; the herder thread owns it (through ClusterCoordinator).
#ifndef SLUICE_RUNTIME_CLUSTER_LEADER_CATCH_UP_H_
#define SLUICE_RUNTIME_CLUSTER_LEADER_CATCH_UP_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::cluster {

class LeaderCatchUp {
 public:
  // Reads the config topic to its current end: the records not returned before, in order. A
  // failed read must keep what it consumed for the next call (TopicTail::CatchUp does).
  using ReadToEnd = std::function<absl::StatusOr<std::vector<kafka::KeyedRecord>>()>;

  explicit LeaderCatchUp(ReadToEnd read) : read_(std::move(read)) {}

  // `term`: the term this worker leads in, 0 when it does not lead. When it leads in a term not
  // caught up yet, reads to the end: the records read when the read succeeded, else nullopt
  // (also when no read was due); the failure is kept for Check and retried at the next Step.
  std::optional<std::vector<kafka::KeyedRecord>> Step(uint64_t term);

  // OK when this worker read the config topic to its end in leading term `term`; otherwise
  // Aborted (retry, Kafka Connect's 409) saying the worker is catching up with the config
  // topic, with the last read's failure.
  absl::Status Check(uint64_t term) const;
  bool CaughtUp(uint64_t term) const { return term != 0 && caught_up_term_ == term; }
  // The next Step reads to the end again (the leader's write failed and its writer is made anew).
  void Forget() { caught_up_term_ = 0; }
  // Failed reads in the current term so far (for the log: the first is logged, then a success).
  int failures() const { return failures_; }
  const std::string& last_failure() const { return last_failure_; }

 private:
  const ReadToEnd read_;
  uint64_t caught_up_term_ = 0;
  uint64_t failing_term_ = 0;
  int failures_ = 0;
  std::string last_failure_;
};

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_LEADER_CATCH_UP_H_
