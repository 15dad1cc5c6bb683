#include "runtime/worker/send_stage.h"

#include <utility>

namespace sluice::worker {

SendStage::SendStage() : thread_([this] { Loop(); }) {}

SendStage::~SendStage() {
  (void)Drain();
  {
    absl::MutexLock lock(&mu_);
    ending_ = true;
  }
  thread_.join();
}

absl::Status SendStage::Hand(Job job) {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &SendStage::IdleLocked));
  if (!failure_.ok()) return std::exchange(failure_, absl::OkStatus());
  job_ = std::move(job);
  busy_ = true;
  return absl::OkStatus();
}

absl::Status SendStage::Drain() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &SendStage::IdleLocked));
  return std::exchange(failure_, absl::OkStatus());
}

void SendStage::Loop() {
  absl::MutexLock lock(&mu_);
  while (true) {
    mu_.Await(absl::Condition(this, &SendStage::HasWorkOrEndsLocked));
    if (job_ == nullptr) return;  // ending, nothing handed over
    Job job = std::move(job_);
    job_ = nullptr;
    absl::Status status;
    {
      // The job runs without the lock, so Hand and Drain can wait on it.
      mu_.Unlock();
      status = job();
      job = nullptr;  // what it captured goes before the caller may reuse it
      mu_.Lock();
    }
    failure_ = std::move(status);
    busy_ = false;
  }
}

}  // namespace sluice::worker
