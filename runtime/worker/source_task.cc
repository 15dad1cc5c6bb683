#include "runtime/worker/source_task.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "runtime/offsets/record_offsets.h"

namespace sluice::worker {
namespace {

constexpr int64_t kPollTimeoutMs = 100;

std::vector<std::pair<std::string, std::string>> ConverterProperties(
    const config::ConverterSettings& settings) {
  return {settings.properties.begin(), settings.properties.end()};
}

absl::string_view View(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace

WorkerSourceTask::WorkerSourceTask(SourceTaskSpec spec, SourceTaskServices services)
    : spec_(std::move(spec)),
      services_(std::move(services)),
      who_(absl::StrCat(spec_.connector_name, "-", spec_.task_id)),
      offset_writer_(services_.offset_store) {}

absl::Status WorkerSourceTask::RecordingOffsetWriter::Write(
    absl::string_view connector, absl::Span<const offsets::CommittableOffset> offsets,
    absl::Duration timeout) {
  absl::Status status = store_->Write(connector, offsets, timeout);
  if (status.ok()) {
    absl::MutexLock lock(&mu_);
    written_.insert(written_.end(), offsets.begin(), offsets.end());
  }
  return status;
}

absl::StatusOr<std::unique_ptr<WorkerSourceTask>> WorkerSourceTask::Start(
    SourceTaskSpec spec, SourceTaskServices services,
    std::unique_ptr<kafka::RecordSender> producer) {
  std::unique_ptr<WorkerSourceTask> task(
      new WorkerSourceTask(std::move(spec), std::move(services)));
  const config::WorkerConfig& config = *task->services_.config;

  absl::StatusOr<std::unique_ptr<convert::Converter>> key_converter = convert::CreateConverter(
      config.key_converter.class_name, ConverterProperties(config.key_converter));
  if (!key_converter.ok()) return key_converter.status();
  absl::StatusOr<std::unique_ptr<convert::Converter>> value_converter = convert::CreateConverter(
      config.value_converter.class_name, ConverterProperties(config.value_converter));
  if (!value_converter.ok()) return value_converter.status();
  // Header values go out as schemaless JSON (Debezium's __debezium.oldkey/newkey headers hold a
  // key struct).
  absl::StatusOr<std::unique_ptr<convert::Converter>> header_converter =
      convert::CreateConverter(convert::kJsonConverterClass, {{"schemas.enable", "false"}});
  if (!header_converter.ok()) return header_converter.status();
  task->key_converter_ = *std::move(key_converter);
  task->value_converter_ = *std::move(value_converter);
  task->header_converter_ = *std::move(header_converter);

  task->producer_ = std::move(producer);
  task->committer_ = std::make_unique<offsets::OffsetCommitter>(
      task->spec_.connector_name, &task->tracker_, &task->offset_writer_);
  task->commit_thread_ = std::make_unique<offsets::AsyncOffsetCommitter>(
      task->committer_.get(), config.offset_flush_timeout);

  absl::StatusOr<std::unique_ptr<plugin::TaskInstance>> instance = plugin::TaskInstance::Start(
      task->spec_.plugin, task->spec_.connector_name, task->spec_.task_id, task->spec_.task_config,
      task->services_.offset_store->OffsetsFor(task->spec_.connector_name), task->services_.log);
  if (!instance.ok()) return instance.status();
  task->task_ = *std::move(instance);
  task->thread_ = std::thread([raw = task.get()] { raw->Run(); });
  return task;
}

WorkerSourceTask::~WorkerSourceTask() {
  Stop();
  (void)Join();
}

void WorkerSourceTask::Stop() {
  if (stop_requested_.exchange(true)) return;
  // The plugin's stop only signals (any thread may call it): a blocked poll returns early.
  if (task_ != nullptr) task_->Stop();
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

void WorkerSourceTask::Run() {
  data::RecordBatch batch;
  const absl::Duration flush_interval = services_.config->offset_flush_interval;
  absl::Time next_commit = absl::Now() + flush_interval;
  absl::Status status;
  while (status.ok() && !stop_requested_.load(std::memory_order_acquire)) {
    status = producer_->fatal_error();
    if (!status.ok()) break;
    if (absl::Now() >= next_commit) {
      commit_thread_->Request();  // returns at once; the outcome is collected below
      next_commit = absl::Now() + flush_interval;
    } else if (offset_sent_ && !first_offset_written_) {
      // The task's first offset is committed as soon as its record is acknowledged, not a flush
      // interval later: a source may hold its data back until where it started is durable (the
      // MySQL snapshot's position). Requests coalesce; a commit with nothing acknowledged is a
      // lookup. Only once a record with an offset was sent: a source without offsets never asks.
      commit_thread_->Request();
    }
    if (std::optional<absl::Status> committed = commit_thread_->TakeResult()) {
      status = AfterCommit(*std::move(committed), /*final_commit=*/false);
      if (!status.ok()) break;
    }
    status = PollAndSend(batch);
  }
  Finish(std::move(status));
}

absl::Status WorkerSourceTask::PollAndSend(data::RecordBatch& batch) {
  // Back-pressure: while the producer holds its whole byte budget, do not ask for more records.
  if (!producer_->WaitForRoom(1, absl::Milliseconds(kPollTimeoutMs))) return absl::OkStatus();
  batch.Reset();
  absl::Status polled = task_->Poll(batch, kPollTimeoutMs);
  if (absl::IsUnavailable(polled)) {
    // A transient failure (Kafka Connect's RetriableException): the batch is discarded and the
    // task polls again after the retry policy's back-off.
    const absl::Duration wait = retry_backoff_.Next();
    services_.log(LogLevel::kWarn, who_,
                  absl::StrCat("poll failed, retrying in ", absl::FormatDuration(wait), ": ",
                               polled.message()));
    const absl::Time until = absl::Now() + wait;
    while (absl::Now() < until && !stop_requested_.load(std::memory_order_acquire)) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    return absl::OkStatus();
  }
  if (!polled.ok()) return polled;
  retry_backoff_.Reset();
  // Only the last record of each run of one source partition hands its offset to the tracker:
  // the others' offsets are superseded before a commit could take them, unless the commit falls
  // between two records of this loop, in which case it takes the poll before's (a crash then
  // replays at most one poll more). The final commit waits for every record, so it is exact.
  const std::vector<data::SourceRecord>& records = batch.records();
  if (!offset_sent_ && !records.empty()) offset_sent_ = !records.back().source_offset.empty();
  for (size_t n = 0; n < records.size(); ++n) {
    const bool last_of_run = n + 1 == records.size() ||
                             !data::SameScalars(records[n + 1].source_partition,
                                                records[n].source_partition);
    if (absl::Status status = Send(records[n], last_of_run); !status.ok()) return status;
  }
  return absl::OkStatus();
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
  }
  known_topic_ = std::move(name);
  return absl::OkStatus();
}

std::vector<std::string> WorkerSourceTask::topics() const {
  absl::MutexLock lock(&mu_);
  return topics_;
}

absl::Status WorkerSourceTask::Send(const data::SourceRecord& record, bool carries_offset) {
  if (absl::Status status = EnsureTopic(record.topic); !status.ok()) return status;

  absl::StatusOr<std::optional<std::string_view>> key =
      key_converter_->FromConnectData(record.key_schema, record.key);
  if (!key.ok())
    return absl::Status(key.status().code(), absl::StrCat(who_, ": key: ", key.status().message()));
  absl::StatusOr<std::optional<std::string_view>> value =
      value_converter_->FromConnectData(record.value_schema, record.value);
  if (!value.ok()) {
    return absl::Status(value.status().code(),
                        absl::StrCat(who_, ": value: ", value.status().message()));
  }

  headers_.clear();
  header_values_.resize(record.headers.size());
  for (size_t i = 0; i < record.headers.size(); ++i) {
    const data::Header& header = record.headers[i];
    absl::StatusOr<std::optional<std::string_view>> bytes =
        header_converter_->FromConnectData(header.schema, header.value);
    if (!bytes.ok()) return bytes.status();
    std::optional<absl::string_view> header_value;
    if (bytes->has_value()) {
      header_values_[i].assign(**bytes);  // the converter's view ends with its next call
      header_value = header_values_[i];
    }
    headers_.push_back({View(header.key), header_value});
  }

  if (!last_partition_.has_value() || !offsets::HasSourcePartition(record, *last_partition_)) {
    last_partition_ = offsets::SourcePartitionOf(record);
    last_partition_handle_ = tracker_.Partition(*last_partition_);
  }
  offsets::SubmittedRecord* tracked =
      carries_offset ? tracker_.Submit(last_partition_handle_, offsets::SourceOffsetOf(record))
                     : tracker_.SubmitWithoutOffset(last_partition_handle_);

  kafka::OutgoingRecord outgoing;
  outgoing.topic = View(record.topic);
  if (key->has_value()) outgoing.key = View(**key);
  if (value->has_value()) outgoing.value = View(**value);
  outgoing.headers = headers_;
  outgoing.timestamp_ms = record.timestamp_ms < 0 ? 0 : record.timestamp_ms;
  outgoing.partition = record.partition;
  if (absl::Status status = producer_->Send(outgoing, tracked); !status.ok()) {
    // Never in flight: it blocks its partition so no offset after it can be committed.
    tracked->Fail(status);
    return absl::Status(status.code(), absl::StrCat(who_, ": ", status.message()));
  }
  records_sent_.fetch_add(1, std::memory_order_relaxed);
  return absl::OkStatus();
}

absl::Status WorkerSourceTask::CommitOffsets(bool final_commit) {
  return AfterCommit(committer_->Commit(services_.config->offset_flush_timeout), final_commit);
}

absl::Status WorkerSourceTask::AfterCommit(absl::Status status, bool final_commit) {
  // Tell the plugin what is now durable (on this thread, between polls, as the ABI promises).
  for (const offsets::CommittableOffset& committed : offset_writer_.TakeWritten()) {
    task_->Acknowledged(committed.partition, committed.offset, /*committed=*/true);
    first_offset_written_ = true;
  }
  if (status.ok()) return status;
  if (absl::IsAborted(status)) return status;  // a delivery failed: the task must fail
  // The offsets topic did not take the write: the offsets stay pending for the next commit, and
  // the task goes on (Kafka Connect does the same); only the final commit reports it.
  services_.log(LogLevel::kWarn, who_,
                absl::StrCat("committing offsets failed, will retry: ", status.message()));
  return final_commit ? status : absl::OkStatus();
}

void WorkerSourceTask::Finish(absl::Status status) {
  const absl::Duration grace = services_.config->task_shutdown_graceful_timeout;
  // The commit running on the committer thread, if any, ends first; its written offsets are
  // acknowledged with the final commit's, and its error is superseded by the final commit's.
  commit_thread_->Stop();
  // Whatever happened, settle what is in flight and write the safe prefix of offsets.
  if (absl::Status flushed = producer_->Flush(grace); !flushed.ok() && status.ok()) {
    status = flushed;
  }
  tracker_.AwaitAllSettled(grace);
  if (absl::Status committed = CommitOffsets(/*final_commit=*/true);
      !committed.ok() && status.ok()) {
    status = committed;
  }
  if (!status.ok()) {
    services_.log(LogLevel::kError, who_, absl::StrCat("task failed: ", status.ToString()));
  }
  absl::MutexLock lock(&mu_);
  failure_ = status;
  state_ = status.ok() ? TaskState::kStopped : TaskState::kFailed;
}

}  // namespace sluice::worker
