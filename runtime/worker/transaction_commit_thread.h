// Exactly-once: runs a task's Kafka transaction commits on a thread of their own, so the task
// thread polls and converts the next transaction's records while a commit waits for the broker
// (the transaction's records acknowledged, then EndTxn): librdkafka 2.0.2 refuses to produce
// between commit_transaction's call and its return, so without this the task thread sat idle for
// every commit (docs/benchmarks.md, "Exactly-once: the next poll while the commit runs").
//
// What is committed does not change: the task starts a commit only once the transaction's records
// and offsets are in it, and touches the producer again (begins the next transaction, sends its
// records) only after Await has returned the commit's outcome.
//
// Threads: Start, running and Await from the owner's thread (the task thread); the commit runs on
// this object's thread. One commit at a time.
#ifndef SLUICE_RUNTIME_WORKER_TRANSACTION_COMMIT_THREAD_H_
#define SLUICE_RUNTIME_WORKER_TRANSACTION_COMMIT_THREAD_H_

#include <optional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/kafka/record_sender.h"

namespace sluice::worker {

class TransactionCommitThread {
 public:
  // What a commit came to, and when it returned (the next transaction's first records wait a
  // little after that: source_task.cc, kTransactionGap).
  struct Outcome {
    absl::Status status;
    absl::Time ended;
  };

  // Starts the thread. `producer` must outlive this; each commit waits up to `timeout`.
  TransactionCommitThread(kafka::RecordSender* producer, absl::Duration timeout);
  // Waits for a commit that runs, then ends the thread.
  ~TransactionCommitThread();
  TransactionCommitThread(const TransactionCommitThread&) = delete;
  TransactionCommitThread& operator=(const TransactionCommitThread&) = delete;

  // Commits the producer's open transaction on this object's thread; returns at once.
  // Precondition: !running().
  void Start();
  // A commit was started and its outcome not yet taken by Await.
  bool running() const { return running_; }
  // Its outcome has come (Await would not wait).
  bool done() const;
  // Waits for the commit started last and returns its outcome. Precondition: running().
  Outcome Await();

 private:
  void Run();
  bool HasWorkLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasOutcomeLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  kafka::RecordSender* const producer_;
  const absl::Duration timeout_;
  bool running_ = false;  // owner's thread only
  mutable absl::Mutex mu_;
  bool requested_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<Outcome> outcome_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: starts once everything above is initialised
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_TRANSACTION_COMMIT_THREAD_H_
