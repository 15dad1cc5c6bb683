#ifndef SLUICE_RUNTIME_WORKER_SEND_STAGE_H_
#define SLUICE_RUNTIME_WORKER_SEND_STAGE_H_

// SendStage is a source task's second thread: it runs one job at a time (the transforms,
// conversion and hand-over to the producer of one poll's records) while the task thread polls the
// connector for the next batch. A drain of a backlog is bound by one thread's pace, not by the
// machine's CPU (docs/benchmarks.md, "A true ceiling: the pipeline"); reading and decoding the
// binlog and building the records took about half of that thread's instructions, converting and
// producing them the other half, so the two run side by side.
//
// What it keeps: jobs run in the order handed over, one after the other on the one thread, so the
// records of every source partition reach the producer and the offsets tracker in poll order.
// At most one job runs or waits: Hand returns only once the previous job finished, so the batch
// that job read is free again and the memory in use is at most two polls' batches.
//
// A job's failure is kept: the next Hand returns it without starting its job (whose records are
// then never sent, nor tracked, so no offset passes them), and so does Drain.
//
// Threads: Hand and Drain from one thread (the task thread); the job runs on the stage's thread.
// The destructor drains, then ends the thread.

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace sluice::worker {

class SendStage {
 public:
  using Job = std::function<absl::Status()>;

  SendStage();
  ~SendStage();
  SendStage(const SendStage&) = delete;
  SendStage& operator=(const SendStage&) = delete;

  // Waits for the job in progress, if any. When it failed, returns its failure and drops `job`
  // (and forgets the failure: the caller ends its run with it). Otherwise starts `job` on the
  // stage's thread and returns OK at once.
  absl::Status Hand(Job job);

  // Waits for the job in progress, if any; returns its failure, or OK. Afterwards nothing runs.
  absl::Status Drain();

 private:
  void Loop();
  bool IdleLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !busy_; }
  bool HasWorkOrEndsLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return job_ != nullptr || ending_;
  }

  absl::Mutex mu_;
  Job job_ ABSL_GUARDED_BY(mu_);            // handed over, not yet taken by the thread
  bool busy_ ABSL_GUARDED_BY(mu_) = false;  // a job waits or runs
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  bool ending_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_SEND_STAGE_H_
