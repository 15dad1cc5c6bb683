// This worker's membership of the cluster, through Kafka's group coordinator: a librdkafka
// consumer in `group.id`, subscribed to the config topic with the eager `range` assignor, whose
// JoinGroup / SyncGroup / Heartbeat / LeaveGroup the broker's coordinator runs (docs/cluster.md
// says why this and not Kafka Connect's own protocol).
//
// What it answers:
// - leadership: the member given the config topic's partition 0 leads (one per generation). Each
//   rebalance revokes first (eager), and the revoke callback takes the lock AsLeader holds, so an
//   old leader's write has landed before the next generation can form;
// - the members: DescribeConsumerGroups of a Stable group, by client.id (the worker ids);
// - the lease: renewed every heartbeat.interval.ms by a synchronous offset commit, which the
//   coordinator refuses from a member that is no longer in the current generation; it runs until
//   the renewal's send time + session.timeout.ms - heartbeat.interval.ms, so it ends before the
//   coordinator could evict this member and give its work to another.
//
// Threads: one thread of its own polls the consumer (rebalance callbacks, lease, describe); every
// public method may be called from any thread. The destructor leaves the group (LeaveGroup):
// destroy it only after this worker's tasks stopped.
#ifndef SLUICE_RUNTIME_CLUSTER_GROUP_MEMBERSHIP_H_
#define SLUICE_RUNTIME_CLUSTER_GROUP_MEMBERSHIP_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/common/log.h"
#include "runtime/kafka/handles.h"

namespace sluice::cluster {

struct MembershipOptions {
  std::string bootstrap_servers;
  std::string group_id;
  std::string worker_id;  // the consumer's client.id: how the other members see this worker
  std::string topic;      // the config topic: subscribed for the group, never read through it
  absl::Duration session_timeout = absl::Seconds(10);     // session.timeout.ms
  absl::Duration heartbeat_interval = absl::Seconds(3);   // heartbeat.interval.ms
  absl::Duration rebalance_timeout = absl::Seconds(60);   // rebalance.timeout.ms
  std::map<std::string, std::string> consumer_overrides;  // `consumer.*`
};

struct MembershipView {
  int64_t generation = 0;  // rebalances completed on this worker
  bool leader = false;
  uint64_t leader_term = 0;  // a new value each time this worker becomes leader; 0 = follower
  std::vector<std::string> members;  // worker ids, sorted, as described for members_generation
  int64_t members_generation = -1;
  bool lease_valid = false;
  // How many times the lease was taken after it had not run (the first join included): a change
  // between two looks means it lapsed in between, however briefly, and what ran here was fenced
  // meanwhile (a task that tried to send then failed).
  int64_t lease_takes = 0;
};

class GroupMembership {
 public:
  static absl::StatusOr<std::unique_ptr<GroupMembership>> Start(MembershipOptions options,
                                                                LogSink log);
  ~GroupMembership();
  GroupMembership(const GroupMembership&) = delete;
  GroupMembership& operator=(const GroupMembership&) = delete;

  MembershipView View() const;
  // OK while the lease runs; FailedPrecondition saying since when it ended otherwise.
  absl::Status CheckLease() const;
  // Runs `write` while this worker leads in `term`, holding the lock the revoke callback takes.
  // FailedPrecondition (and `write` not run) when it no longer does.
  absl::Status AsLeader(uint64_t term, const std::function<absl::Status()>& write);
  // `changed` is called on the membership's thread each time View() changes in a way the
  // herder acts on (a rebalance done, its members described, the lease taken), so it need not
  // wait for its next tick; it must only note the call and return. nullptr stops the calls (before
  // what `changed` reaches goes away).
  void OnChange(std::function<void()> changed);

  const std::string& worker_id() const { return options_.worker_id; }
  const MembershipOptions& options() const { return options_; }

 private:
  GroupMembership(MembershipOptions options, LogSink log)
      : options_(std::move(options)), log_(std::move(log)) {}
  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* partitions, void* opaque);
  void Rebalanced(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);
  void Run();
  void RenewLease();
  void Describe();
  void Changed();

  const MembershipOptions options_;
  const LogSink log_;
  kafka::KafkaHandle consumer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  // Held by AsLeader's write and by the revoke callback, never with mu_ held by the caller: a
  // slow write delays the next generation, not the tasks asking CheckLease.
  absl::Mutex leader_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable absl::Mutex mu_;
  MembershipView view_ ABSL_GUARDED_BY(mu_);
  uint64_t terms_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time lease_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int64_t lease_takes_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Mutex changed_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::function<void()> changed_ ABSL_GUARDED_BY(changed_mu_);
  // Poll-thread only.
  bool describe_wanted_ = false;
  absl::Time next_renewal_ = absl::InfinitePast();
  absl::Time next_describe_ = absl::InfinitePast();
};

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_GROUP_MEMBERSHIP_H_
