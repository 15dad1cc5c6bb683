#include "runtime/worker/source_task.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "runtime/common/failpoint.h"
#include "runtime/offsets/offset_codec.h"
#include "runtime/offsets/record_offsets.h"
#include "runtime/worker/bench_switches.h"

namespace sluice::worker {
namespace {

constexpr int64_t kPollTimeoutMs = 100;
// Exactly-once, poll boundary: the polls queued while a commit runs go together in the next
// transaction (group commit, TransactionThread), so a transaction's fixed cost (the flush's round
// trip, AddPartitionsToTxn, EndTxn, ~12 ms on an idle machine) is paid once per commit's time
// rather than once per poll. Bounded so the records queued (converted, not yet handed over) stay
// small beside producer.buffer.memory: 8 polls of the MySQL connector's default max.batch.size
// (2,048), 16 MiB of keys and values. The same bounds stop the task polling while the queue
// holds that much (back-pressure).
constexpr size_t kGroupCommitRecords = 16384;
constexpr int64_t kGroupCommitBytes = int64_t{16} << 20;
// Exactly-once: while the transaction thread has work (a commit running, polls queued) or
// outcomes not yet taken, the connector's poll is asked to return within this rather than
// kPollTimeoutMs, so a commit's outcome is taken (the plugin told, a failed one rewound) soon
// after the commit returns even when the source has nothing to hand over.
constexpr int64_t kPollWhileCommittingMs = 10;
// How long a restart waits to read the offsets topic; bounded so a stop during an outage is not
// held up for long.
constexpr absl::Duration kRereadTimeout = absl::Seconds(10);

std::vector<std::pair<std::string, std::string>> ConverterProperties(
    const config::ConverterSettings& settings) {
  return {settings.properties.begin(), settings.properties.end()};
}

absl::string_view View(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace

bool IsTransientTaskFailure(const absl::Status& failure) {
  switch (failure.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kAborted:
      return true;
    default:
      return false;
  }
}

WorkerSourceTask::WorkerSourceTask(SourceTaskSpec spec, SourceTaskServices services,
                                   RecordSenderFactory producers)
    : spec_(std::move(spec)),
      services_(std::move(services)),
      producers_(std::move(producers)),
      who_(absl::StrCat(spec_.connector_name, "-", spec_.task_id)) {}

absl::StatusOr<std::unique_ptr<WorkerSourceTask>> WorkerSourceTask::Start(
    SourceTaskSpec spec, SourceTaskServices services, RecordSenderFactory producers,
    absl::Status offsets_read) {
  if (!offsets_read.ok() && !IsTransientTaskFailure(offsets_read)) return offsets_read;
  std::unique_ptr<WorkerSourceTask> task(
      new WorkerSourceTask(std::move(spec), std::move(services), std::move(producers)));
  ConnectorConverters converters = task->spec_.converters;
  if (converters.key.class_name.empty()) {
    absl::StatusOr<ConnectorConverters> workers = ConvertersFor({}, *task->services_.config);
    if (!workers.ok()) return workers.status();
    converters = *std::move(workers);
  }
  absl::StatusOr<std::unique_ptr<convert::Converter>> key_converter = convert::CreateConverter(
      converters.key.class_name, ConverterProperties(converters.key));
  if (!key_converter.ok()) return key_converter.status();
  absl::StatusOr<std::unique_ptr<convert::Converter>> value_converter = convert::CreateConverter(
      converters.value.class_name, ConverterProperties(converters.value));
  if (!value_converter.ok()) return value_converter.status();
  // Header values go out as schemaless JSON (Debezium's __debezium.oldkey/newkey headers hold a
  // key struct): ConvertersFor allows nothing else.
  absl::StatusOr<std::unique_ptr<convert::Converter>> header_converter = convert::CreateConverter(
      converters.header.class_name, ConverterProperties(converters.header));
  if (!header_converter.ok()) return header_converter.status();
  task->key_converter_ = *std::move(key_converter);
  task->value_converter_ = *std::move(value_converter);
  task->header_converter_ = *std::move(header_converter);
  task->converter_classes_ = {converters.key.class_name, converters.value.class_name,
                              converters.header.class_name};
  absl::StatusOr<std::unique_ptr<transform::TransformChain>> transforms =
      transform::TransformChain::Create(task->spec_.connector_config,
                                        absl::StrCat("connector ", task->spec_.connector_name));
  if (!transforms.ok()) return transforms.status();
  if (!(*transforms)->empty()) task->transforms_ = *std::move(transforms);
  absl::StatusOr<ErrorHandlingConfig> errors = ErrorHandlingFrom(task->spec_.connector_config);
  if (!errors.ok()) {
    return absl::Status(errors.status().code(), absl::StrCat("connector ", task->spec_.connector_name,
                                                             ": ", errors.status().message()));
  }
  task->errors_ = std::make_unique<RecordErrorHandler>(
      task->who_, *errors, task->spec_.retry.timeout, task->spec_.retry.delay_max,
      task->services_.log,
      [raw = task.get()](absl::Duration wait) { return raw->SleepUnlessStopped(wait); });

  // The worker read the offsets topic just before (Worker::StartTask); when that failed
  // transiently, the first attempt is the first restart's.
  absl::Status start_failure = offsets_read;
  if (start_failure.ok()) {
    absl::StatusOr<std::unique_ptr<Attempt>> first = task->NewAttempt(/*reread=*/false);
    if (first.ok()) {
      task->attempt_ = *std::move(first);
    } else if (IsTransientTaskFailure(first.status())) {
      start_failure = first.status();
    } else {
      return first.status();
    }
  }
  task->thread_ = std::thread([raw = task.get(), start_failure] { raw->Run(start_failure); });
  return task;
}

absl::StatusOr<std::unique_ptr<WorkerSourceTask::Attempt>> WorkerSourceTask::NewAttempt(
    bool reread) {
  // Exactly-once: the transactional producer first, so its init fences every earlier producer of
  // this task and settles the transaction it left open (committed or aborted) before the offsets
  // are read: what is read is then final.
  std::unique_ptr<kafka::RecordSender> producer;
  if (spec_.transactions.has_value()) {
    absl::StatusOr<std::unique_ptr<kafka::RecordSender>> made = producers_();
    if (!made.ok()) return made.status();
    producer = *std::move(made);
    reread = true;
  }
  if (reread) {
    if (absl::Status status = services_.offset_store->ReadToEnd(kRereadTimeout); !status.ok()) {
      return absl::Status(
          status.code(), absl::StrCat(who_, ": reading the committed offsets: ", status.message()));
    }
  }
  std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> committed =
      services_.offset_store->OffsetsFor(spec_.connector_name);
  auto attempt = std::make_unique<Attempt>(services_.offset_store, committed);
  attempt->committer = std::make_unique<offsets::OffsetCommitter>(
      spec_.connector_name, &attempt->tracker, &attempt->offset_writer);
  attempt->commit_thread = std::make_unique<offsets::AsyncOffsetCommitter>(
      attempt->committer.get(), services_.config->offset_flush_timeout);
  if (producer == nullptr) {
    absl::StatusOr<std::unique_ptr<kafka::RecordSender>> made = producers_();
    if (!made.ok()) return made.status();
    producer = *std::move(made);
  }
  attempt->producer = std::move(producer);
  if (spec_.transactions.has_value()) {
    const TaskTransactions& transactions = *spec_.transactions;
    attempt->transactions = std::make_unique<TransactionThread>(TransactionThread::Settings{
        .producer = attempt->producer.get(),
        .connector_name = spec_.connector_name,
        .offsets_topic = transactions.offsets_topic,
        .commit_timeout = transactions.commit_timeout,
        .group = transactions.boundary == TransactionBoundary::kPoll && GroupCommitOn(),
        .max_records = kGroupCommitRecords,
        .max_bytes = kGroupCommitBytes,
        .records_sent = PerRecordMetricsOn() ? &records_sent_ : nullptr});
  }
  absl::StatusOr<std::unique_ptr<plugin::TaskInstance>> instance =
      plugin::TaskInstance::Start(spec_.plugin, spec_.connector_name, spec_.task_id,
                                  spec_.task_config, std::move(committed), services_.log);
  if (!instance.ok()) return instance.status();
  attempt->task = *std::move(instance);
  return attempt;
}

void WorkerSourceTask::ReplaceAttempt(std::unique_ptr<Attempt> next) {
  std::unique_ptr<Attempt> previous;
  {
    absl::MutexLock lock(&mu_);
    previous = std::move(attempt_);
    attempt_ = std::move(next);
  }
  previous.reset();  // outside the lock: destroying a producer may wait for its reports
  // A stop requested while there was no attempt to signal reaches the new one here.
  if (stop_requested_.load(std::memory_order_acquire)) {
    absl::MutexLock lock(&mu_);
    if (attempt_ != nullptr) attempt_->task->Stop();
  }
}

WorkerSourceTask::~WorkerSourceTask() {
  Stop();
  (void)Join();
}

void WorkerSourceTask::Stop() {
  if (stop_requested_.exchange(true)) return;
  // The plugin's stop only signals (any thread may call it): a blocked poll returns early.
  absl::MutexLock lock(&mu_);
  if (attempt_ != nullptr) attempt_->task->Stop();
}

absl::Status WorkerSourceTask::Join() {
  if (thread_.joinable()) thread_.join();
  return failure();
}

TaskState WorkerSourceTask::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

absl::Status WorkerSourceTask::failure() const {
  absl::MutexLock lock(&mu_);
  return failure_;
}

int64_t WorkerSourceTask::in_flight_bytes() const {
  absl::MutexLock lock(&mu_);
  return attempt_ == nullptr ? 0 : attempt_->producer->in_flight_bytes();
}

std::optional<plugin::TaskProgress> WorkerSourceTask::progress() const {
  absl::MutexLock lock(&mu_);
  return attempt_ == nullptr ? std::nullopt : attempt_->task->progress();
}

bool WorkerSourceTask::SleepUnlessStopped(absl::Duration wait) {
  const absl::Time until = absl::Now() + wait;
  while (absl::Now() < until) {
    if (stop_requested_.load(std::memory_order_acquire)) return false;
    absl::SleepFor(std::min(absl::Milliseconds(20), until - absl::Now()));
  }
  return !stop_requested_.load(std::memory_order_acquire);
}

void WorkerSourceTask::Run(absl::Status start_failure) {
  absl::Status status = start_failure.ok() ? RunAttempt() : std::move(start_failure);
  RetryBackoff backoff(spec_.retry.delay_max);
  absl::Time run_began = absl::Now();  // of the current run of restarts
  int run_restarts = 0;
  while (!status.ok() && IsTransientTaskFailure(status) &&
         !stop_requested_.load(std::memory_order_acquire)) {
    if (attempt_ != nullptr && attempt_->committed) {
      // The attempt that just failed had made progress: this failure begins a new run.
      backoff.Reset();
      run_began = absl::Now();
      run_restarts = 0;
    }
    if (absl::Now() - run_began >= spec_.retry.timeout) {
      status = absl::Status(
          status.code(),
          absl::StrCat(status.message(), " (gave up after ", run_restarts, " restart(s) in ",
                       absl::FormatDuration(absl::Trunc(absl::Now() - run_began, absl::Seconds(1))),
                       ", errors.retry.timeout)"));
      break;
    }
    const absl::Duration wait = backoff.Next();
    services_.log(LogLevel::kWarn, who_,
                  absl::StrCat("failed (", status.ToString(),
                               "); restarting from the committed "
                               "offsets in ",
                               absl::FormatDuration(wait), " (restart ", run_restarts + 1, ")"));
    ReplaceAttempt(nullptr);  // its producer and plugin task go now, not after the wait
    if (!SleepUnlessStopped(wait)) {
      status = absl::OkStatus();
      break;
    }
    ++run_restarts;
    restarts_.fetch_add(1, std::memory_order_relaxed);
    absl::StatusOr<std::unique_ptr<Attempt>> next = NewAttempt(/*reread=*/true);
    if (!next.ok()) {
      status = stop_requested_.load(std::memory_order_acquire) ? absl::OkStatus() : next.status();
      continue;
    }
    ReplaceAttempt(*std::move(next));
    services_.log(LogLevel::kInfo, who_, "restarted from the committed offsets");
    status = RunAttempt();
  }
  Finish(std::move(status));
}

absl::Status WorkerSourceTask::RunAttempt() {
  data::RecordBatch batch;
  const absl::Duration flush_interval = services_.config->offset_flush_interval;
  absl::Time next_commit = absl::Now() + flush_interval;
  absl::Status status;
  Attempt& attempt = *attempt_;
  while (status.ok() && !stop_requested_.load(std::memory_order_acquire)) {
    status = attempt.producer->fatal_error();
    if (!status.ok()) break;
    if (spec_.transactions.has_value()) {
      // Exactly-once: offsets are committed with the transactions, never by the committer. The
      // transactions that ended are taken now, so the plugin hears of them before its next poll.
      status = TakeTransactionOutcomes();
      if (!status.ok()) break;
      if (attempt.in_transaction && spec_.transactions->boundary == TransactionBoundary::kInterval &&
          absl::Now() - attempt.transaction_began >= spec_.transactions->interval) {
        QueueSegment(/*ends_transaction=*/true);
      }
    } else if (absl::Now() >= next_commit) {
      attempt.commit_thread->Request();  // returns at once; the outcome is collected below
      next_commit = absl::Now() + flush_interval;
    } else if (attempt.offset_sent && !attempt.committed) {
      // The attempt's first offset is committed as soon as its record is acknowledged, not a
      // flush interval later: a source may hold its data back until where it started is durable
      // (the MySQL snapshot's position). Requests coalesce; a commit with nothing acknowledged is
      // a lookup. Only once a record with an offset was sent: a source without offsets never asks.
      attempt.commit_thread->Request();
    }
    if (std::optional<absl::Status> committed = attempt.commit_thread->TakeResult()) {
      status = AfterCommit(*std::move(committed), /*final_commit=*/false);
      if (!status.ok()) break;
    }
    status = PollAndSend(batch);
  }
  return EndAttempt(std::move(status));
}

absl::Status WorkerSourceTask::PollAndSend(data::RecordBatch& batch) {
  // Back-pressure: while the producer holds its whole byte budget, do not ask for more records.
  // Exactly-once, the same while the transaction thread's queue is full.
  TransactionThread* transactions = attempt_->transactions.get();
  if (transactions != nullptr &&
      !transactions->WaitForRoom(absl::Milliseconds(kPollTimeoutMs))) {
    return absl::OkStatus();
  }
  if (!attempt_->producer->WaitForRoom(1, absl::Milliseconds(kPollTimeoutMs))) {
    return absl::OkStatus();
  }
  batch.Reset();
  const bool busy = transactions != nullptr && transactions->busy();
  absl::Status polled =
      attempt_->task->Poll(batch, busy ? kPollWhileCommittingMs : kPollTimeoutMs);
  if (transactions != nullptr) {
    // The commits' outcomes first: a failed one ends the attempt (rewound) whatever the poll
    // brought, and nothing of it is queued.
    if (absl::Status status = TakeTransactionOutcomes(); !status.ok()) return status;
  }
  if (absl::IsUnavailable(polled)) {
    // A transient failure (Kafka Connect's RetriableException): the batch is discarded and the
    // task polls again after the retry policy's back-off.
    const absl::Duration wait = retry_backoff_.Next();
    services_.log(LogLevel::kWarn, who_,
                  absl::StrCat("poll failed, retrying in ", absl::FormatDuration(wait), ": ",
                               polled.message()));
    (void)SleepUnlessStopped(wait);
    return absl::OkStatus();
  }
  if (!polled.ok()) return polled;
  if (services_.fence) {
    if (absl::Status fenced = services_.fence(); !fenced.ok()) return fenced;
  }
  retry_backoff_.Reset();
  // The records go to the producer together (SendPending) after the poll's last one, before a
  // transaction boundary, and before a failure ends the poll, so the records before it still go.
  if (spec_.transactions.has_value()) {
    absl::Status status = QueueInTransactions(batch);
    // A failure ends the attempt and aborts the transaction: what was gathered never goes.
    if (!status.ok()) DiscardPending(status);
    return status;
  }
  const std::vector<data::SourceRecord>& records = batch.records();
  if (!attempt_->offset_sent && !records.empty()) {
    attempt_->offset_sent = !records.back().source_offset.empty();
  }
  absl::Status status = SendPolled(batch);
  absl::Status sent = SendPending();
  return sent.ok() ? status : sent;
}

absl::Status WorkerSourceTask::SendPolled(data::RecordBatch& batch) {
  // Only the last record of each run of one source partition hands its offset to the tracker:
  // the others' offsets are superseded before a commit could take them, unless the commit falls
  // between two records of this loop, in which case it takes the poll before's (a crash then
  // replays at most one poll more). The final commit waits for every record, so it is exact.
  const std::vector<data::SourceRecord>& records = batch.records();
  for (size_t n = 0; n < records.size(); ++n) {
    const bool last_of_run =
        n + 1 == records.size() ||
        !data::SameScalars(records[n + 1].source_partition, records[n].source_partition);
    if (absl::Status status = TransformAndSend(records[n], batch, last_of_run); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status WorkerSourceTask::TransformAndSend(const data::SourceRecord& polled,
                                               data::RecordBatch& batch, bool carries_offset) {
  if (PerRecordMetricsOn()) records_polled_.fetch_add(1, std::memory_order_relaxed);
  if (transforms_ == nullptr) return Send(polled, polled, carries_offset);
  data::SourceRecord record;
  transform::Verdict verdict = transform::Verdict::kKeep;
  bool skipped = false;
  absl::Status status = errors_->Run(
      ErrorStage::kTransformation, "", polled,
      [&] {
        record = polled;  // the chain rewrites this copy's views; a retry starts afresh
        return transforms_->Apply(record, batch, verdict);
      },
      skipped);
  if (!status.ok()) return status;
  if (skipped || verdict == transform::Verdict::kDrop) {
    SettleDropped(polled, carries_offset);
    return absl::OkStatus();
  }
  return Send(polled, record, carries_offset);
}

offsets::PartitionHandle WorkerSourceTask::PartitionOf(const data::SourceRecord& record) {
  Attempt& attempt = *attempt_;
  if (!attempt.last_partition.has_value() ||
      !offsets::HasSourcePartition(record, *attempt.last_partition)) {
    attempt.last_partition = offsets::SourcePartitionOf(record);
    attempt.last_partition_handle = attempt.tracker.Partition(*attempt.last_partition);
  }
  return attempt.last_partition_handle;
}

void WorkerSourceTask::SettleDropped(const data::SourceRecord& record, bool carries_offset) {
  if (!carries_offset) return;  // a later record of its partition carries the offset
  attempt_->tracker.Submit(PartitionOf(record), offsets::SourceOffsetOf(record))->Ack();
}

absl::Status WorkerSourceTask::QueueInTransactions(data::RecordBatch& batch) {
  Attempt& attempt = *attempt_;
  const TaskTransactions& transactions = *spec_.transactions;
  const std::vector<data::SourceRecord>& records = batch.records();
  // Boundaries count only with transaction.boundary=connector; a poll boundary falls after the
  // batch's last record.
  std::vector<size_t> ends;
  if (transactions.boundary == TransactionBoundary::kConnector) {
    ends = batch.transaction_ends();
  } else if (transactions.boundary == TransactionBoundary::kPoll && !records.empty()) {
    ends.push_back(records.size());
  }
  size_t next_end = 0;
  for (size_t n = 0; n <= records.size(); ++n) {
    // A boundary at n: the transaction ends before record n.
    if (next_end < ends.size() && ends[next_end] == n) {
      ++next_end;
      if (attempt.in_transaction) QueueSegment(/*ends_transaction=*/true);
    }
    if (n == records.size()) break;
    if (!attempt.in_transaction) {
      attempt.in_transaction = true;
      attempt.transaction_began = absl::Now();
    }
    if (!attempt.segment_began.has_value()) attempt.segment_began = absl::Now();
    // The record before a boundary keeps its offset: the commit there writes it.
    const bool last_of_run =
        n + 1 == records.size() ||
        !data::SameScalars(records[n + 1].source_partition, records[n].source_partition) ||
        (next_end < ends.size() && ends[next_end] == n + 1);
    if (!attempt.offset_sent) attempt.offset_sent = !records[n].source_offset.empty();
    if (absl::Status status = TransformAndSend(records[n], batch, last_of_run); !status.ok()) {
      return status;
    }
    // Sent, or dropped by the transforms or errors.tolerance: either way its offset is done once
    // the transaction commits.
    if (last_of_run && !records[n].source_offset.empty()) NoteTransactionOffset(records[n]);
  }
  // The records of a transaction left open (interval and connector boundaries) go now, so the
  // next poll's wait for records is not spent holding them.
  if (attempt.segment_began.has_value()) QueueSegment(/*ends_transaction=*/false);
  return absl::OkStatus();
}

void WorkerSourceTask::QueueSegment(bool ends_transaction) {
  Attempt& attempt = *attempt_;
  TransactionThread::Segment segment;
  segment.records = std::exchange(pending_, attempt.transactions->SpareBatch());
  segment.bytes = std::exchange(attempt.gathered_bytes, 0);
  segment.offsets = std::exchange(attempt.segment_offsets, {});
  segment.ends_transaction = ends_transaction;
  segment.gathered = attempt.segment_began.value_or(absl::Now());
  attempt.segment_began.reset();
  if (ends_transaction) attempt.in_transaction = false;
  attempt.transactions->Queue(std::move(segment));
}

absl::Status WorkerSourceTask::TakeTransactionOutcomes() {
  Attempt& attempt = *attempt_;
  for (TransactionThread::Outcome& outcome : attempt.transactions->TakeOutcomes()) {
    if (!outcome.status.ok()) return TransactionFailure(std::move(outcome.status));
    // Every record of the transaction was acknowledged: the tracker drops them.
    (void)attempt.tracker.TakeCommittable();
    for (const offsets::CommittableOffset& o : outcome.offsets) {
      attempt.committed = true;
      attempt.task->Acknowledged(o.partition, o.offset, /*committed=*/true);
    }
  }
  return absl::OkStatus();
}

void WorkerSourceTask::DiscardPending(const absl::Status& why) {
  for (size_t i = 0; i < pending_->size(); ++i) {
    if (offsets::SubmittedRecord* tracked = pending_->delivery(i).tracked) tracked->Fail(why);
  }
  pending_->Clear();
  attempt_->gathered_bytes = 0;
}

void WorkerSourceTask::NoteTransactionOffset(const data::SourceRecord& record) {
  std::vector<offsets::CommittableOffset>& reached = attempt_->segment_offsets;
  // Few partitions (the MySQL connector has one), and one call per run of a poll: a scan.
  for (offsets::CommittableOffset& o : reached) {
    if (offsets::HasSourcePartition(record, o.partition)) {
      o.offset = offsets::SourceOffsetOf(record);
      return;
    }
  }
  reached.push_back({offsets::SourcePartitionOf(record), offsets::SourceOffsetOf(record)});
}

absl::Status WorkerSourceTask::TransactionFailure(absl::Status status) {
  // A record refused for good (too large for the topic) is what failed the transaction: the task
  // fails with its error, since a rewind would produce it again and fail the same way. An abort
  // purges what is in flight, so its reports come at once; bounded for a producer that failed.
  (void)attempt_->tracker.AwaitAllSettled(absl::Seconds(1));
  const absl::Status refused = attempt_->tracker.TakeCommittable().first_failure;
  // A fenced producer's own failure (FailedPrecondition) outranks its records': they were
  // refused because a newer producer of the id took over, which is what the task says.
  if (!refused.ok() && !IsTransientTaskFailure(refused) && !absl::IsFailedPrecondition(status)) {
    return absl::Status(refused.code(), absl::StrCat(who_, ": ", refused.message(),
                                                     " (the transaction was aborted)"));
  }
  return absl::Status(status.code(), absl::StrCat(who_, ": ", status.message()));
}

absl::Status WorkerSourceTask::EnsureTopic(std::string_view topic) {
  if (topic == known_topic_) return absl::OkStatus();
  std::string name(topic);
  if (absl::Status status = services_.data_topics->EnsureExists(name); !status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat(who_, ": topic ", name, ": ", status.message()));
  }
  {
    // A run of records to one topic never gets here; a new topic is rare, the lock is cheap.
    absl::MutexLock lock(&mu_);
    if (std::find(topics_.begin(), topics_.end(), name) == topics_.end()) topics_.push_back(name);
    auto lag = ack_lags_.try_emplace(name).first;
    if (lag->second == nullptr) lag->second = std::make_unique<LagHistogram>();
    known_topic_lag_ = lag->second.get();
    known_topic_name_ = lag->first;  // a map's keys stay where they are
  }
  known_topic_ = std::move(name);
  return absl::OkStatus();
}

std::vector<TopicLag> WorkerSourceTask::ack_lags() const {
  absl::MutexLock lock(&mu_);
  std::vector<TopicLag> out;
  out.reserve(ack_lags_.size());
  for (const auto& [topic, lag] : ack_lags_) out.push_back({topic, lag->Snapshot()});
  return out;
}

std::vector<std::string> WorkerSourceTask::topics() const {
  absl::MutexLock lock(&mu_);
  return topics_;
}

absl::Status WorkerSourceTask::Send(const data::SourceRecord& polled,
                                   const data::SourceRecord& record, bool carries_offset) {
  if (absl::Status status = EnsureTopic(record.topic); !status.ok()) return status;

  // A converter's view lasts until its next call: each is called once per record here.
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
  bool skipped = false;
  absl::Status converted = errors_->Run(
      ErrorStage::kKeyConverter, converter_classes_.key, polled,
      [&]() -> absl::Status {
        absl::StatusOr<std::optional<std::string_view>> bytes =
            key_converter_->FromConnectData(record.key_schema, record.key);
        if (!bytes.ok()) return bytes.status();
        key = *bytes;
        return absl::OkStatus();
      },
      skipped);
  if (converted.ok() && !skipped) {
    converted = errors_->Run(
        ErrorStage::kValueConverter, converter_classes_.value, polled,
        [&]() -> absl::Status {
          absl::StatusOr<std::optional<std::string_view>> bytes =
              value_converter_->FromConnectData(record.value_schema, record.value);
          if (!bytes.ok()) return bytes.status();
          value = *bytes;
          return absl::OkStatus();
        },
        skipped);
  }
  headers_.clear();
  header_values_.resize(record.headers.size());
  for (size_t i = 0; converted.ok() && !skipped && i < record.headers.size(); ++i) {
    const data::Header& header = record.headers[i];
    std::optional<absl::string_view> header_value;
    converted = errors_->Run(
        ErrorStage::kHeaderConverter, converter_classes_.header, polled,
        [&]() -> absl::Status {
          absl::StatusOr<std::optional<std::string_view>> bytes =
              header_converter_->FromConnectData(header.schema, header.value);
          if (!bytes.ok()) return bytes.status();
          if (bytes->has_value()) {
            header_values_[i].assign(**bytes);  // the converter's view ends with its next call
            header_value = header_values_[i];
          }
          return absl::OkStatus();
        },
        skipped);
    headers_.push_back({View(header.key), header_value});
  }
  if (!converted.ok()) return converted;
  if (skipped) {
    SettleDropped(polled, carries_offset);
    return absl::OkStatus();
  }

  Attempt& attempt = *attempt_;
  const offsets::PartitionHandle partition = PartitionOf(record);
  offsets::SubmittedRecord* tracked =
      carries_offset ? attempt.tracker.Submit(partition, offsets::SourceOffsetOf(record))
                     : attempt.tracker.SubmitWithoutOffset(partition);
  if (record.source_timestamp_ms > 0 && PerRecordMetricsOn()) {
    tracked->ObserveAckLag(known_topic_lag_, record.source_timestamp_ms);
  }

  kafka::OutgoingRecord outgoing;
  // The topic's name as EnsureTopic keeps it for the task's life: under exactly-once pending_
  // may hold records of several polls (a group commit), and `record` is gone with its poll.
  outgoing.topic = known_topic_name_;
  if (key.has_value()) outgoing.key = View(*key);
  if (value.has_value()) outgoing.value = View(*value);
  outgoing.headers = headers_;
  outgoing.timestamp_ms = record.timestamp_ms < 0 ? 0 : record.timestamp_ms;
  outgoing.partition = record.partition;
  pending_->Add(outgoing, tracked);  // copies the converters' bytes, which end with their next call
  attempt.gathered_bytes += static_cast<int64_t>((key ? key->size() : 0) + (value ? value->size() : 0));
  return absl::OkStatus();
}

absl::Status WorkerSourceTask::SendPending() {
  if (pending_->empty()) return absl::OkStatus();
  size_t handed_over = 0;
  absl::Status status = attempt_->producer->SendBatch(*pending_, &handed_over);
  if (PerRecordMetricsOn()) {
    records_sent_.fetch_add(static_cast<int64_t>(handed_over), std::memory_order_relaxed);
  }
  if (!status.ok()) {
    // Never in flight: the refused record and those after it block their partitions so no
    // offset after them can be committed.
    for (size_t i = handed_over; i < pending_->size(); ++i) {
      if (offsets::SubmittedRecord* tracked = pending_->delivery(i).tracked) tracked->Fail(status);
    }
    status = absl::Status(status.code(), absl::StrCat(who_, ": ", status.message()));
  }
  pending_->Clear();
  attempt_->gathered_bytes = 0;
  return status;
}

absl::Status WorkerSourceTask::CommitOffsets(bool final_commit) {
  return AfterCommit(attempt_->committer->Commit(services_.config->offset_flush_timeout),
                     final_commit);
}

absl::Status WorkerSourceTask::AfterCommit(absl::Status status, bool final_commit) {
  // Tell the plugin what is now durable (on this thread, between polls, as the ABI promises).
  for (const offsets::CommittableOffset& committed : attempt_->offset_writer.TakeWritten()) {
    attempt_->committed = true;
    attempt_->task->Acknowledged(committed.partition, committed.offset, /*committed=*/true);
  }
  if (status.ok()) return status;
  if (absl::IsAborted(status)) {
    // A delivery failed: the task must fail, and whether a restart could help is the failed
    // record's to say (a timed-out delivery: yes; a record too large: no).
    return absl::Status(attempt_->committer->delivery_failure().code(),
                        absl::StrCat(who_, ": ", status.message()));
  }
  // Another task wrote this connector's offsets after this one read them: this one is stale
  // (guarded_offset_writer.h) and stops without writing.
  if (absl::IsFailedPrecondition(status)) return status;
  // The offsets topic did not take the write: the offsets stay pending for the next commit, and
  // the task goes on (Kafka Connect does the same); only the final commit reports it.
  services_.log(LogLevel::kWarn, who_,
                absl::StrCat("committing offsets failed, will retry: ", status.message()));
  return final_commit ? status : absl::OkStatus();
}

absl::Status WorkerSourceTask::EndAttempt(absl::Status status) {
  const absl::Duration grace = services_.config->task_shutdown_graceful_timeout;
  Attempt& attempt = *attempt_;
  // The commit running on the committer thread, if any, ends first; its written offsets are
  // acknowledged with the final commit's, and its error is superseded by the final commit's.
  attempt.commit_thread->Stop();
  if (spec_.transactions.has_value()) {
    // A stop commits what the open transaction holds, except a connector-defined one: a source
    // transaction is committed whole or replayed; the transactions queued whole are committed.
    // After a failure nothing queued goes and the open transaction is aborted: rewound. Either
    // way the commit in flight ends first, and the plugin hears of every one that committed.
    DiscardPending(absl::AbortedError("not sent: the attempt ended"));
    attempt.in_transaction = false;
    attempt.transactions->Finish(
        /*commit_open=*/status.ok() &&
            spec_.transactions->boundary != TransactionBoundary::kConnector,
        /*abort_all=*/!status.ok());
    absl::Status committed = TakeTransactionOutcomes();
    if (status.ok()) status = committed;
    services_.log(LogLevel::kInfo, who_,
                  absl::StrCat("exactly-once: ", attempt.transactions->figures().Describe()));
    return status;
  }
  // Whatever happened, settle what is in flight and write the safe prefix of offsets.
  if (absl::Status flushed = attempt.producer->Flush(grace); !flushed.ok() && status.ok()) {
    status = flushed;
  }
  attempt.tracker.AwaitAllSettled(grace);
  if (absl::Status committed = CommitOffsets(/*final_commit=*/true);
      !committed.ok() && status.ok()) {
    status = committed;
  }
  return status;
}

void WorkerSourceTask::Finish(absl::Status status) {
  if (!status.ok()) {
    services_.log(LogLevel::kError, who_, absl::StrCat("task failed: ", status.ToString()));
  }
  absl::MutexLock lock(&mu_);
  failure_ = status;
  state_ = status.ok() ? TaskState::kStopped : TaskState::kFailed;
}

}  // namespace sluice::worker
