#ifndef SLUICE_RUNTIME_WORKER_SOURCE_TASK_H_
#define SLUICE_RUNTIME_WORKER_SOURCE_TASK_H_

// WorkerSourceTask runs one task of a source connector on its own thread, as Kafka Connect's
// class of that name does: poll the plugin for a batch, run each record through the connector's
// transforms (a record they drop is settled at once), convert its key and value,
// hand it to the producer (keyed, murmur2), track it until Kafka acknowledges it, and commit the
// offsets that became safe every offset.flush.interval.ms (each attempt's first one as soon as it
// is safe) and once more when stopping. The periodic commits run on a committer thread of the
// task's own (offsets::AsyncOffsetCommitter), so a poll never waits for the offsets topic; the
// final one runs on the task thread.
//
// A poll that fails with UNAVAILABLE is transient: its records are discarded and the task polls
// again after the project's retry back-off (retry_backoff.h: 100 ms doubling to 10 s).
//
// Delivery policy (at-least-once): an offset is written only when its record and every earlier
// record of its source partition are acknowledged. A record Kafka refuses (after librdkafka's
// retries, i.e. after delivery.timeout.ms), a fatal producer error or a plugin error ends the
// task's current attempt: it stops polling, still commits the safe prefix, and the attempt ends
// with the error kept.
//
// Riding out a transient failure (a broker outage longer than delivery.timeout.ms, a fatal
// idempotent-producer error, the offsets topic unreadable): when the error is transient
// (IsTransientTaskFailure), the task restarts itself instead of ending FAILED. It throws the
// attempt away (the plugin's task, the producer, the tracker), waits per RetryBackoff (ceiling
// `errors.retry.delay.max.ms`), reads the offsets topic again and starts a new attempt: a new
// producer from the factory and the plugin's task from the last committed offsets, so every record
// that was not acknowledged is produced again and none is skipped. It gives up, FAILED with the
// last error, once a run of restarts has lasted `errors.retry.timeout` (-1: never gives up); an
// attempt that committed offsets ends the run. Other errors (a record too large, a refused
// config, a plugin's own failure) end the task FAILED at once: restarting would fail the same way.
//
// Exactly-once (spec.transactions set; docs/worker.md, "Exactly-once"): the producer is
// transactional (transactional.id `<group.id>-<connector>-<task>`), made before the offsets are
// read, so making it fences every earlier producer of this task and settles the transaction that
// one left open before this attempt learns where to start. Records go out inside a transaction,
// begun before the first record after a commit; at the boundary (after each poll's records,
// every transaction.boundary.interval.ms, or where the connector marks one) the task writes the
// offsets the transaction's records reached to the offsets topic inside the same transaction and
// commits, without first waiting for the records (the commit does: it fails unless every record
// of the transaction was delivered): a read_committed consumer sees the records exactly when
// their offsets are committed. Everything the transactions do with the producer runs on the
// attempt's TransactionThread: the task thread polls, transforms and converts each poll and
// queues it (its records and the offsets they reached, one segment per stretch between
// boundaries); the transaction thread begins a transaction, hands the queued records to the
// producer, writes the offsets record and commits. At the poll boundary the polls queued while a
// commit runs go together in the next transaction (group commit, bounded by kGroupCommitRecords
// and kGroupCommitBytes, which also bound the queue: past them the task stops polling), a poll
// is never split across transactions, and a poll that finds the thread idle is a transaction of
// its own. While the thread has work the connector's poll is asked to return within
// kPollWhileCommittingMs, so a commit's outcome is taken (and the plugin told, on the task
// thread) soon after it returns. A transaction that fails is aborted, nothing queued after it is
// sent, and the attempt ends Aborted, so the task rewinds to the committed offsets with a new
// producer (the restart above); a record of it refused for good fails the task with its own
// error; a fenced producer ends the task FAILED (another one runs it). A stop commits the
// transactions queued and the open one, or aborts the open one with connector-defined boundaries
// (a source transaction is never committed in part). The periodic offset commits and
// GuardedOffsetWriter are not used: fencing does their work.
//
// Seams (for tests/unit/worker): the producer is any kafka::RecordSender made by a factory, the
// offsets topic any OffsetBackingStore and topic creation any kafka::DataTopics; the worker wires
// the real ones.
//
// Threads: Start, Stop and Join from any thread; the committer thread writes the periodic offset
// commits; exactly-once, the transaction thread does everything with the producer's
// transactions; the task thread does everything else, and every call into the plugin. The
// TaskView getters from any thread.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "runtime/config/worker_config.h"
#include "runtime/convert/converter.h"
#include "runtime/kafka/record_sender.h"
#include "runtime/kafka/topic_admin.h"
#include "runtime/offsets/async_offset_committer.h"
#include "runtime/offsets/offset_committer.h"
#include "runtime/offsets/submitted_records.h"
#include "runtime/plugin/host_context.h"
#include "runtime/plugin/plugin.h"
#include "runtime/plugin/plugin_calls.h"
#include "runtime/worker/connector_check.h"
#include "runtime/transform/transform_chain.h"
#include "runtime/worker/exactly_once_config.h"
#include "runtime/worker/guarded_offset_writer.h"
#include "runtime/worker/offset_backing_store.h"
#include "runtime/worker/record_error_handler.h"
#include "runtime/worker/retry_backoff.h"
#include "runtime/worker/task_view.h"
#include "runtime/worker/transaction_thread.h"

namespace sluice::worker {

// When a transiently failed task is restarted (ConnectorConfig's errors.retry.* keys).
struct TaskRetryPolicy {
  absl::Duration timeout = absl::InfiniteDuration();  // errors.retry.timeout; zero = never
  absl::Duration delay_max = absl::Seconds(60);       // errors.retry.delay.max.ms
};

// Exactly-once delivery of one task (the worker's exactly.once.source.support=enabled): how its
// Kafka transactions are bounded and where its offsets are written inside them.
struct TaskTransactions {
  TransactionBoundary boundary = TransactionBoundary::kPoll;
  absl::Duration interval = absl::Seconds(60);  // for kInterval
  std::string offsets_topic;                    // the connector's or the worker's offsets topic
  absl::Duration commit_timeout = absl::Seconds(60);
};

struct SourceTaskSpec {
  std::string connector_name;
  int task_id = 0;
  std::shared_ptr<const plugin::Plugin> plugin;
  ConfigMap task_config;
  TaskRetryPolicy retry;
  // The connector's config: its `transforms` / `predicates` make the task's transform chain, its
  // `errors.tolerance` and `errors.log.*` what a record the chain or the converters fail on does
  // (record_error_handler.h, retried per `retry`).
  ConfigMap connector_config;
  ConnectorConverters converters;  // ConvertersFor; left empty: the worker's
  // Set: exactly-once (the factory makes transactional senders); unset: at-least-once.
  std::optional<TaskTransactions> transactions;
};

// Whether a task that ended with `failure` is restarted from its committed offsets: the broker
// unreachable or slow (Unavailable, DeadlineExceeded, ResourceExhausted) or a producer that must
// be recreated (Aborted: a fatal producer error). Everything else would fail again the same way.
bool IsTransientTaskFailure(const absl::Status& failure);

// Makes the producer of each attempt (the first and one per restart).
using RecordSenderFactory = std::function<absl::StatusOr<std::unique_ptr<kafka::RecordSender>>()>;

// What the worker lends every task; each must outlive the tasks.
struct SourceTaskServices {
  const config::WorkerConfig* config = nullptr;
  OffsetBackingStore* offset_store = nullptr;
  kafka::DataTopics* data_topics = nullptr;
  LogSink log;
  // When set, asked after every poll before its records are sent: an error (a cluster worker
  // that lost its membership, docs/cluster.md) ends the attempt with it, the records unsent.
  std::function<absl::Status()> fence = nullptr;
};

class WorkerSourceTask : public TaskView {
 public:
  // Makes the converters and the first producer, starts the plugin's task with the connector's
  // committed offsets (as the offsets store last read them), and starts the task thread.
  // `producers` is called on the task thread for each restart. `offsets_read` is how the
  // caller's read of the offsets topic just before ended. A transient failure there or of the
  // first attempt (the broker unreachable: the offsets topic, a transactional producer's init)
  // does not fail the start: the task thread begins with the restarts (the class comment), so a
  // task started during a broker outage runs once the broker is back. Other failures are
  // returned.
  static absl::StatusOr<std::unique_ptr<WorkerSourceTask>> Start(
      SourceTaskSpec spec, SourceTaskServices services, RecordSenderFactory producers,
      absl::Status offsets_read = absl::OkStatus());

  // Stops the task if it runs and waits for it.
  ~WorkerSourceTask() override;

  // Asks the task to stop; returns at once. The task thread then flushes the producer, commits
  // the offsets that became safe, and ends.
  void Stop();

  // Waits for the task thread to end. OK after a requested stop; the failure otherwise.
  absl::Status Join();

  const std::string& who() const { return who_; }

  // TaskView (task_view.h says what each means).
  int task_id() const override { return spec_.task_id; }
  TaskState state() const override;
  absl::Status failure() const override;
  int64_t records_polled() const override {
    return records_polled_.load(std::memory_order_relaxed);
  }
  int64_t records_sent() const override { return records_sent_.load(std::memory_order_relaxed); }
  int64_t in_flight_bytes() const override;
  std::vector<std::string> topics() const override;
  std::optional<plugin::TaskProgress> progress() const override;
  TaskErrorFigures errors() const override { return errors_->figures(); }
  std::vector<TopicLag> ack_lags() const override;
  // Restarts after transient failures since the task started (tests and diagnostics).
  int restarts() const { return restarts_.load(std::memory_order_relaxed); }

 private:
  struct Attempt;
  WorkerSourceTask(SourceTaskSpec spec, SourceTaskServices services, RecordSenderFactory producers);
  // `start_failure`: the transient failure that left the task without a first attempt.
  void Run(absl::Status start_failure);
  // Runs the current attempt until it stops or fails, then settles it (flush, final commit).
  // Returns OK after a requested stop, the failure otherwise.
  absl::Status RunAttempt();
  absl::Status EndAttempt(absl::Status status);
  // A new attempt from the offsets committed so far (`reread`: read the offsets topic first).
  absl::StatusOr<std::unique_ptr<Attempt>> NewAttempt(bool reread);
  // Makes `next` the current attempt (under mu_, so getters and Stop see one or the other) and
  // destroys the previous one.
  void ReplaceAttempt(std::unique_ptr<Attempt> next);
  // Sleeps `wait` unless a stop is requested first; false when it was.
  bool SleepUnlessStopped(absl::Duration wait);
  // Polls the connector into `batch` and sends its records: at-least-once SendPolled then
  // SendPending, exactly-once QueueInTransactions.
  absl::Status PollAndSend(data::RecordBatch& batch);
  // At-least-once: the poll's records through TransformAndSend, each run of one source
  // partition's last carrying its offset.
  absl::Status SendPolled(data::RecordBatch& batch);
  // Hands the records gathered in pending_ to the producer, in one batch; a record it refuses
  // and those after it are failed in the tracker. Empties pending_.
  absl::Status SendPending();
  // Converts `record` and adds it to pending_ (sent by SendPending).
  // `carries_offset`: whether the tracker keeps this record's offset (see PollAndSend). `polled`
  // is the record as the connector made it, `record` as the transforms left it; a record whose
  // conversion fails is settled as dropped when errors.tolerance=all lets it be skipped.
  absl::Status Send(const data::SourceRecord& polled, const data::SourceRecord& record,
                    bool carries_offset);
  // The connector's transform chain on `polled`, then Send, or SettleDropped when it drops it
  // (or fails on it and errors.tolerance=all).
  absl::Status TransformAndSend(const data::SourceRecord& polled, data::RecordBatch& batch,
                                bool carries_offset);
  // A record the transform chain dropped: its offset counts as delivered (Kafka Connect acks a
  // filtered record at once), so a run of dropped records does not hold back the commit.
  void SettleDropped(const data::SourceRecord& record, bool carries_offset);
  // The tracker's handle for `record`'s source partition (the last one remembered).
  offsets::PartitionHandle PartitionOf(const data::SourceRecord& record);
  absl::Status EnsureTopic(std::string_view topic);
  // Exactly-once: the poll's records, converted and queued for the transaction thread, one
  // segment per stretch between the transaction boundaries of `batch`.
  absl::Status QueueInTransactions(data::RecordBatch& batch);
  // Exactly-once: queues what pending_ gathered (and the offsets it reached) as one segment for
  // the transaction thread; `ends_transaction`: a boundary follows it.
  void QueueSegment(bool ends_transaction);
  // Exactly-once: takes the transaction thread's outcomes: tells the plugin the committed
  // offsets, or returns TransactionFailure's status for a failed transaction.
  absl::Status TakeTransactionOutcomes();
  // The records gathered in pending_ are never sent: each fails with `why` in the tracker.
  void DiscardPending(const absl::Status& why);
  // Exactly-once: `record` (sent, or dropped by the transforms) is its partition's newest in the
  // segment being gathered: its offset is what the commit writes for that partition.
  void NoteTransactionOffset(const data::SourceRecord& record);
  // What a failed transaction (`status`, already aborted) ends the attempt with: the error of a
  // record of it refused for good, else `status`.
  absl::Status TransactionFailure(absl::Status status);
  // The attempt's final commit, on the task thread once its committer thread has stopped.
  absl::Status CommitOffsets(bool final_commit);
  // After a commit ended with `status`: tells the plugin what is now committed and applies the
  // failure policy (a delivery failure fails the task; a failed write is retried next time).
  absl::Status AfterCommit(absl::Status status, bool final_commit);
  void Finish(absl::Status status);

  // One run of the plugin's task against one producer, from the committed offsets: what a
  // restart after a transient failure replaces whole. Declaration order is destruction order
  // reversed: the plugin's task goes first, then the transaction thread (which uses the producer),
  // the producer (whose destructor waits for its last delivery reports, which touch the tracker),
  // the commit thread before its committer, and the tracker last.
  struct Attempt {
    Attempt(OffsetBackingStore* store,
            std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> start)
        : offset_writer(store, std::move(start)) {}
    offsets::SubmittedRecords tracker;
    GuardedOffsetWriter offset_writer;
    std::unique_ptr<offsets::OffsetCommitter> committer;
    std::unique_ptr<offsets::AsyncOffsetCommitter> commit_thread;
    std::unique_ptr<kafka::RecordSender> producer;
    // Exactly-once: everything the transactions do with the producer; goes before it.
    std::unique_ptr<TransactionThread> transactions;
    std::unique_ptr<plugin::TaskInstance> task;
    // The last partition seen, so a run of records to one partition pays for no lookup.
    std::optional<offsets::SourcePartition> last_partition;
    offsets::PartitionHandle last_partition_handle;
    bool offset_sent = false;  // a record carrying an offset was sent
    bool committed = false;    // a commit wrote offsets: the attempt made durable progress
    // Keys and values gathered in pending_ (exactly-once: a segment's bytes).
    int64_t gathered_bytes = 0;
    // Exactly-once: records were queued since the last boundary (the open transaction), since
    // `transaction_began` (the interval boundary counts from it).
    bool in_transaction = false;
    absl::Time transaction_began;
    // Exactly-once: the segment being gathered: when its first record was polled, and the offset
    // each source partition reached in it (its newest record's), in first-seen order.
    std::optional<absl::Time> segment_began;
    std::vector<offsets::CommittableOffset> segment_offsets;
  };

  const SourceTaskSpec spec_;
  const SourceTaskServices services_;
  const RecordSenderFactory producers_;
  const std::string who_;

  std::unique_ptr<convert::Converter> key_converter_;
  std::unique_ptr<convert::Converter> value_converter_;
  std::unique_ptr<convert::Converter> header_converter_;
  // Their class names, for the error handler's messages.
  struct {
    std::string key, value, header;
  } converter_classes_;
  // The connector's transforms (transform_chain.h); nullptr when it declares none.
  std::unique_ptr<transform::TransformChain> transforms_;
  // The transforms' and converters' failures: retried, tolerated, logged, counted.
  std::unique_ptr<RecordErrorHandler> errors_;
  // Written by the task thread under mu_; the task thread reads it without the lock, every
  // other thread with it.
  std::unique_ptr<Attempt> attempt_;

  // Task-thread state: the last topic known to exist, so a run of records to one topic pays for
  // no lookup.
  std::string known_topic_;
  LagHistogram* known_topic_lag_ = nullptr;  // ack_lags_'s histogram of known_topic_
  absl::string_view known_topic_name_;        // known_topic_ as ack_lags_'s key (lives as long)
  std::vector<std::string> header_values_;
  std::vector<kafka::RecordHeader> headers_;
  // The current poll's converted records, not yet handed to the producer (SendPending) or, under
  // exactly-once, queued for the transaction thread (QueueSegment, which takes the batch and
  // leaves a spare). Their memory lives on while any of them is in flight (outgoing_batch.h),
  // whatever the attempt.
  std::unique_ptr<kafka::OutgoingBatch> pending_ = std::make_unique<kafka::OutgoingBatch>();

  RetryBackoff retry_backoff_;  // task thread: after an UNAVAILABLE poll
  std::atomic<bool> stop_requested_{false};
  std::atomic<int64_t> records_polled_{0};  // the connector's records, before the transforms
  std::atomic<int64_t> records_sent_{0};
  std::atomic<int> restarts_{0};
  mutable absl::Mutex mu_;
  TaskState state_ ABSL_GUARDED_BY(mu_) = TaskState::kRunning;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> topics_ ABSL_GUARDED_BY(mu_);
  // Commit-to-ack lag per topic written, of records with a source time: made when a topic is
  // first written (EnsureTopic), recorded by the producer's delivery thread without the lock
  // (LagHistogram is atomics), kept for the task's life so in-flight records of an attempt
  // never outlive theirs.
  std::map<std::string, std::unique_ptr<LagHistogram>> ack_lags_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_SOURCE_TASK_H_
