#include "runtime/logging/process_log.h"

#include "absl/time/clock.h"
#include "runtime/logging/log_line.h"

namespace sluice::logging {

ProcessLog::ProcessLog(const config::WorkerConfig& config, FILE* out)
    : format_(config.log_format), levels_(std::make_shared<LogLevels>()), out_(out) {
  for (const auto& [logger, level] : config.log_levels) {
    // The config has checked the names (config::ParseWorkerConfig).
    if (std::optional<Threshold> t = ParseThreshold(level)) levels_->Configure(logger, *t);
  }
}

LogSink ProcessLog::Sink() {
  return [this](LogLevel level, std::string_view who, std::string_view message) {
    Write(level, who, message);
  };
}

void ProcessLog::SetRedactor(Redactor redactor) {
  std::lock_guard<std::mutex> lock(mu_);
  redactor_ = std::move(redactor);
}

void ProcessLog::Write(LogLevel level, std::string_view who, std::string_view message) {
  const absl::Time now = absl::Now();
  LogContext context = ContextOf(who);
  if (!levels_->Enabled(context.logger, level)) return;
  Redactor redactor;
  {
    std::lock_guard<std::mutex> lock(mu_);
    redactor = redactor_;
  }
  const std::string line =
      redactor ? FormatLogLine(format_, now, level, context, redactor(message))
               : FormatLogLine(format_, now, level, context, message);
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace sluice::logging
