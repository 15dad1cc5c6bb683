// Workers sharing a group.id never run the same connectors without knowing it.
//
// A worker outside the cluster (standalone with connector files on the command line, or
// `sluice.cluster.enable=false`) still joins `group.id`, as a member the cluster never gives work:
// its client.id is `single-worker:<id>` and it subscribes to the offsets topic, never the config
// topic, so it can neither lead (the config topic's partition 0 makes the leader) nor be assigned
// a connector (it announces no plugins). Once the group is described:
// - a single worker refuses to run beside any other member;
// - a cluster worker refuses to run beside a single worker.
// Whoever joins later refuses, since the earlier member stays in the group for as long as it runs;
// two that join at the same moment may both refuse (loudly), never both run. A member that died
// without leaving (kill -9) stays in the group until its session expires: such members are waited
// for up to session.timeout.ms (and a margin) before the refusal, so a worker restarted at once
// after a crash starts, a little later.
//
// Threads: blocking calls, any thread; the membership returned has its own poll thread.
#ifndef SLUICE_RUNTIME_CLUSTER_SINGLE_WORKER_GUARD_H_
#define SLUICE_RUNTIME_CLUSTER_SINGLE_WORKER_GUARD_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "runtime/cluster/group_membership.h"
#include "runtime/common/log.h"

namespace sluice::cluster {

// A single worker's client.id in the group starts with this.
inline constexpr char kSingleWorkerPrefix[] = "single-worker:";

// Joins `options.group_id` as a single worker (`options.topic` must be the offsets topic, its
// worker_id the worker's id, prefixed here) and waits, at most `timeout`, until the group is
// described (then as above for other members to leave). The membership must live as long as the worker runs connectors. FailedPrecondition
// naming the other members and what to do when the group has any; DeadlineExceeded when the
// group could not be joined in time.
absl::StatusOr<std::unique_ptr<GroupMembership>> JoinAsSingleWorker(MembershipOptions options,
                                                                     absl::Duration timeout,
                                                                     LogSink log);

// For a cluster worker that just started its membership: waits, at most `timeout`, until the group
// is described (then as above for a single worker to leave), then FailedPrecondition naming the
// single worker when one is a member; DeadlineExceeded when the group was not described in time.
absl::Status RefuseBesideSingleWorker(const GroupMembership& membership, absl::Duration timeout,
                                      LogSink log);

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_SINGLE_WORKER_GUARD_H_
