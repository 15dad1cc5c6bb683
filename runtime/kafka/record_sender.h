// What a source task needs of its producer (runtime/worker/source_task.h): hand over a serialized
// record that is tracked until Kafka acknowledges it, wait for room under the in-flight byte
// bound, flush, and the fatal error that makes the producer unusable. kafka::Producer is the one
// implementation; the task loop's unit tests use a fake (tests/unit/worker).
//
// Cost: Send is one virtual call per record, next to librdkafka's produce call; the others are
// called once per poll or less.
#ifndef SLUICE_RUNTIME_KAFKA_RECORD_SENDER_H_
#define SLUICE_RUNTIME_KAFKA_RECORD_SENDER_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "runtime/offsets/submitted_records.h"

namespace sluice::kafka {

struct RecordHeader {
  absl::string_view name;
  std::optional<absl::string_view> value;  // nullopt = a null header value
};

// A serialized record. All views are borrowed for the duration of Send only (the sender copies).
struct OutgoingRecord {
  absl::string_view topic;
  std::optional<absl::string_view> key;    // nullopt = null key (no murmur2; librdkafka spreads it)
  std::optional<absl::string_view> value;  // nullopt = tombstone
  absl::Span<const RecordHeader> headers;
  int64_t timestamp_ms = 0;  // 0 = now
  int32_t partition = -1;    // -1 = let the partitioner choose (RD_KAFKA_PARTITION_UA)
};

class RecordSender {
 public:
  virtual ~RecordSender() = default;

  // Hands `record` over. `tracked` (may be null) is settled (Ack or Fail) once Kafka answers, from
  // the sender's own thread. Blocks while the in-flight byte bound is reached, up to the sender's
  // max block; then ResourceExhausted. On an error return `tracked` is left untouched and the
  // record is not in flight: unless the caller retries the Send (ResourceExhausted, Unavailable),
  // it should `tracked->Fail(status)` so its partition can never commit past it, and fail the
  // task (runtime/kafka/README.md: failure policy).
  virtual absl::Status Send(const OutgoingRecord& record, offsets::SubmittedRecord* tracked) = 0;

  // Waits until every record handed to Send is settled, or `timeout` passes (DeadlineExceeded).
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
