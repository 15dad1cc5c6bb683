// What a Watch subscriber receives: status changes and per-task throughput and progress samples,
// queued per subscriber (bounded: a subscriber that stops reading loses the oldest samples, never
// blocks the herder), and the list of subscribers every event goes to.
//
// Threads: the herder thread pushes; the subscriber's thread pops.
#ifndef SLUICE_RUNTIME_HERDER_WATCH_H_
#define SLUICE_RUNTIME_HERDER_WATCH_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/herder/connect_records.h"
#include "runtime/herder/herder_types.h"

namespace sluice::herder {

struct WatchEvent {
  enum class Kind {
    kConnectorStatus,
    kTaskStatus,
    kTaskMetrics,
    kConnectorDeleted,
    kConnectorProgress
  };
  Kind kind = Kind::kConnectorStatus;
  std::string connector;
  int task = -1;
  State state = State::kUnassigned;
  std::string trace;
  std::string worker_id;
  // kTaskMetrics: records handed to Kafka by the task so far, and the rate over the last interval.
  int64_t records_sent = 0;
  double records_per_second = 0;
  // Record bytes sent to Kafka and not yet acknowledged.
  int64_t in_flight_bytes = 0;
  // The task's latest progress report (phase, snapshot rows, lag, position), if any.
  std::optional<plugin::TaskProgress> progress = std::nullopt;
  // kConnectorProgress: the connector's committed offsets, and whether one of its tasks reports
  // the SNAPSHOT phase.
  std::vector<PartitionOffset> offsets = {};
  bool snapshot_running = false;
};

class WatchSubscription {
 public:
  static constexpr size_t kMaxQueued = 10000;

  void Push(WatchEvent event) {
    absl::MutexLock lock(&mu_);
    if (events_.size() >= kMaxQueued) events_.pop_front();
    events_.push_back(std::move(event));
  }
  // The next event, or nullopt after `timeout` without one.
  std::optional<WatchEvent> Pop(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&HasEvents, &events_), timeout);
    if (events_.empty()) return std::nullopt;
    WatchEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

 private:
  static bool HasEvents(std::deque<WatchEvent>* events) { return !events->empty(); }
  absl::Mutex mu_;
  std::deque<WatchEvent> events_ ABSL_GUARDED_BY(mu_);
};

// Every live subscription; a dropped one is forgotten at the next Publish.
class Watchers {
 public:
  void Add(std::shared_ptr<WatchSubscription> subscription) {
    absl::MutexLock lock(&mu_);
    subscriptions_.push_back(std::move(subscription));
  }
  void Publish(const WatchEvent& event) {
    absl::MutexLock lock(&mu_);
    std::vector<std::weak_ptr<WatchSubscription>> alive;
    for (auto& weak : subscriptions_) {
      if (auto subscription = weak.lock()) {
        subscription->Push(event);
        alive.push_back(weak);
      }
    }
    subscriptions_ = std::move(alive);
  }

 private:
  absl::Mutex mu_;
  std::vector<std::weak_ptr<WatchSubscription>> subscriptions_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_WATCH_H_
