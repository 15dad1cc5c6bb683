#ifndef SLUICE_RUNTIME_WORKER_SOURCE_TASK_H_
#define SLUICE_RUNTIME_WORKER_SOURCE_TASK_H_

// WorkerSourceTask runs one task of a source connector on its own thread, as Kafka Connect's
// class of that name does: poll the plugin for a batch, convert each record's key and value,
// hand it to the producer (keyed, murmur2), track it until Kafka acknowledges it, and commit the
// offsets that became safe every offset.flush.interval.ms (the task's first one as soon as it is
// safe) and once more when stopping. The
// periodic commits run on a committer thread of the task's own (offsets::AsyncOffsetCommitter),
// so a poll never waits for the offsets topic; the final one runs on the task thread.
//
// A poll that fails with UNAVAILABLE is transient: its records are discarded and the task polls
// again after the project's retry back-off (retry_backoff.h: 100 ms doubling to 10 s). Any other
// failure ends the task.
//
// Delivery policy (at-least-once): an offset is written only when its record and every earlier
// record of its source partition are acknowledged. A record Kafka refuses (after librdkafka's
// retries), a fatal producer error or a plugin error fails the task: it stops polling, still
// commits the safe prefix, and ends FAILED with the error kept. Restarting the task resumes from
// the last committed offsets, so nothing acknowledged is lost and at most the uncommitted tail is
// sent again.
//
// Seams (for tests/unit/worker): the producer is any kafka::RecordSender, the offsets topic any
// OffsetBackingStore and topic creation any kafka::DataTopics; the worker wires the real ones.
//
// Threads: Start, Stop and Join from any thread; the committer thread writes the periodic offset
// commits; the task thread does everything else. The TaskView getters from any thread.

#include <atomic>
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
#include "runtime/worker/offset_backing_store.h"
#include "runtime/worker/retry_backoff.h"
#include "runtime/worker/task_view.h"

namespace sluice::worker {

struct SourceTaskSpec {
  std::string connector_name;
  int task_id = 0;
  std::shared_ptr<const plugin::Plugin> plugin;
  ConfigMap task_config;
};

// What the worker lends every task; each must outlive the tasks.
struct SourceTaskServices {
  const config::WorkerConfig* config = nullptr;
  OffsetBackingStore* offset_store = nullptr;
  kafka::DataTopics* data_topics = nullptr;
  LogSink log;
};

class WorkerSourceTask : public TaskView {
 public:
  // Makes the converters, starts the plugin's task with the connector's committed offsets (as
  // read from the offsets topic), and starts the task thread, which sends through `producer`
  // (not null; the task owns it).
  static absl::StatusOr<std::unique_ptr<WorkerSourceTask>> Start(
      SourceTaskSpec spec, SourceTaskServices services,
      std::unique_ptr<kafka::RecordSender> producer);

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
  int64_t records_sent() const override { return records_sent_.load(std::memory_order_relaxed); }
  int64_t in_flight_bytes() const override {
    return producer_ == nullptr ? 0 : producer_->in_flight_bytes();
  }
  std::vector<std::string> topics() const override;
  std::optional<plugin::TaskProgress> progress() const override {
    return task_ == nullptr ? std::nullopt : task_->progress();
  }

 private:
  WorkerSourceTask(SourceTaskSpec spec, SourceTaskServices services);
  void Run();
  absl::Status PollAndSend(data::RecordBatch& batch);
  // `carries_offset`: whether the tracker keeps this record's offset (see PollAndSend).
  absl::Status Send(const data::SourceRecord& record, bool carries_offset);
  absl::Status EnsureTopic(std::string_view topic);
  // The final commit, on the task thread once the committer thread has stopped.
  absl::Status CommitOffsets(bool final_commit);
  // After a commit ended with `status`: tells the plugin what is now committed and applies the
  // failure policy (a delivery failure fails the task; a failed write is retried next time).
  absl::Status AfterCommit(absl::Status status, bool final_commit);
  void Finish(absl::Status status);

  // Writes through to the offsets store and remembers what it wrote, so the task can tell the
  // plugin which offsets are now committed. Write runs on the committer thread, TakeWritten on
  // the task thread.
  class RecordingOffsetWriter : public offsets::OffsetWriter {
   public:
    explicit RecordingOffsetWriter(offsets::OffsetWriter* store) : store_(store) {}
    absl::Status Write(absl::string_view connector,
                       absl::Span<const offsets::CommittableOffset> offsets,
                       absl::Duration timeout) override;
    std::vector<offsets::CommittableOffset> TakeWritten() {
      absl::MutexLock lock(&mu_);
      return std::move(written_);
    }

   private:
    offsets::OffsetWriter* const store_;
    absl::Mutex mu_;
    std::vector<offsets::CommittableOffset> written_ ABSL_GUARDED_BY(mu_);
  };

  const SourceTaskSpec spec_;
  const SourceTaskServices services_;
  const std::string who_;

  // Declaration order is destruction order reversed: the plugin goes first, then the producer
  // (whose destructor waits for its last delivery reports, which touch the tracker), and the
  // tracker last.
  offsets::SubmittedRecords tracker_;
  RecordingOffsetWriter offset_writer_;
  std::unique_ptr<offsets::OffsetCommitter> committer_;
  std::unique_ptr<offsets::AsyncOffsetCommitter> commit_thread_;  // stopped before committer_ goes
  std::unique_ptr<convert::Converter> key_converter_;
  std::unique_ptr<convert::Converter> value_converter_;
  std::unique_ptr<convert::Converter> header_converter_;
  std::unique_ptr<kafka::RecordSender> producer_;
  std::unique_ptr<plugin::TaskInstance> task_;

  // Task-thread state: the last topic known to exist and the last partition seen, so a run of
  // records to one topic and partition pays for neither lookup.
  std::string known_topic_;
  std::optional<offsets::SourcePartition> last_partition_;
  offsets::PartitionHandle last_partition_handle_;
  std::vector<std::string> header_values_;
  std::vector<kafka::RecordHeader> headers_;

  RetryBackoff retry_backoff_;  // task thread: after an UNAVAILABLE poll
  bool offset_sent_ = false;           // task thread: a record carrying an offset was sent
  bool first_offset_written_ = false;  // task thread: a commit wrote an offset (Run)
  std::atomic<bool> stop_requested_{false};
  std::atomic<int64_t> records_sent_{0};
  mutable absl::Mutex mu_;
  TaskState state_ ABSL_GUARDED_BY(mu_) = TaskState::kRunning;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> topics_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_SOURCE_TASK_H_
