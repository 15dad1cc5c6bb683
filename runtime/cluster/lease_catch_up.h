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
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/cluster/group_membership.h"
#include "runtime/cluster/leader_catch_up.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::cluster {

class LeaseCatchUp {
 public:
  // As LeaderCatchUp's: the config topic read to its current end, a failed read keeping what it
  // consumed for the next call.
  using ReadToEnd = LeaderCatchUp::ReadToEnd;

  explicit LeaseCatchUp(ReadToEnd read) : reads_(std::move(read)) {}

  // `before`: the membership's view, taken before this call. When its lease runs and was taken
  // since the last read to the end began, reads to the end: the records read when the read
  // succeeded, else nullopt (also when no read was due); a failure is kept in last_failure() and
  // the read retried at the next Step.
  std::optional<std::vector<kafka::KeyedRecord>> Step(const MembershipView& before) {
    return reads_.Step(Key(before));
  }
  // Whether Step(before) reads: the lease runs and was taken since the last read to the end.
  bool Due(const MembershipView& before) const {
    return Key(before) != 0 && !reads_.CaughtUp(Key(before));
  }

  // Whether work may start now from what was read, `now` the view taken now: the lease runs and
  // was not taken again since the last read to the end began (under a running lease).
  bool Current(const MembershipView& now) const { return reads_.CaughtUp(Key(now)); }
  // Failed reads since the lease was last taken (for the log: the first is logged).
  int failures() const { return reads_.failures(); }
  const std::string& last_failure() const { return reads_.last_failure(); }

 private:
  // A lease's key for the once-per-key read: 0 (none) while it does not run.
  static uint64_t Key(const MembershipView& view) {
    return view.lease_valid ? static_cast<uint64_t>(view.lease_takes) + 1 : 0;
  }

  // The same read to the end once per key, with its failures kept, as a new leader's once per
  // term: keyed here by the lease's take.
  LeaderCatchUp reads_;
};

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_LEASE_CATCH_UP_H_
