#include "runtime/cluster/leader_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/cluster/cluster_records.h"
#include "runtime/common/failpoint.h"

namespace sluice::cluster {

std::string LeaderTransactionalId(const std::string& group_id) {
  return absl::StrCat("connect-cluster-", group_id);
}

absl::StatusOr<std::unique_ptr<LeaderWriter>> LeaderWriter::Create(
    const LeaderWriterOptions& options) {
  kafka::ProducerOptions producer;
  producer.bootstrap_servers = options.bootstrap_servers;
  producer.overrides = options.producer_overrides;
  producer.overrides.erase("transactional.id");  // the leader's id is fixed (the task's refusal)
  producer.client_id = absl::StrCat("sluice-leader-", options.worker_id);
  producer.transactional_id = LeaderTransactionalId(options.group_id);
  producer.transaction_init_timeout = options.init_timeout;
  absl::StatusOr<std::unique_ptr<kafka::Producer>> made = kafka::Producer::Create(producer);
  if (!made.ok()) {
    return absl::Status(made.status().code(),
                        absl::StrCat("the leader's config-topic writer: ", made.status().message()));
  }
  return std::unique_ptr<LeaderWriter>(
      new LeaderWriter(options.topic, producer.transactional_id, *std::move(made)));
}

absl::Status LeaderWriter::Write(const std::vector<kafka::KeyedRecord>& records,
                                 absl::Duration timeout) {
  if (absl::Status s = producer_->BeginTransaction(); !s.ok()) return Named(s);
  for (const kafka::KeyedRecord& r : records) {
    kafka::OutgoingRecord out;
    out.topic = topic_;
    out.key = r.key;
    if (r.value) out.value = *r.value;
    if (absl::Status s = producer_->Send(out, nullptr); !s.ok()) {
      (void)producer_->AbortTransaction(timeout);
      return Named(s);
    }
  }
  // The records are in the log, the transaction still open: where a zombie leader is frozen
  // mid-write in the cluster tests, at an assignment's write only (the tests count those).
  if (absl::Status s = producer_->Flush(timeout); !s.ok()) {
    (void)producer_->AbortTransaction(timeout);
    return Named(s);
  }
  if (!records.empty() && records.front().key == kAssignmentKey) {
    SLUICE_FAILPOINT("cluster.assignment.before_commit");
  }
  return Named(producer_->CommitTransaction(timeout));
}

absl::Status LeaderWriter::Named(absl::Status status) const {
  if (status.code() != absl::StatusCode::kFailedPrecondition) return status;
  return absl::FailedPreconditionError(absl::StrCat(
      "fenced: a newer leader took over the cluster's transactional.id `", transactional_id_,
      "`; this worker's assignment is never seen (", status.message(), ")"));
}

}  // namespace sluice::cluster
