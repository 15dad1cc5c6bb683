#include "runtime/worker/transaction_commit_thread.h"

#include "absl/time/clock.h"

namespace sluice::worker {

TransactionCommitThread::TransactionCommitThread(kafka::RecordSender* producer,
                                                 absl::Duration timeout)
    : producer_(producer), timeout_(timeout), thread_([this] { Run(); }) {}

TransactionCommitThread::~TransactionCommitThread() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void TransactionCommitThread::Start() {
  running_ = true;
  absl::MutexLock lock(&mu_);
  outcome_.reset();
  requested_ = true;
}

bool TransactionCommitThread::HasWorkLocked() const { return requested_ || stopping_; }

bool TransactionCommitThread::HasOutcomeLocked() const { return outcome_.has_value(); }

bool TransactionCommitThread::done() const {
  absl::MutexLock lock(&mu_);
  return outcome_.has_value();
}

TransactionCommitThread::Outcome TransactionCommitThread::Await() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &TransactionCommitThread::HasOutcomeLocked));
  running_ = false;
  Outcome outcome = *std::move(outcome_);
  outcome_.reset();
  return outcome;
}

void TransactionCommitThread::Run() {
  absl::MutexLock lock(&mu_);
  while (true) {
    mu_.Await(absl::Condition(this, &TransactionCommitThread::HasWorkLocked));
    // A requested commit runs even when stopping: the destructor waits for it rather than
    // leave the transaction half done.
    if (!requested_) return;
    requested_ = false;
    mu_.Unlock();
    absl::Status status = producer_->CommitTransaction(timeout_);
    const absl::Time ended = absl::Now();
    mu_.Lock();
    outcome_ = Outcome{std::move(status), ended};
  }
}

}  // namespace sluice::worker
