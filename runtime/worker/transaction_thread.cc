#include "runtime/worker/transaction_thread.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "runtime/common/failpoint.h"
#include "runtime/offsets/offset_codec.h"

namespace sluice::worker {
namespace {

// How long after a commit returned the next transaction begins, when its records are ready
// sooner. The broker refuses the next AddPartitionsToTxn with CONCURRENT_TRANSACTIONS while it
// still writes the last transaction's markers, and librdkafka 2.0.2 retries that after a fixed
// 20 ms; a millisecond's wait cut those refusals to about a quarter (docs/benchmarks.md, "What a
// transaction's time goes to").
constexpr absl::Duration kTransactionGap = absl::Milliseconds(1);
// Emptied batches kept for reuse (their memory blocks with them): the queue's depth in a backlog.
constexpr size_t kSpareBatches = 16;

}  // namespace

TransactionThread::TransactionThread(Settings settings)
    : settings_(std::move(settings)), thread_([this] { Run(); }) {}

TransactionThread::~TransactionThread() {
  {
    absl::MutexLock lock(&mu_);
    destroying_ = true;
  }
  thread_.join();
}

void TransactionThread::Queue(Segment segment) {
  {
    absl::MutexLock lock(&mu_);
    if (failure_.ok() && ending_ == Ending::kNone) {
      if (!working_ && queue_.empty()) {
        // The thread is idle: this segment does not wait for others (latency).
        working_ = true;
        group_left_ = 1;
      }
      queued_records_ += segment.records->size();
      queued_bytes_ += segment.bytes;
      queue_.push_back(std::move(segment));
      return;
    }
  }
  Discard(segment, absl::AbortedError("not sent: the transaction before failed"));
}

bool TransactionThread::HasRoomLocked() const {
  return (queued_records_ < settings_.max_records && queued_bytes_ < settings_.max_bytes) ||
         !failure_.ok() || ending_ != Ending::kNone;
}

bool TransactionThread::WaitForRoom(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(this, &TransactionThread::HasRoomLocked), timeout);
}

bool TransactionThread::busy() const {
  absl::MutexLock lock(&mu_);
  return !queue_.empty() || working_ || !outcomes_.empty();
}

std::vector<TransactionThread::Outcome> TransactionThread::TakeOutcomes() {
  absl::MutexLock lock(&mu_);
  return std::exchange(outcomes_, {});
}

bool TransactionThread::FinishedLocked() const { return ended_; }

void TransactionThread::Finish(bool commit_open, bool abort_all) {
  absl::MutexLock lock(&mu_);
  ending_ = abort_all ? Ending::kAbortAll : commit_open ? Ending::kCommitOpen : Ending::kAbortOpen;
  mu_.Await(absl::Condition(this, &TransactionThread::FinishedLocked));
}

std::unique_ptr<kafka::OutgoingBatch> TransactionThread::SpareBatch() {
  {
    absl::MutexLock lock(&mu_);
    if (!spares_.empty()) {
      std::unique_ptr<kafka::OutgoingBatch> spare = std::move(spares_.back());
      spares_.pop_back();
      return spare;
    }
  }
  return std::make_unique<kafka::OutgoingBatch>();
}

TransactionThread::Figures TransactionThread::figures() const {
  absl::MutexLock lock(&mu_);
  return figures_;
}

bool TransactionThread::HasWorkLocked() const {
  return !queue_.empty() || destroying_ || (ending_ != Ending::kNone && !ended_);
}

void TransactionThread::Run() {
  absl::MutexLock lock(&mu_);
  while (true) {
    mu_.Await(absl::Condition(this, &TransactionThread::HasWorkLocked));
    if (!failure_.ok() || ending_ == Ending::kAbortAll || destroying_) {
      // Nothing more goes out: what is queued is dropped, the open transaction aborted.
      std::deque<Segment> dropped = std::exchange(queue_, {});
      queued_records_ = 0;
      queued_bytes_ = 0;
      const absl::Status why = failure_.ok()
                                   ? absl::AbortedError("not sent: the attempt ended")
                                   : absl::AbortedError("not sent: the transaction before failed");
      mu_.Unlock();
      for (Segment& segment : dropped) Discard(segment, why);
      Abort();
      mu_.Lock();
      working_ = false;
      group_left_ = 0;
      if (ending_ != Ending::kNone) ended_ = true;
      if (destroying_) return;
      continue;
    }
    absl::Status status;
    std::vector<offsets::CommittableOffset> committed;
    bool commit = false;
    if (!queue_.empty()) {
      if (!open_ && group_left_ == 0) {
        // A new transaction takes the segments queued now (group commit: those that came while
        // the last commit ran), whole, until the bounds are reached; later ones go in the next.
        size_t records = 0;
        int64_t bytes = 0;
        for (const Segment& queued : queue_) {
          if (group_left_ > 0 && (!settings_.group || records >= settings_.max_records ||
                                  bytes >= settings_.max_bytes)) {
            break;
          }
          records += queued.records->size();
          bytes += queued.bytes;
          ++group_left_;
        }
      }
      if (group_left_ > 0) --group_left_;
      Segment segment = std::move(queue_.front());
      queue_.pop_front();
      queued_records_ -= segment.records->size();
      queued_bytes_ -= segment.bytes;
      working_ = true;
      mu_.Unlock();
      status = Add(segment);
      segment.records->Clear();
      mu_.Lock();
      if (spares_.size() < kSpareBatches) spares_.push_back(std::move(segment.records));
      commit = status.ok() && segment.ends_transaction && open_ && group_left_ == 0;
      if (!status.ok()) group_left_ = 0;
    } else {
      // The ending, once everything queued went: the open transaction committed or aborted.
      commit = ending_ == Ending::kCommitOpen && open_;
      if (!commit) {
        mu_.Unlock();
        Abort();
        mu_.Lock();
      }
    }
    if (commit) {
      mu_.Unlock();
      status = Commit(committed);
      mu_.Lock();
      if (status.ok()) outcomes_.push_back({absl::OkStatus(), std::move(committed)});
    }
    if (!status.ok()) {
      failure_ = status;
      outcomes_.push_back({std::move(status), {}});
    }
    if (queue_.empty()) {
      working_ = false;
      if (ending_ != Ending::kNone) ended_ = true;
    }
  }
}

absl::Status TransactionThread::Begin() {
  if (begun_) return absl::OkStatus();
  const absl::Duration since = absl::Now() - last_commit_ended_;
  if (since < kTransactionGap) absl::SleepFor(kTransactionGap - since);
  if (absl::Status status = settings_.producer->BeginTransaction(); !status.ok()) return status;
  begun_ = true;
  return absl::OkStatus();
}

absl::Status TransactionThread::Add(Segment& segment) {
  if (segment.records->empty() && segment.offsets.empty()) return absl::OkStatus();
  if (!open_) {
    open_ = true;
    open_since_ = segment.gathered;
    open_taken_ = absl::Now();
  }
  open_records_ += segment.records->size();
  // Each partition's newest offset; few partitions (the MySQL connector has one): a scan.
  for (offsets::CommittableOffset& reached : segment.offsets) {
    auto same = std::find_if(
        open_offsets_.begin(), open_offsets_.end(),
        [&](const offsets::CommittableOffset& o) { return o.partition == reached.partition; });
    if (same != open_offsets_.end()) {
      same->offset = std::move(reached.offset);
    } else {
      open_offsets_.push_back(std::move(reached));
    }
  }
  if (segment.records->empty()) return absl::OkStatus();
  absl::Status status = Begin();
  size_t handed_over = 0;
  if (status.ok()) status = settings_.producer->SendBatch(*segment.records, &handed_over);
  if (settings_.records_sent != nullptr) {
    settings_.records_sent->fetch_add(static_cast<int64_t>(handed_over),
                                      std::memory_order_relaxed);
  }
  if (status.ok()) return status;
  // Never in flight: the refused record and those after it block their partitions so no offset
  // after them can be committed.
  for (size_t i = handed_over; i < segment.records->size(); ++i) {
    if (offsets::SubmittedRecord* tracked = segment.records->delivery(i).tracked) {
      tracked->Fail(status);
    }
  }
  Abort();
  return status;
}

absl::Status TransactionThread::Commit(std::vector<offsets::CommittableOffset>& committed) {
  // Even when the transforms dropped every record, the offsets need a begun transaction.
  if (absl::Status status = Begin(); !status.ok()) return status;
  // The offsets go in without waiting for the records' acknowledgements: a commit succeeds only
  // when every record of the transaction was delivered (librdkafka fails it with an abortable
  // error otherwise), so the offsets the records reached are committed exactly with them. Waiting
  // first (a flush, then the offsets record's own round trip) cost a third of the throughput of
  // transactions of 2,048 records (docs/benchmarks.md, "Exactly-once: what it costs").
  SLUICE_FAILPOINT("transaction.before_offsets");
  // The offsets in Kafka Connect's format, keyed as its offset writer keys them; murmur2 of the
  // key puts each where Kafka Connect's reader looks.
  for (const offsets::CommittableOffset& o : open_offsets_) {
    absl::StatusOr<std::string> key = offsets::EncodeOffsetKey(settings_.connector_name, o.partition);
    absl::StatusOr<std::string> value = offsets::EncodeOffsetValue(o.offset);
    absl::Status status = key.ok() ? value.status() : key.status();
    if (status.ok()) {
      kafka::OutgoingRecord record;
      record.topic = settings_.offsets_topic;
      record.key = absl::string_view(*key);
      record.value = absl::string_view(*value);
      status = settings_.producer->Send(record, nullptr);
    }
    if (!status.ok()) {
      Abort();
      return absl::Status(status.code(),
                          absl::StrCat("writing offsets in the transaction: ", status.message()));
    }
  }
  // The offsets written inside the transaction, the transaction not committed.
  SLUICE_FAILPOINT("transaction.before_commit");
  const absl::Time started = absl::Now();
  absl::Status status = settings_.producer->CommitTransaction(settings_.commit_timeout);
  last_commit_ended_ = absl::Now();
  begun_ = false;  // committed, or aborted by the producer
  if (status.ok()) {
    absl::MutexLock lock(&mu_);
    ++figures_.transactions;
    figures_.records += static_cast<int64_t>(open_records_);
    figures_.open += started - open_since_;
    figures_.queued += open_taken_ - open_since_;
    const absl::Duration took = last_commit_ended_ - started;
    figures_.commits += took;
    figures_.longest_commit = std::max(figures_.longest_commit, took);
  }
  committed = std::exchange(open_offsets_, {});
  open_ = false;
  open_records_ = 0;
  return status;
}

void TransactionThread::Abort() {
  const bool begun = std::exchange(begun_, false);
  open_ = false;
  open_records_ = 0;
  open_offsets_.clear();
  if (begun && settings_.producer->fatal_error().ok()) {
    (void)settings_.producer->AbortTransaction(settings_.commit_timeout);
  }
}

void TransactionThread::Discard(Segment& segment, const absl::Status& why) {
  for (size_t i = 0; i < segment.records->size(); ++i) {
    if (offsets::SubmittedRecord* tracked = segment.records->delivery(i).tracked) {
      tracked->Fail(why);
    }
  }
  segment.records->Clear();
}

std::string TransactionThread::Figures::Describe() const {
  if (transactions == 0) return "no transaction committed";
  const double n = static_cast<double>(transactions);
  return absl::StrFormat(
      "%d transactions committed, %.0f records each on average; per transaction, %.2f ms open "
      "before its commit (%.2f ms of it queued, the rest polling the later polls and handing "
      "over) and %.2f ms in the commit (longest %.2f ms)",
      transactions, static_cast<double>(records) / n, absl::ToDoubleMilliseconds(open) / n,
      absl::ToDoubleMilliseconds(queued) / n, absl::ToDoubleMilliseconds(commits) / n,
      absl::ToDoubleMilliseconds(longest_commit));
}

}  // namespace sluice::worker
