// Which source offsets may be committed, given records acknowledged out of order.
//
// Kafka Connect's SubmittedRecords semantics (DESIGN.md decision 6): records are submitted in the
// order the connector produced them, per source partition; the producer acknowledges them in any
// order. A partition's committable offset is the offset of its latest record such that it and
// every earlier record of that partition are acknowledged. A failed record is never passed: it
// and everything after it in its partition stay uncommitted for good, and the failure is reported
// so the task can fail (the worker then restarts it from the last committed offset).
//
// Threads: Submit, RemoveLast and TakeCommittable belong to one owner (the task thread, or a
// committer holding its own lock); they serialise on an internal mutex so the committer may run on
// another thread. Ack and Fail may be called from any thread, e.g. librdkafka's delivery-report
// thread. Ack is a single atomic store: the hot path takes no lock.
//
// Lifetime: a SubmittedRecords must outlive every SubmittedRecord it handed out that has not yet
// been acknowledged or failed (flush or destroy the producer first).
#ifndef SLUICE_RUNTIME_OFFSETS_SUBMITTED_RECORDS_H_
#define SLUICE_RUNTIME_OFFSETS_SUBMITTED_RECORDS_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/common/lag_histogram.h"
#include "runtime/offsets/source_offset.h"

namespace sluice::offsets {

class SubmittedRecords;
class PartitionRecords;

// One submitted record. Handed out by SubmittedRecords::Submit; settle it exactly once with Ack
// or Fail. Not copyable or movable: the producer holds its address until delivery.
class SubmittedRecord {
 public:
  SubmittedRecord(PartitionRecords* partition, SourceOffset offset);
  // A record that carries no offset of its own (SubmitWithoutOffset).
  explicit SubmittedRecord(PartitionRecords* partition);
  SubmittedRecord(const SubmittedRecord&) = delete;
  SubmittedRecord& operator=(const SubmittedRecord&) = delete;

  // The record is durably in Kafka. Any thread. After this call the record may be freed by the
  // committer at any moment: do not touch it again.
  void Ack();

  // The record will never be in Kafka (delivery failed after the producer's retries). Any
  // thread. Everything after it in its partition stays uncommitted.
  void Fail(absl::Status why);

  // Makes Ack record, in `lag`, the time from `source_ms` (when the record's change happened at
  // its source, Unix ms) to the acknowledgement: its commit-to-ack lag. Call before the record is
  // handed to the producer; `lag` must outlive the acknowledgement. Costs Ack one clock read.
  void ObserveAckLag(LagHistogram* lag, int64_t source_ms) {
    lag_ = lag;
    source_ms_ = source_ms;
  }

  // Empty for a record submitted without an offset.
  const SourceOffset& offset() const { return offset_; }
  bool carries_offset() const { return carries_offset_; }

 private:
  friend class SubmittedRecords;
  enum State : uint8_t { kPending = 0, kAcked = 1, kFailed = 2 };

  std::atomic<uint8_t> state_{kPending};
  const bool carries_offset_;
  PartitionRecords* const partition_;
  LagHistogram* lag_ = nullptr;  // ObserveAckLag
  int64_t source_ms_ = 0;
  SourceOffset offset_;
};

// A source partition known to the tracker. Stable for the tracker's lifetime; cheap to copy.
// Look it up once per partition (SubmittedRecords::Partition) and reuse it for every record.
class PartitionHandle {
 public:
  PartitionHandle() = default;
  bool valid() const { return records_ != nullptr; }

 private:
  friend class SubmittedRecords;
  explicit PartitionHandle(PartitionRecords* r) : records_(r) {}
  PartitionRecords* records_ = nullptr;
};

// A partition whose committable offset moved since the last TakeCommittable.
struct CommittableOffset {
  SourcePartition partition;
  SourceOffset offset;
};

struct CommittableOffsets {
  std::vector<CommittableOffset> offsets;  // in the order partitions were first seen
  // Records still waiting for an acknowledgement (or behind a failed one), over all partitions.
  int64_t uncommitted_records = 0;
  // The first delivery failure seen, if any. Once set, the failed partition never advances again.
  absl::Status first_failure;
};

class SubmittedRecords {
 public:
  SubmittedRecords() = default;
  SubmittedRecords(const SubmittedRecords&) = delete;
  SubmittedRecords& operator=(const SubmittedRecords&) = delete;
  ~SubmittedRecords();

  // The handle of `partition`, registering it on first use.
  PartitionHandle Partition(const SourcePartition& partition);

  // Records the next record of `partition`, in submission order. Returns the record to settle;
  // it stays valid until it is acknowledged (after that, Submit or TakeCommittable may drop it).
  // Each call first folds the partition's acknowledged prefix into its pending committable
  // offset, so what is held is the records in flight, not every record since the last commit
  // (at 150k records/s and a 1 s commit interval that was ~50 MB of offsets).
  SubmittedRecord* Submit(PartitionHandle partition, SourceOffset offset);

  // Submit, for a record whose offset a later record of the same partition supersedes before any
  // commit could need it: it must be acknowledged like any other before the partition's offset
  // passes it, but its own offset is never committable. The committable offset then moves only at
  // records submitted with an offset. The worker submits every record of a poll this way but the
  // last of each partition's run, so nothing is written per record (a crash replays at most one
  // poll more than with every offset kept).
  SubmittedRecord* SubmitWithoutOffset(PartitionHandle partition);

  // Forgets `record` when it could not be handed to the producer at all (Kafka Connect's
  // removeLastOccurrence). Only the latest record of its partition can be removed; returns false
  // (and changes nothing) for any other record.
  bool RemoveLast(SubmittedRecord* record);

  // The partitions whose committable offset advanced since the previous call, each with its new
  // offset; drops the records that are now committed.
  CommittableOffsets TakeCommittable();

  // Records submitted and not yet acknowledged or failed.
  int64_t pending() const { return pending_.load(std::memory_order_acquire); }

  // Records held, over all partitions: those pending and those acknowledged behind one that is
  // pending or failed. What the tracker's memory grows with.
  int64_t held() const;

  // Waits until every submitted record is acknowledged or failed, or `timeout` passes. True when
  // none is pending. For graceful stop: flush, then commit once more.
  bool AwaitAllSettled(absl::Duration timeout);

 private:
  friend class SubmittedRecord;
  void OnSettled();
  // Pops `p`'s acknowledged prefix, keeping the newest popped offset (of a record that carries
  // one) as its committable offset.
  void FoldAcknowledgedPrefix(PartitionRecords& p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  // Partitions in first-seen order; unique_ptr so handles stay valid as the vector grows.
  std::vector<std::unique_ptr<PartitionRecords>> partitions_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<SourcePartition, PartitionRecords*> by_partition_ ABSL_GUARDED_BY(mu_);
  absl::Status first_failure_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> pending_{0};
  // Threads inside AwaitAllSettled. The settling thread takes mu_ only when one waits, so an ack
  // that empties the tracker costs no lock on the hot path.
  std::atomic<int> waiters_{0};
};

// Per-partition state; defined here only so SubmittedRecord can point at it.
class PartitionRecords {
 public:
  PartitionRecords(SubmittedRecords* owner, SourcePartition partition)
      : owner(owner), partition(std::move(partition)) {}

  SubmittedRecords* const owner;
  const SourcePartition partition;
  // Submission order. std::deque keeps element addresses stable under push_back / pop_front /
  // pop_back, which is what lets the producer hold SubmittedRecord pointers.
  std::deque<SubmittedRecord> records;
  // The offset of the newest record folded out of the acknowledged prefix since the last
  // TakeCommittable, when there is one.
  std::optional<SourceOffset> committable;
  bool blocked = false;  // a record failed; this partition never advances again
};

}  // namespace sluice::offsets

#endif  // SLUICE_RUNTIME_OFFSETS_SUBMITTED_RECORDS_H_
