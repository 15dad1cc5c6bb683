// What a source task needs of its producer (runtime/worker/source_task.h): hand over a serialized
// record that is tracked until Kafka acknowledges it, wait for room under the in-flight byte
// bound, flush, and the fatal error that makes the producer unusable. kafka::Producer is the one
// implementation; the task loop's unit tests use a fake (tests/unit/worker).
//
// Cost: SendBatch is one virtual call per poll's records; the others are called once per poll
// or less.
#ifndef SLUICE_RUNTIME_KAFKA_RECORD_SENDER_H_
#define SLUICE_RUNTIME_KAFKA_RECORD_SENDER_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "runtime/kafka/outgoing_batch.h"
#include "runtime/offsets/submitted_records.h"

namespace sluice::kafka {

class RecordSender {
 public:
  virtual ~RecordSender() = default;

  // Hands the batch's records over, in order. Each record's tracker entry (may be null) is
  // settled (Ack or Fail) once Kafka answers, from the sender's own thread. Blocks while the
  // in-flight byte bound is reached, up to the sender's max block; then ResourceExhausted.
  // `handed_over` says how many records, from the first, are in flight. On an error return the
  // rest (from the `handed_over`-th, the one refused) are not in flight and their tracker entries
  // are untouched: unless the caller retries them (ResourceExhausted, Unavailable), it should
  // Fail them so their partitions can never commit past them, and fail the task
  // (runtime/kafka/README.md: failure policy). The batch may be cleared at once after the call.
  virtual absl::Status SendBatch(OutgoingBatch& batch, size_t* handed_over) = 0;

  // One record, as a batch of one (SendBatch says what is promised). For records off the hot path
  // (exactly-once's offsets records) and tests.
  absl::Status Send(const OutgoingRecord& record, offsets::SubmittedRecord* tracked) {
    OutgoingBatch one;
    one.Add(record, tracked);
    size_t handed_over = 0;
    return SendBatch(one, &handed_over);
  }

  // Waits until every record handed over is settled, or `timeout` passes (DeadlineExceeded).
  // Returns the fatal error if there is one.
  virtual absl::Status Flush(absl::Duration timeout) = 0;

  // True when a record of `bytes` (key + value + headers) would fit now; otherwise waits up to
  // `timeout` for room. False after a fatal error.
  virtual bool WaitForRoom(int64_t bytes, absl::Duration timeout) = 0;

  // OK, or the fatal error that made this sender unusable (Aborted: retry at a higher level).
  // Recovery: make a new one and restart the task from its last committed offsets (the task
  // does, source_task.h).
  virtual absl::Status fatal_error() const = 0;

  // Record bytes handed over and not yet settled. Any thread.
  virtual int64_t in_flight_bytes() const = 0;

  // Exactly-once: a sender made with a transactional id groups what it sends into Kafka
  // transactions (Producer says how each error is handled). Others refuse with
  // FailedPrecondition. Called from the task thread only.
  //
  // Begins a transaction: every record sent until CommitTransaction or AbortTransaction is in it.
  virtual absl::Status BeginTransaction() {
    return absl::FailedPreconditionError("this record sender is not transactional");
  }
  // Commits the open transaction, waiting up to `timeout`: OK when every record sent in it is
  // committed. Aborted when it had to be aborted (every record in it is discarded: rewind to the
  // last committed offsets and go on); FailedPrecondition when this sender was fenced by a newer
  // one with the same transactional id; another code for a fatal error (make a new sender).
  virtual absl::Status CommitTransaction(absl::Duration timeout) {
    (void)timeout;
    return absl::FailedPreconditionError("this record sender is not transactional");
  }
  // Aborts the open transaction: its records are never seen by read_committed consumers.
  virtual absl::Status AbortTransaction(absl::Duration timeout) {
    (void)timeout;
    return absl::FailedPreconditionError("this record sender is not transactional");
  }
};

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_RECORD_SENDER_H_
