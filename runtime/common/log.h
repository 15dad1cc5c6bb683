// The runtime's log lines: a level, who speaks ("worker", "connector `orders` task 0") and the
// message, handed to a LogSink. Connectors log through the ABI (api->log), whose levels the
// plugin host maps onto these; everything else in the runtime logs with them directly.
#ifndef SLUICE_RUNTIME_COMMON_LOG_H_
#define SLUICE_RUNTIME_COMMON_LOG_H_

#include <cstdio>
#include <functional>
#include <string_view>

namespace sluice {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };

inline std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return "TRACE";
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarn:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "LOG";
}

// Where log lines go. Called from any thread the speaker runs on; a sink must be thread-safe.
using LogSink = std::function<void(LogLevel level, std::string_view who, std::string_view message)>;

// "WARN worker: message" on stderr, one line each (stdio locks the stream per call).
inline LogSink StderrLogSink() {
  return [](LogLevel level, std::string_view who, std::string_view message) {
    const std::string_view name = LogLevelName(level);
    std::fprintf(stderr, "%.*s %.*s: %.*s\n", static_cast<int>(name.size()), name.data(),
                 static_cast<int>(who.size()), who.data(), static_cast<int>(message.size()),
                 message.data());
  };
}

}  // namespace sluice

#endif  // SLUICE_RUNTIME_COMMON_LOG_H_
