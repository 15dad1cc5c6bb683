// Runs a task's OffsetCommitter on a thread of its own, so the task thread never waits for the
// offsets topic (Kafka Connect's SourceTaskOffsetCommitter role): the task asks for a commit and
// goes straight back to polling; it collects the outcome on a later turn of its loop.
//
// Why: a commit waits for Kafka to acknowledge the offsets write. Done on the task thread it held
// every record polled meanwhile — a commit that waited on the broker for ~1 s (the first write of
// a process, a leader election, a slow disk) showed up as a ~1 s latency spike
// (docs/benchmarks.md, latency).
//
// What is committed does not change: each commit takes what SubmittedRecords says is committable
// at that moment (only records Kafka acknowledged, with every earlier record of their partition),
// exactly as a commit on the task thread would.
//
// Threads: Request, TakeResult and Stop from the owner's thread (the task thread); Commit runs on
// this object's thread. Between construction and Stop, only this object calls
// `committer->Commit`; after Stop returns, the owner may call it directly (the final commit).
#ifndef SLUICE_RUNTIME_OFFSETS_ASYNC_OFFSET_COMMITTER_H_
#define SLUICE_RUNTIME_OFFSETS_ASYNC_OFFSET_COMMITTER_H_

#include <cstdint>
#include <optional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/offsets/offset_committer.h"

namespace sluice::offsets {

class AsyncOffsetCommitter {
 public:
  // Starts the thread. `committer` must outlive this; each Commit waits up to `timeout`.
  AsyncOffsetCommitter(OffsetCommitter* committer, absl::Duration timeout);
  // Stop().
  ~AsyncOffsetCommitter();
  AsyncOffsetCommitter(const AsyncOffsetCommitter&) = delete;
  AsyncOffsetCommitter& operator=(const AsyncOffsetCommitter&) = delete;

  // Asks for a commit and returns at once. Requests made while a commit runs are served by one
  // more commit after it (they coalesce: that commit takes everything committable by then).
  void Request();

  // The outcome of the commits that ended since the last call, or nullopt when none did. Never
  // waits. When several ended: a delivery failure (Aborted) first, then the first other error,
  // else OK.
  std::optional<absl::Status> TakeResult();

  // Waits for the commit that is running, if any, then ends the thread; a request not yet started
  // is dropped (the owner makes the final commit itself). Idempotent.
  void Stop();

  // Commits that ran to completion so far (tests and diagnostics).
  int64_t commits() const;

 private:
  void Run();

  OffsetCommitter* const committer_;
  const absl::Duration timeout_;
  mutable absl::Mutex mu_;
  bool requested_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t commits_ ABSL_GUARDED_BY(mu_) = 0;
  std::optional<absl::Status> result_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: starts once everything above is initialised
};

}  // namespace sluice::offsets

#endif  // SLUICE_RUNTIME_OFFSETS_ASYNC_OFFSET_COMMITTER_H_
