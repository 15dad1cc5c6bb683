// What the herder reads of a running task: its state and failure, the topics it wrote to, and the
// figures its metrics are made of. WorkerSourceTask in production; a fake in the herder's unit
// tests. Every method may be called from any thread while the task exists.
#ifndef SLUICE_RUNTIME_WORKER_TASK_VIEW_H_
#define SLUICE_RUNTIME_WORKER_TASK_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "runtime/common/lag_histogram.h"
#include "runtime/plugin/task_progress.h"

namespace sluice::worker {

enum class TaskState { kRunning, kStopped, kFailed };

// Kafka Connect's task-error-metrics of a task since it started: its transforms' and converters'
// failures (record_error_handler.h).
struct TaskErrorFigures {
  int64_t record_failures = 0;  // failed attempts, retries included (total-record-failures)
  int64_t record_errors = 0;    // records that failed for good (total-record-errors)
  int64_t records_skipped = 0;  // of those, skipped under errors.tolerance=all
  int64_t retries = 0;          // attempts retried after a transient failure (total-retries)
  int64_t errors_logged = 0;    // failures logged under errors.log.enable
  int64_t last_error_timestamp_ms = 0;  // 0: none yet
};

class TaskView {
 public:
  virtual ~TaskView() = default;

  virtual int task_id() const = 0;
  virtual TaskState state() const = 0;
  // OK while running or after a requested stop; the error that ended it otherwise.
  virtual absl::Status failure() const = 0;
  // Records its connector produced, before transforms and error tolerance dropped any.
  virtual int64_t records_polled() const { return records_sent(); }
  // Records handed to the producer (what the transforms kept).
  virtual int64_t records_sent() const = 0;
  // Record bytes handed to Kafka and not yet acknowledged: how far Kafka lags behind this task.
  virtual int64_t in_flight_bytes() const = 0;
  // The topics this task has written to since it started (Kafka Connect's active topics).
  virtual std::vector<std::string> topics() const = 0;
  // What the plugin last reported about its progress (api->task_progress_report); nullopt when
  // it reported nothing.
  virtual std::optional<plugin::TaskProgress> progress() const = 0;
  // Its record failures so far (zeros for a task that has no error handler).
  virtual TaskErrorFigures errors() const { return {}; }
  // The commit-to-ack lag of the records it wrote with a source time, per topic: from when the
  // change happened at the source (the ABI's source_timestamp_ms) to Kafka's acknowledgement.
  virtual std::vector<TopicLag> ack_lags() const { return {}; }
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_TASK_VIEW_H_
