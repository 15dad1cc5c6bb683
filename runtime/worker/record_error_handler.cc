#include "runtime/worker/record_error_handler.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "runtime/offsets/offset_codec.h"
#include "runtime/offsets/record_offsets.h"

namespace sluice::worker {
namespace {

absl::string_view View(std::string_view text) { return absl::string_view(text.data(), text.size()); }

}  // namespace

absl::string_view StageName(ErrorStage stage) {
  switch (stage) {
    case ErrorStage::kTransformation:
      return "TRANSFORMATION";
    case ErrorStage::kKeyConverter:
      return "KEY_CONVERTER";
    case ErrorStage::kValueConverter:
      return "VALUE_CONVERTER";
    case ErrorStage::kHeaderConverter:
      return "HEADER_CONVERTER";
  }
  return "?";
}

RecordErrorHandler::RecordErrorHandler(std::string who, ErrorHandlingConfig config,
                                       absl::Duration retry_timeout,
                                       absl::Duration retry_delay_max, LogSink log,
                                       std::function<bool(absl::Duration)> sleep)
    : who_(std::move(who)),
      config_(config),
      retry_timeout_(retry_timeout),
      retry_delay_max_(retry_delay_max),
      log_(std::move(log)),
      sleep_(std::move(sleep)),
      backoff_(retry_delay_max) {}

RecordErrorHandler::~RecordErrorHandler() = default;

TaskErrorFigures RecordErrorHandler::figures() const {
  TaskErrorFigures f;
  f.record_failures = record_failures_.load(std::memory_order_relaxed);
  f.record_errors = record_errors_.load(std::memory_order_relaxed);
  f.records_skipped = records_skipped_.load(std::memory_order_relaxed);
  f.retries = retries_.load(std::memory_order_relaxed);
  f.errors_logged = errors_logged_.load(std::memory_order_relaxed);
  f.last_error_timestamp_ms = last_error_timestamp_ms_.load(std::memory_order_relaxed);
  return f;
}

bool RecordErrorHandler::RetryAfter(const absl::Status& status, absl::Time first, int attempt) {
  record_failures_.fetch_add(1, std::memory_order_relaxed);
  if (!absl::IsUnavailable(status)) return false;
  if (attempt == 0) backoff_.Reset();
  const absl::Duration left = first + retry_timeout_ - absl::Now();
  if (left <= absl::ZeroDuration()) return false;
  if (!sleep_(std::min(backoff_.Next(), left))) return false;
  retries_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

std::string RecordErrorHandler::Describe(const data::SourceRecord& polled) const {
  absl::StatusOr<std::string> partition =
      offsets::EncodeSourcePartition(offsets::SourcePartitionOf(polled));
  absl::StatusOr<std::string> offset = offsets::EncodeOffsetValue(offsets::SourceOffsetOf(polled));
  return absl::StrCat("the record for topic `", View(polled.topic), "` at source partition ",
                      partition.ok() ? *partition : "?", " offset ", offset.ok() ? *offset : "?");
}

std::string RecordErrorHandler::RecordText(const data::SourceRecord& polled) {
  if (printer_ == nullptr) {
    absl::StatusOr<std::unique_ptr<convert::Converter>> made =
        convert::CreateConverter(convert::kJsonConverterClass, {{"schemas.enable", "false"}});
    if (!made.ok()) return "";
    printer_ = *std::move(made);
  }
  auto print = [this](const data::Schema* schema, const data::Value& value) -> std::string {
    absl::StatusOr<std::optional<std::string_view>> text = printer_->FromConnectData(schema, value);
    if (!text.ok()) return absl::StrCat("<unprintable: ", text.status().message(), ">");
    return text->has_value() ? std::string(**text) : "null";
  };
  const std::string key = print(polled.key_schema, polled.key);
  const std::string value = print(polled.value_schema, polled.value);
  return absl::StrCat(", with record = key=", key, " value=", value,
                      " timestamp=", polled.timestamp_ms);
}

absl::Status RecordErrorHandler::Failed(ErrorStage stage, absl::string_view executing,
                                        const data::SourceRecord& polled, absl::Status status,
                                        bool& skipped) {
  record_errors_.fetch_add(1, std::memory_order_relaxed);
  last_error_timestamp_ms_.store(absl::ToUnixMillis(absl::Now()), std::memory_order_relaxed);
  const std::string operation =
      executing.empty()
          ? absl::StrCat(StageName(stage), " operation")
          : absl::StrCat(StageName(stage), " operation with class '", executing, "'");
  if (config_.log_enable) {
    log_(LogLevel::kError, who_,
         absl::StrCat("Error encountered in task ", who_, " while performing ", operation, " on ",
                      Describe(polled),
                      config_.log_include_messages ? RecordText(polled) : std::string(), ": ",
                      status.message()));
    errors_logged_.fetch_add(1, std::memory_order_relaxed);
  }
  if (config_.tolerate_all) {
    records_skipped_.fetch_add(1, std::memory_order_relaxed);
    skipped = true;
    return absl::OkStatus();
  }
  return absl::Status(status.code(),
                      absl::StrCat(who_, ": tolerance exceeded in error handler (errors.tolerance="
                                         "none) while performing ",
                                   operation, " on ", Describe(polled), ": ", status.message()));
}

}  // namespace sluice::worker
