// Exactly-once: the thread that does everything a task's Kafka transactions do with the producer
// (begin, hand the records over, write the offsets record, commit, abort), fed by the task thread
// through a queue of converted polls. The task thread polls, transforms, converts and queues; it
// never waits for a commit unless the queue is full (back-pressure), and it never stops gathering
// while records are handed to librdkafka (docs/worker.md, "Exactly-once";
// docs/benchmarks.md, "Exactly-once: a transaction thread").
//
// What a transaction holds: the task queues Segments, each the records of one poll between
// boundaries (converted, tracked) with the offsets they reached; a Segment that ends_transaction
// closes the transaction: once its records are in, the offsets the transaction's segments reached
// (each partition's newest) are written to the offsets topic inside it and it is committed. A
// segment is never split across transactions. With `group` (the poll boundary), a transaction
// takes every segment queued when it begins (those that came while the last commit ran) until
// `max_records` or `max_bytes` is reached (so it may pass them by one segment's worth); later
// ones go in the next (group commit). A segment that finds the thread idle is a transaction of
// its own (Queue finds the thread idle). librdkafka 2.0.2
// refuses to produce between commit_transaction's call and its return, so the next transaction
// begins after the commit returned, at least kTransactionGap after it.
//
// Failures: a commit, begin, send or offsets write that fails ends the thread's work for good: the
// open transaction is aborted (unless the producer failed fatally), everything queued and
// everything queued later is discarded (its tracked records failed), and the failure is the
// next outcome. Nothing queued after a failed transaction reaches the producer.
//
// Threads: every public method from the owner's thread (the task thread) only; the producer is
// used on this object's thread only between construction and destruction (the task thread may
// still call its thread-safe WaitForRoom, fatal_error, in_flight_bytes).
#ifndef SLUICE_RUNTIME_WORKER_TRANSACTION_THREAD_H_
#define SLUICE_RUNTIME_WORKER_TRANSACTION_THREAD_H_

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/kafka/outgoing_batch.h"
#include "runtime/kafka/record_sender.h"
#include "runtime/offsets/submitted_records.h"

namespace sluice::worker {

class TransactionThread {
 public:
  struct Settings {
    kafka::RecordSender* producer = nullptr;  // transactional; outlives this
    std::string connector_name;               // the offsets records' keys
    std::string offsets_topic;
    absl::Duration commit_timeout = absl::Seconds(60);
    // Group commit (poll boundary, unless SLUICE_BENCH_GROUP_COMMIT=off): several ending
    // segments in one transaction, up to these bounds. Also the queue's back-pressure bounds.
    bool group = true;
    size_t max_records = 16384;
    int64_t max_bytes = int64_t{16} << 20;
    // Counts the records handed to the producer; null: not counted (per-record metrics off).
    std::atomic<int64_t>* records_sent = nullptr;
  };

  // One poll's records between boundaries, as the task queues them.
  struct Segment {
    std::unique_ptr<kafka::OutgoingBatch> records;  // may be empty (the transforms dropped all)
    int64_t bytes = 0;                              // of keys and values
    // Each source partition's newest offset among these records (sent or dropped).
    std::vector<offsets::CommittableOffset> offsets;
    bool ends_transaction = false;
    absl::Time gathered;  // when its first record was polled
  };

  // What a committed (or failed) transaction came to, for the task thread to act on.
  struct Outcome {
    absl::Status status;  // OK: committed; else the failure (the transaction aborted)
    std::vector<offsets::CommittableOffset> offsets;  // committed with it
  };

  // What the attempt's committed transactions took, for the INFO line at its end
  // (docs/benchmarks.md reads it).
  struct Figures {
    int64_t transactions = 0;
    int64_t records = 0;
    absl::Duration open;     // first record polled to commit started, summed
    absl::Duration queued;   // of which its first segment waited in the queue
    absl::Duration commits;  // commit started to returned, summed
    absl::Duration longest_commit;
    std::string Describe() const;
  };

  explicit TransactionThread(Settings settings);
  // Ends the thread: a commit that runs finishes first; what is still queued is dropped unsent.
  ~TransactionThread();
  TransactionThread(const TransactionThread&) = delete;
  TransactionThread& operator=(const TransactionThread&) = delete;

  // Queues `segment`; returns at once. After a failure (or Finish) its records are failed in
  // their tracker and never sent.
  void Queue(Segment segment);
  // True once the queue is below the bounds (the task may poll and queue again), or after a
  // failure or Finish; false when `timeout` passed first.
  bool WaitForRoom(absl::Duration timeout);
  // Work queued or under way, or outcomes not yet taken: the task should poll briefly so it
  // takes them soon.
  bool busy() const;
  // The outcomes since the last call, oldest first; a failure is the last there will be.
  std::vector<Outcome> TakeOutcomes();
  // Ends the work: the queued segments go as they would (their transactions committed), then
  // the transaction left open (segments queued without an end) is committed (`commit_open`) or
  // aborted; with `abort_all` nothing queued is sent and the open transaction is aborted. Waits
  // until that is done (a commit that runs ends first). Outcomes remain to be taken.
  void Finish(bool commit_open, bool abort_all);
  // An emptied batch for the next segment (one that went out, so its memory blocks are reused),
  // or a new one.
  std::unique_ptr<kafka::OutgoingBatch> SpareBatch();
  // Figures of the committed transactions; after Finish.
  Figures figures() const;

 private:
  enum class Ending { kNone, kCommitOpen, kAbortOpen, kAbortAll };
  void Run();
  bool HasWorkLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasRoomLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool FinishedLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // This thread, without the lock: the segment's records into the open transaction (begun
  // first). Returns the failure, the transaction then aborted or failed.
  absl::Status Add(Segment& segment);
  absl::Status Begin();
  // Writes the offsets record(s) into the open transaction and commits it; `committed` gets the
  // offsets it wrote.
  absl::Status Commit(std::vector<offsets::CommittableOffset>& committed);
  // Aborts the open transaction, if begun (and the producer has not failed fatally).
  void Abort();
  // Fails every record of `segment` in its tracker with `why`.
  static void Discard(Segment& segment, const absl::Status& why);

  const Settings settings_;

  // This thread's own: the open transaction.
  bool begun_ = false;            // BeginTransaction called
  bool open_ = false;             // a segment is in it (records or offsets)
  size_t open_records_ = 0;
  absl::Time open_since_;
  absl::Time open_taken_;  // when its first segment left the queue
  std::vector<offsets::CommittableOffset> open_offsets_;
  absl::Time last_commit_ended_ = absl::InfinitePast();

  mutable absl::Mutex mu_;
  std::deque<Segment> queue_ ABSL_GUARDED_BY(mu_);
  size_t queued_records_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t queued_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  bool working_ ABSL_GUARDED_BY(mu_) = false;  // segments queued or being handled
  // Segments the open transaction still takes from the queue before its commit: 1 for one that
  // found the thread idle; else counted when the transaction takes its first.
  size_t group_left_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);  // set once: nothing more goes out
  Ending ending_ ABSL_GUARDED_BY(mu_) = Ending::kNone;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;  // the ending is done
  bool destroying_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Outcome> outcomes_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<kafka::OutgoingBatch>> spares_ ABSL_GUARDED_BY(mu_);
  Figures figures_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: starts once everything above is initialised
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_TRANSACTION_THREAD_H_
