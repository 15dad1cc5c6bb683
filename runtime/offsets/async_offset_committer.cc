#include "runtime/offsets/async_offset_committer.h"

#include <utility>

namespace sluice::offsets {

AsyncOffsetCommitter::AsyncOffsetCommitter(OffsetCommitter* committer, absl::Duration timeout)
    : committer_(committer), timeout_(timeout), thread_([this] { Run(); }) {}

AsyncOffsetCommitter::~AsyncOffsetCommitter() { Stop(); }

void AsyncOffsetCommitter::Request() {
  absl::MutexLock lock(&mu_);
  requested_ = true;
}

std::optional<absl::Status> AsyncOffsetCommitter::TakeResult() {
  absl::MutexLock lock(&mu_);
  return std::exchange(result_, std::nullopt);
}

void AsyncOffsetCommitter::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

int64_t AsyncOffsetCommitter::commits() const {
  absl::MutexLock lock(&mu_);
  return commits_;
}

void AsyncOffsetCommitter::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](AsyncOffsetCommitter* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->requested_ || self->stopping_;
          },
          this));
      if (stopping_) return;
      requested_ = false;
    }
    // The write waits on Kafka without the lock, so Request and TakeResult never wait for it.
    absl::Status status = committer_->Commit(timeout_);
    absl::MutexLock lock(&mu_);
    ++commits_;
    if (!result_.has_value() || (result_->ok() && !status.ok()) ||
        (absl::IsAborted(status) && !absl::IsAborted(*result_))) {
      result_ = std::move(status);
    }
  }
}

}  // namespace sluice::offsets
