// A worker starts connectors and tasks only from a view of the config topic read within the
// lease that runs now. A lease that ended (a freeze, a rebalance that outlasted it) may be taken
// again at any moment, also in the middle of a herder tick; what the worker read before then is
// from an earlier lease, in which a newer assignment may have given its work to other workers,
// written while this one could not read it. So after each take of the lease the config topic is
// read to its end, and this worker's share of the assignment (ClusterCoordinator::MyConnectors,
// MyTasks) is empty until that read succeeded, and again from the moment the lease is taken
// anew. A read that fails is retried at the next step.
//
// Threads: not thread-safe; the herder thread owns it (through ClusterCoordinator).
#ifndef SLUICE_RUNTIME_CLUSTER_LEASE_CATCH_UP_H_
#define SLUICE_RUNTIME_CLUSTER_LEASE_CATCH_UP_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/cluster/group_membership.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::cluster {

class LeaseCatchUp {
 public:
  // Reads the config topic to its current end: the records not returned before, in order. A
  // failed read must keep what it consumed for the next call (TopicTail::CatchUp does).
  using ReadToEnd = std::function<absl::StatusOr<std::vector<kafka::KeyedRecord>>()>;

  explicit LeaseCatchUp(ReadToEnd read) : read_(std::move(read)) {}

  // `before`: the membership's view, taken before this call. When its lease runs and was taken
  // since the last read to the end began, reads to the end: the records read when the read
  // succeeded, else nullopt (also when no read was due); a failure is kept in last_failure() and
  // the read retried at the next Step.
  std::optional<std::vector<kafka::KeyedRecord>> Step(const MembershipView& before);
  // Whether Step(before) reads: the lease runs and was taken since the last read to the end.
  bool Due(const MembershipView& before) const {
    return before.lease_valid && read_in_ != before.lease_takes;
  }

  // Whether work may start now from what was read, `now` the view taken now: the lease runs and
  // was not taken again since the last read to the end began (under a running lease).
  bool Current(const MembershipView& now) const {
    return now.lease_valid && read_in_ == now.lease_takes;
  }
  // Failed reads since the lease was last taken (for the log: the first is logged).
  int failures() const { return failures_; }
  const std::string& last_failure() const { return last_failure_; }

 private:
  const ReadToEnd read_;
  int64_t read_in_ = -1;  // the lease_takes of the lease the last successful read began in
  int64_t failing_in_ = -1;
  int failures_ = 0;
  std::string last_failure_;
};

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_LEASE_CATCH_UP_H_
