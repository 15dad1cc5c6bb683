// The leader's writes to the config topic (the `sluice-assignment` record, and every write only
// the leader performs: connector configs, task configs, `tasks-fencing-` records; herder.cc's
// WriteAsLeader, ClusterCoordinator::WriteAsLeader), fenced by the broker:
// a transactional producer whose `transactional.id` is the cluster's, Kafka Connect's leader id
// `connect-cluster-<group.id>` (the id Kafka Connect's leader writes its config topic with under
// exactly-once). Each leader term makes a new one; its init_transactions fences the producer of
// every earlier leader and completes or aborts the transaction that one left open, so a leader
// frozen in the middle of a write (SIGSTOP, a long pause) and woken after another took over can
// no longer land it: its commit is refused (docs/cluster.md, "A zombie leader").
//
// Readers need nothing more: they read the config topic with isolation.level=read_committed, so
// an aborted assignment is never seen, and a new leader reads the topic to its end only after
// its init resolved the previous leader's transaction.
//
// Threads: not thread-safe; the herder thread owns it.
#ifndef SLUICE_RUNTIME_CLUSTER_LEADER_WRITER_H_
#define SLUICE_RUNTIME_CLUSTER_LEADER_WRITER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "runtime/kafka/producer.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::cluster {

struct LeaderWriterOptions {
  std::string bootstrap_servers;
  std::string group_id;
  std::string topic;  // the config topic
  std::string worker_id;
  std::map<std::string, std::string> producer_overrides;  // `producer.*`
  absl::Duration init_timeout = absl::Seconds(30);
};

// Kafka Connect's transactional id for a cluster's leader.
std::string LeaderTransactionalId(const std::string& group_id);

class LeaderWriter {
 public:
  // Fences every earlier leader's writer (init_transactions); fails when that does not complete
  // within `init_timeout`.
  static absl::StatusOr<std::unique_ptr<LeaderWriter>> Create(const LeaderWriterOptions& options);

  // Writes `records` in one transaction, waiting until it is committed. FailedPrecondition when a
  // newer leader fenced this writer (nothing of `records` is ever seen; make no new writer in
  // this term); another error when the transaction was aborted or the producer failed.
  absl::Status Write(const std::vector<kafka::KeyedRecord>& records, absl::Duration timeout);

 private:
  LeaderWriter(std::string topic, std::string transactional_id,
               std::unique_ptr<kafka::Producer> producer)
      : topic_(std::move(topic)),
        transactional_id_(std::move(transactional_id)),
        producer_(std::move(producer)) {}
  // FailedPrecondition (fenced) told as the leader's, not a task's; anything else unchanged.
  absl::Status Named(absl::Status status) const;

  const std::string topic_;
  const std::string transactional_id_;
  std::unique_ptr<kafka::Producer> producer_;
};

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_LEADER_WRITER_H_
