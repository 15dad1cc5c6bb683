// The worker process's one log: every line of the runtime, of every connector (api->log) and of
// librdkafka goes through Sink(), which drops what the logger's level does not pass (LogLevels),
// scrubs resolved secrets, formats the line (log_line.h) and writes it whole to the output.
//
// Threads: Sink() may be called from any thread; a line is written with one fwrite under a lock,
// so lines never interleave.
#ifndef SLUICE_RUNTIME_LOGGING_PROCESS_LOG_H_
#define SLUICE_RUNTIME_LOGGING_PROCESS_LOG_H_

#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/common/log.h"
#include "runtime/config/worker_config.h"
#include "runtime/logging/log_levels.h"

namespace sluice::logging {

// Text in, text with every secret replaced out (the herder's SecretScrubber); may be empty.
using Redactor = std::function<std::string(std::string_view)>;

class ProcessLog {
 public:
  // Levels from `config.log_levels`, format from `config.log_format`; lines to `out` (not owned,
  // must outlive this).
  ProcessLog(const config::WorkerConfig& config, FILE* out = stderr);

  // What the runtime logs to. Holds this object by reference: it must outlive every copy.
  LogSink Sink();
  // Set before the first secret is resolved; called for every line that passes.
  void SetRedactor(Redactor redactor);

  const std::shared_ptr<LogLevels>& levels() const { return levels_; }

 private:
  void Write(LogLevel level, std::string_view who, std::string_view message);

  const config::LogFormat format_;
  const std::shared_ptr<LogLevels> levels_;
  FILE* const out_;
  std::mutex mu_;
  Redactor redactor_;  // GUARDED_BY(mu_) for writes; read under it too
};

}  // namespace sluice::logging

#endif  // SLUICE_RUNTIME_LOGGING_PROCESS_LOG_H_
