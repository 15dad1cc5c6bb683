#include "runtime/offsets/submitted_records.h"

#include <utility>

#include "absl/time/clock.h"

namespace sluice::offsets {

SubmittedRecord::SubmittedRecord(PartitionRecords* partition, SourceOffset offset)
    : carries_offset_(true), partition_(partition), offset_(std::move(offset)) {}

SubmittedRecord::SubmittedRecord(PartitionRecords* partition)
    : carries_offset_(false), partition_(partition) {}

void SubmittedRecord::Ack() {
  // Read the owner before publishing the state: once kAcked is visible Submit or TakeCommittable
  // may pop and destroy this record.
  SubmittedRecords* owner = partition_->owner;
  if (lag_ != nullptr) lag_->Record(absl::GetCurrentTimeNanos() / 1000000 - source_ms_);
  state_.store(kAcked, std::memory_order_release);
  owner->OnSettled();
}

void SubmittedRecord::Fail(absl::Status why) {
  SubmittedRecords* owner = partition_->owner;
  {
    absl::MutexLock lock(&owner->mu_);
    partition_->blocked = true;
    if (owner->first_failure_.ok()) owner->first_failure_ = std::move(why);
    // Under the lock, so TakeCommittable sees the partition blocked no later than the state.
    state_.store(kFailed, std::memory_order_release);
  }
  owner->OnSettled();
}

SubmittedRecords::~SubmittedRecords() = default;

PartitionHandle SubmittedRecords::Partition(const SourcePartition& partition) {
  absl::MutexLock lock(&mu_);
  auto it = by_partition_.find(partition);
  if (it != by_partition_.end()) return PartitionHandle(it->second);
  partitions_.push_back(std::make_unique<PartitionRecords>(this, partition));
  PartitionRecords* records = partitions_.back().get();
  by_partition_.emplace(partition, records);
  return PartitionHandle(records);
}

void SubmittedRecords::FoldAcknowledgedPrefix(PartitionRecords& p) {
  while (!p.records.empty() &&
         p.records.front().state_.load(std::memory_order_acquire) == SubmittedRecord::kAcked) {
    SubmittedRecord& front = p.records.front();
    if (front.carries_offset_) p.committable = std::move(front.offset_);
    p.records.pop_front();
  }
}

SubmittedRecord* SubmittedRecords::Submit(PartitionHandle partition, SourceOffset offset) {
  PartitionRecords* p = partition.records_;
  absl::MutexLock lock(&mu_);
  FoldAcknowledgedPrefix(*p);
  p->records.emplace_back(p, std::move(offset));
  pending_.fetch_add(1, std::memory_order_relaxed);
  return &p->records.back();
}

SubmittedRecord* SubmittedRecords::SubmitWithoutOffset(PartitionHandle partition) {
  PartitionRecords* p = partition.records_;
  absl::MutexLock lock(&mu_);
  FoldAcknowledgedPrefix(*p);
  p->records.emplace_back(p);
  pending_.fetch_add(1, std::memory_order_relaxed);
  return &p->records.back();
}

bool SubmittedRecords::RemoveLast(SubmittedRecord* record) {
  PartitionRecords* p = record->partition_;
  absl::MutexLock lock(&mu_);
  if (p->records.empty() || &p->records.back() != record ||
      record->state_.load(std::memory_order_acquire) != SubmittedRecord::kPending) {
    return false;
  }
  p->records.pop_back();
  pending_.fetch_sub(1, std::memory_order_acq_rel);
  return true;
}

CommittableOffsets SubmittedRecords::TakeCommittable() {
  CommittableOffsets out;
  absl::MutexLock lock(&mu_);
  for (const std::unique_ptr<PartitionRecords>& p : partitions_) {
    FoldAcknowledgedPrefix(*p);
    if (p->committable.has_value()) {
      out.offsets.push_back(CommittableOffset{p->partition, *std::move(p->committable)});
      p->committable.reset();
    }
    out.uncommitted_records += static_cast<int64_t>(p->records.size());
  }
  out.first_failure = first_failure_;
  return out;
}

int64_t SubmittedRecords::held() const {
  absl::MutexLock lock(&mu_);
  int64_t held = 0;
  for (const std::unique_ptr<PartitionRecords>& p : partitions_) {
    held += static_cast<int64_t>(p->records.size());
  }
  return held;
}

bool SubmittedRecords::AwaitAllSettled(absl::Duration timeout) {
  // Registered before the condition is first checked (both sequentially consistent): either the
  // settling thread sees this waiter, or this waiter sees pending_ == 0.
  waiters_.fetch_add(1, std::memory_order_seq_cst);
  bool settled;
  {
    absl::MutexLock lock(&mu_);
    settled = mu_.AwaitWithTimeout(absl::Condition(
                                       +[](std::atomic<int64_t>* pending) {
                                         return pending->load(std::memory_order_seq_cst) == 0;
                                       },
                                       &pending_),
                                   timeout);
  }
  waiters_.fetch_sub(1, std::memory_order_seq_cst);
  return settled;
}

void SubmittedRecords::OnSettled() {
  if (pending_.fetch_sub(1, std::memory_order_seq_cst) == 1 &&
      waiters_.load(std::memory_order_seq_cst) > 0) {
    // Wake AwaitAllSettled: absl::Mutex re-evaluates waiters' conditions when it is released.
    absl::MutexLock lock(&mu_);
  }
}

}  // namespace sluice::offsets
