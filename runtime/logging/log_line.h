// One log line as it is written: who speaks turned into a logger name and its connector/task
// context, and the line formatted as text or JSON (`log.format`).
//
// Text: `2026-12-07T08:20:17.123Z INFO  connector.orders.task.0 [orders|task-0] message`
// JSON: `{"timestamp":"2026-12-07T08:20:17.123Z","level":"INFO","logger":"connector.orders.task.0",
//        "connector":"orders","task":0,"message":"..."}` (connector and task only when known).
// Either is exactly one line: newlines in a message are written as `\n`.
#ifndef SLUICE_RUNTIME_LOGGING_LOG_LINE_H_
#define SLUICE_RUNTIME_LOGGING_LOG_LINE_H_

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "runtime/common/log.h"
#include "runtime/config/worker_config.h"

namespace sluice::logging {

// Who speaks, as loggers and log shippers see it.
struct LogContext {
  std::string logger;     // "worker", "connector.orders", "connector.orders.task.0", "librdkafka"
  std::string connector;  // empty outside a connector
  int task = -1;          // -1 outside a task
};

// The runtime's speakers ("worker", "rest", "connector `orders`", "connector `orders` task 0")
// as logger names; anything else is its own logger name.
LogContext ContextOf(std::string_view who);

// The line, ending in '\n'.
std::string FormatLogLine(config::LogFormat format, absl::Time when, LogLevel level,
                          const LogContext& context, std::string_view message);

}  // namespace sluice::logging

#endif  // SLUICE_RUNTIME_LOGGING_LOG_LINE_H_
