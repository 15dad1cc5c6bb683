// What a source task does with a record its transforms or converters fail on, as Kafka Connect's
// error handler (RetryWithToleranceOperator with its LogReporter) does for a source connector:
//
//   - a failure the operation calls transient (UNAVAILABLE, Kafka Connect's RetriableException)
//     is retried with RetryBackoff's waits (ceiling `errors.retry.delay.max.ms`) until
//     `errors.retry.timeout` has passed since the first attempt; others are not retried (a
//     transform or converter fails the same way on the same record);
//   - `errors.tolerance=none` (the default): the failure ends the task, its message naming the
//     stage, the record's topic and its source partition and offset;
//   - `errors.tolerance=all`: the record is skipped; the caller settles its offset as delivered,
//     as Kafka Connect commits the offset of a record it skipped;
//   - `errors.log.enable=true`: each failure is logged at ERROR with the stage, the record's topic
//     and source position, and with `errors.log.include.messages=true` the record itself (its key
//     and value as schemaless JSON). Without it a tolerated failure only counts.
//
// Source connectors have no dead letter queue in Kafka Connect (`errors.deadletterqueue.*` are
// sink keys), so there is none here.
//
// The counts are Kafka Connect's task-error-metrics (TaskErrorFigures).
//
// Threads: Run on the task thread only; figures() from any thread.
#ifndef SLUICE_RUNTIME_WORKER_RECORD_ERROR_HANDLER_H_
#define SLUICE_RUNTIME_WORKER_RECORD_ERROR_HANDLER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "runtime/common/log.h"
#include "runtime/convert/converter.h"
#include "runtime/data/record.h"
#include "runtime/worker/connector_config.h"
#include "runtime/worker/retry_backoff.h"
#include "runtime/worker/task_view.h"

namespace sluice::worker {

// Where in the task a record failed: Kafka Connect's Stage names.
enum class ErrorStage { kTransformation, kKeyConverter, kValueConverter, kHeaderConverter };

// "TRANSFORMATION", "KEY_CONVERTER", "VALUE_CONVERTER", "HEADER_CONVERTER".
absl::string_view StageName(ErrorStage stage);

class RecordErrorHandler {
 public:
  // `sleep` waits the given time unless the task is asked to stop first (then false).
  RecordErrorHandler(std::string who, ErrorHandlingConfig config, absl::Duration retry_timeout,
                     absl::Duration retry_delay_max, LogSink log,
                     std::function<bool(absl::Duration)> sleep);
  ~RecordErrorHandler();

  // Runs `op` (returning absl::Status) for `polled` (the record as the connector made it) at
  // `stage`; `executing` names the class at work when the failure's message does not (a
  // converter's). OK with `skipped` false when `op` succeeded (perhaps after retries); OK with
  // `skipped` true when it failed and errors.tolerance=all; the failure otherwise. A stop asked
  // during a retry's wait ends the retries with the failure, unskipped.
  template <typename Op>
  absl::Status Run(ErrorStage stage, absl::string_view executing, const data::SourceRecord& polled,
                   Op&& op, bool& skipped) {
    skipped = false;
    absl::Status status = op();
    if (ABSL_PREDICT_TRUE(status.ok())) return status;
    const absl::Time first = absl::Now();
    int attempt = 0;
    while (RetryAfter(status, first, attempt++)) {
      status = op();
      if (status.ok()) return status;
    }
    return Failed(stage, executing, polled, std::move(status), skipped);
  }

  // The counts so far (any thread).
  TaskErrorFigures figures() const;

 private:
  // Counts the failed attempt; true after waiting when `status` is transient and there is time
  // left to retry it.
  bool RetryAfter(const absl::Status& status, absl::Time first, int attempt);
  // The final failure of a record: counted, logged, tolerated or returned.
  absl::Status Failed(ErrorStage stage, absl::string_view executing,
                      const data::SourceRecord& polled, absl::Status status, bool& skipped);
  // "the record for topic `t` at source partition {...} offset {...}".
  std::string Describe(const data::SourceRecord& polled) const;
  // ", with record = key=... value=... timestamp=...": errors.log.include.messages.
  std::string RecordText(const data::SourceRecord& polled);

  const std::string who_;
  const ErrorHandlingConfig config_;
  const absl::Duration retry_timeout_;
  const absl::Duration retry_delay_max_;
  const LogSink log_;
  const std::function<bool(absl::Duration)> sleep_;
  std::unique_ptr<convert::Converter> printer_;  // schemaless JSON; made on first use
  RetryBackoff backoff_;                         // of the current record's retries

  std::atomic<int64_t> record_failures_{0};
  std::atomic<int64_t> record_errors_{0};
  std::atomic<int64_t> records_skipped_{0};
  std::atomic<int64_t> retries_{0};
  std::atomic<int64_t> errors_logged_{0};
  std::atomic<int64_t> last_error_timestamp_ms_{0};
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_RECORD_ERROR_HANDLER_H_
