// What the herder's cluster mode needs each tick, in one room: the config topic followed
// (TopicTail) and the status topic, the cluster's records in it (assignment, workers' plugins, acknowledgements), the
// membership (GroupMembership), and the leader's step (NextAssignment, published only while it
// still leads). The herder applies the config records to its ConfigState, writes what this
// returns through its ConfigLog, and starts and stops connectors to match MyConnectors().
//
// Threads: not thread-safe; the herder thread owns it (the membership has its own thread).
#ifndef SLUICE_RUNTIME_CLUSTER_CLUSTER_COORDINATOR_H_
#define SLUICE_RUNTIME_CLUSTER_CLUSTER_COORDINATOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "runtime/cluster/assignment.h"
#include "runtime/cluster/topic_tail.h"
#include "runtime/cluster/group_membership.h"
#include "runtime/cluster/leader_catch_up.h"
#include "runtime/cluster/lease_catch_up.h"
#include "runtime/cluster/leader_writer.h"
#include "runtime/common/log.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::cluster {

struct ClusterOptions {
  MembershipOptions membership;
  std::string status_topic;  // status.storage.topic: every worker's statuses, followed
  std::map<std::string, std::string> producer_overrides;  // `producer.*`: the leader's writer
  absl::Duration max_delay = absl::Minutes(5);  // scheduled.rebalance.max.delay.ms
};

// What a leader would write, and the term it leads in (GroupMembership::AsLeader).
struct LeaderWrite {
  uint64_t term = 0;
  std::vector<kafka::KeyedRecord> records;
};

class ClusterCoordinator {
 public:
  // Joins the group and opens the config topic's tail.
  static absl::StatusOr<std::unique_ptr<ClusterCoordinator>> Start(ClusterOptions options,
                                                                   LogSink log);

  // The config topic's records not read yet, up to its current end, applied as Follow's are; an
  // error when that end was not reached within `timeout`. At start (everything, before anything
  // runs), and before a worker starts an exactly-once task (Kafka Connect reads to the end
  // first), so that a view left stale by a freeze never starts a task its newest generation
  // dropped.
  absl::StatusOr<std::vector<kafka::KeyedRecord>> ReadAll(absl::Duration timeout);
  // The config topic's new records. A new leader first fences every earlier leader's writer
  // (LeaderWriter), then reads the topic to its end; a worker whose lease was taken since its
  // last read to the end reads to the end too (LeaseCatchUp). The cluster's own records are
  // applied here; the herder applies all of them to its ConfigState.
  std::vector<kafka::KeyedRecord> Follow();
  // The status topic: everything up to its current end (at start), then what arrived since the
  // last call. Every worker's statuses, so any worker answers for the whole cluster.
  absl::StatusOr<std::vector<kafka::KeyedRecord>> ReadAllStatuses(absl::Duration timeout);
  std::vector<kafka::KeyedRecord> FollowStatuses();
  // Notes records this worker wrote (they come back through Follow too).
  void Wrote(const std::vector<kafka::KeyedRecord>& records);
  // `changed` (nullptr: no more calls) is called from the membership's and the config topic
  // consumer's threads when the membership changed or the config topic has new records: the herder
  // then ticks at once instead of at its next tick (the leader's step after a rebalance, a new
  // assignment applied). It must only note the call and return.
  void OnChange(const std::function<void()>& changed);
  // This worker's farewell, to write once it stopped everything it ran and before it leaves the
  // group: its `sluice-worker-<id>` record's tombstone. From it on the leader counts this worker
  // out (a clean stop's connectors move at once, not after the group's next rebalance, which the
  // others hear of only at their next heartbeat); pass it to Wrote, then run LeaderStep once
  // more when this worker leads.
  kafka::KeyedRecord Farewell() const;

  // When this worker leads and knows the members: the assignment to publish, when it differs
  // from the newest one. `connectors`: every connector in the config topic, its class and its
  // committed task count.
  std::optional<LeaderWrite> LeaderStep(const std::map<std::string, ConnectorWork>& connectors);
  // Every write this worker makes to the config topic as the leader: what LeaderStep returned,
  // and the herder's leader-only writes (connector configs, task configs, fencing records,
  // restart requests) in the term RequireLeader admitted them in. One transaction of the
  // leader's writer, while this worker still leads in `write.term` (GroupMembership::AsLeader);
  // the records are then applied here (Wrote). FailedPrecondition when it no longer leads or a
  // newer leader fenced its writer: nothing of it is ever seen. Another error: the transaction
  // was aborted; the writer is made anew, and the config topic read to its end again, at the
  // next Follow.
  absl::Status WriteAsLeader(const LeaderWrite& write);

  // OK when this worker may act for the cluster now; Aborted saying to retry while a rebalance
  // keeps it out (its lease is not valid: it is joining or rejoining the group), when Kafka
  // Connect would answer 409.
  absl::Status CheckServing() const;
  // For a write only the leader performs, in leading term `term`: OK once this worker read the
  // config topic to its end in that term; Aborted (retry) saying it is catching up with the
  // config topic while that read has not succeeded (Follow retries it).
  absl::Status CheckCaughtUp(uint64_t term) const { return catch_up_.Check(term); }
  // The worker the newest assignment gives `unit` to; empty while it moves or is held for a
  // lost worker, or when no member can run it.
  std::string OwnerOf(const WorkUnit& unit) const { return assignment_.OwnerOf(unit); }
  // Whether no task of `connector` may still run anywhere: the newest assignment holds none of
  // its tasks (owned, moving or held) and every member acknowledged it (it stopped what that
  // epoch took away); a worker that left stopped its tasks when its lease ended.
  bool NoTaskRuns(const std::string& connector) const;

  // The connector instances the newest assignment gives this worker; none while its lease is
  // not valid, and none from a view not read to the end within the lease that runs now
  // (lease_catch_up.h: Follow reads it after each take): a lease taken again in the middle of a
  // tick gives nothing until the next Follow's read.
  std::set<std::string> MyConnectors() const;
  // The tasks it gives this worker; none in the same cases.
  std::set<WorkUnit> MyTasks() const;
  // The acknowledgement of the newest epoch, when not written yet (write it once MyConnectors()
  // is what runs, then pass it to Wrote).
  std::optional<kafka::KeyedRecord> AckIfNew();

  const Assignment& assignment() const { return assignment_; }
  const std::map<std::string, std::set<std::string>>& worker_plugins() const { return plugins_; }
  const std::map<std::string, int64_t>& applied() const { return applied_; }
  GroupMembership& membership() { return *membership_; }
  const std::string& worker_id() const { return membership_->worker_id(); }

 private:
  ClusterCoordinator(ClusterOptions options, LogSink log);
  void Apply(const kafka::KeyedRecord& record);
  // The members of `view` that announced themselves (a `sluice-worker-<id>` record) and did not
  // say farewell since: the ones the leader gives work to and waits for.
  std::vector<std::string> LiveMembers(const MembershipView& view) const;

  const ClusterOptions options_;
  const LogSink log_;
  std::unique_ptr<GroupMembership> membership_;
  std::unique_ptr<TopicTail> tail_;
  std::unique_ptr<TopicTail> status_tail_;
  LeaderCatchUp catch_up_;  // reads through tail_
  LeaseCatchUp lease_catch_up_;  // reads through tail_
  // The leader's writer, made in term writer_term_ before that term's read to the end; null when
  // not leading, or once fenced (then no new one in that term: its init would fence the newer
  // leader's).
  std::unique_ptr<LeaderWriter> leader_writer_;
  uint64_t writer_term_ = 0;

  Assignment assignment_;
  std::map<std::string, std::set<std::string>> plugins_;
  std::map<std::string, int64_t> applied_;
};

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_CLUSTER_COORDINATOR_H_
