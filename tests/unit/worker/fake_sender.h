// A kafka::RecordSender standing in for the producer in the task loop's unit tests: it keeps a
// copy of every record it is handed and settles them as the test says (at once, when the test
// acknowledges them, or with a delivery failure), and can be made full, refuse a send or fail.
// It also logs transactions (begin, commit, abort, each with the number of records sent so far)
// and can fail a commit, for the exactly-once loop.
#ifndef SLUICE_TESTS_UNIT_WORKER_FAKE_SENDER_H_
#define SLUICE_TESTS_UNIT_WORKER_FAKE_SENDER_H_

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "runtime/kafka/record_sender.h"

namespace sluice::testing {

class FakeSender : public kafka::RecordSender {
 public:
  struct Sent {
    std::string topic;
    std::optional<std::string> key;
    std::optional<std::string> value;
    absl::Time at;
  };

  // How a record handed over is settled.
  enum class Settle { kAtOnce, kWhenTestAcks };
  explicit FakeSender(Settle settle) : settle_(settle) {}
  ~FakeSender() override {
    if (on_destroy_) on_destroy_(*this);
  }

  absl::Status SendBatch(kafka::OutgoingBatch& batch, size_t* handed_over) override {
    absl::MutexLock lock(&mu_);
    for (*handed_over = 0; *handed_over < batch.size(); ++*handed_over) {
      const kafka::OutgoingRecord record = batch.record(*handed_over);
      offsets::SubmittedRecord* tracked = batch.delivery(*handed_over).tracked;
      const size_t index = sent_.size();
      if (refuse_at_ == index) return refusal_;  // never in flight; the caller fails it
      Sent& sent = sent_.emplace_back();
      sent.topic = std::string(record.topic);
      if (record.key) sent.key = std::string(*record.key);
      if (record.value) sent.value = std::string(*record.value);
      sent.at = absl::Now();
      if (tracked == nullptr) {
        // Untracked (an offset record inside a transaction): nothing to settle.
      } else if (fail_delivery_at_ == index) {
        tracked->Fail(absl::Status(delivery_failure_code_,
                                   "the broker refused record " + std::to_string(index)));
      } else if (settle_ == Settle::kAtOnce) {
        tracked->Ack();
      } else {
        held_.push_back(tracked);
      }
    }
    ++batch_count_;
    return absl::OkStatus();
  }

  // Kafka acknowledges what is still in flight.
  absl::Status Flush(absl::Duration) override {
    absl::MutexLock lock(&mu_);
    ++flushes_;
    for (offsets::SubmittedRecord* r : held_) r->Ack();
    held_.clear();
    return fatal_;
  }

  bool WaitForRoom(int64_t, absl::Duration timeout) override {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(this, &FakeSender::HasRoomLocked), timeout);
    ++waits_;
    return !full_ && fatal_.ok();
  }

  absl::Status fatal_error() const override {
    absl::MutexLock lock(&mu_);
    return fatal_;
  }

  int64_t in_flight_bytes() const override {
    absl::MutexLock lock(&mu_);
    return static_cast<int64_t>(held_.size()) * 100;
  }

  absl::Status BeginTransaction() override {
    absl::MutexLock lock(&mu_);
    transactions_.push_back("begin@" + std::to_string(sent_.size()));
    return absl::OkStatus();
  }
  absl::Status CommitTransaction(absl::Duration) override {
    absl::MutexLock lock(&mu_);
    ++commits_started_;
    mu_.Await(absl::Condition(
        +[](bool* hold) { return !*hold; }, &hold_commits_));
    for (offsets::SubmittedRecord* r : held_) r->Ack();
    held_.clear();
    if (!commit_failure_.ok()) {
      absl::Status failure = std::move(commit_failure_);
      commit_failure_ = absl::OkStatus();
      transactions_.push_back("failed@" + std::to_string(sent_.size()));
      return failure;
    }
    transactions_.push_back("commit@" + std::to_string(sent_.size()));
    return absl::OkStatus();
  }
  absl::Status AbortTransaction(absl::Duration) override {
    absl::MutexLock lock(&mu_);
    transactions_.push_back("abort@" + std::to_string(sent_.size()));
    return absl::OkStatus();
  }

  // Test controls; any thread.
  // Called from the destructor, so a test can read a sender its task has replaced.
  void OnDestroy(std::function<void(const FakeSender&)> on_destroy) {
    on_destroy_ = std::move(on_destroy);
  }
  // While held, a CommitTransaction waits (a commit waiting for the broker).
  void HoldCommits(bool hold) {
    absl::MutexLock lock(&mu_);
    hold_commits_ = hold;
  }
  // CommitTransaction calls so far, held ones included.
  int commits_started() const {
    absl::MutexLock lock(&mu_);
    return commits_started_;
  }
  // The next CommitTransaction returns `failure` (as the producer does after aborting).
  void FailNextCommit(absl::Status failure) {
    absl::MutexLock lock(&mu_);
    commit_failure_ = std::move(failure);
  }
  std::vector<std::string> transactions() const {
    absl::MutexLock lock(&mu_);
    return transactions_;
  }
  void AckOldest(size_t n) {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < n && !held_.empty(); ++i) {
      held_.front()->Ack();
      held_.pop_front();
    }
  }
  void SetFull(bool full) {
    absl::MutexLock lock(&mu_);
    full_ = full;
  }
  // The Send of the `index`-th record (0-based) returns `refusal`.
  void RefuseSend(size_t index, absl::Status refusal) {
    absl::MutexLock lock(&mu_);
    refuse_at_ = index;
    refusal_ = std::move(refusal);
  }
  // The `index`-th record is taken, then its delivery fails with `code`.
  void FailDelivery(size_t index, absl::StatusCode code = absl::StatusCode::kInternal) {
    absl::MutexLock lock(&mu_);
    fail_delivery_at_ = index;
    delivery_failure_code_ = code;
  }
  void SetFatal(absl::Status fatal) {
    absl::MutexLock lock(&mu_);
    fatal_ = std::move(fatal);
  }
  std::vector<Sent> sent() const {
    absl::MutexLock lock(&mu_);
    return sent_;
  }
  size_t sent_count() const {
    absl::MutexLock lock(&mu_);
    return sent_.size();
  }
  // How many SendBatch calls handed every record of theirs over.
  int batch_count() const {
    absl::MutexLock lock(&mu_);
    return batch_count_;
  }
  int flushes() const {
    absl::MutexLock lock(&mu_);
    return flushes_;
  }
  int waits() const {
    absl::MutexLock lock(&mu_);
    return waits_;
  }

 private:
  bool HasRoomLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !full_ || !fatal_.ok(); }

  const Settle settle_;
  std::function<void(const FakeSender&)> on_destroy_;  // set before the task starts
  mutable absl::Mutex mu_;
  std::vector<Sent> sent_ ABSL_GUARDED_BY(mu_);
  std::deque<offsets::SubmittedRecord*> held_ ABSL_GUARDED_BY(mu_);
  bool full_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<size_t> refuse_at_ ABSL_GUARDED_BY(mu_);
  absl::Status refusal_ ABSL_GUARDED_BY(mu_);
  std::optional<size_t> fail_delivery_at_ ABSL_GUARDED_BY(mu_);
  absl::StatusCode delivery_failure_code_ ABSL_GUARDED_BY(mu_) = absl::StatusCode::kInternal;
  absl::Status fatal_ ABSL_GUARDED_BY(mu_);
  int waits_ ABSL_GUARDED_BY(mu_) = 0;
  int batch_count_ ABSL_GUARDED_BY(mu_) = 0;
  int flushes_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> transactions_ ABSL_GUARDED_BY(mu_);
  absl::Status commit_failure_ ABSL_GUARDED_BY(mu_);
  bool hold_commits_ ABSL_GUARDED_BY(mu_) = false;
  int commits_started_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_UNIT_WORKER_FAKE_SENDER_H_
