// Which log lines pass: a level per logger, set in the worker properties at start
// (`log4j.rootLogger`, `log4j.logger.<name>`) and changed at run time through Kafka Connect's
// `/admin/loggers` (KIP-495) or `sluice loggers`, both of which call Set here.
//
// Loggers are named with dots and form a hierarchy, as log4j's do: `connector.orders.task.0`
// takes the level of the nearest of itself, `connector.orders.task`, `connector.orders`,
// `connector` that has one, else the root's. A logger is known once it has logged a line or been
// given a level (log4j's "current loggers"); Set on a name also sets every known logger below it,
// as Kafka Connect's does, and answers with the names it set.
//
// Threads: every method from any thread; one mutex, taken once per log line (never per record).
#ifndef SLUICE_RUNTIME_LOGGING_LOG_LEVELS_H_
#define SLUICE_RUNTIME_LOGGING_LOG_LEVELS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/common/log.h"

namespace sluice::logging {

// log4j's levels, most verbose first. A logger at one passes lines at it and above; FATAL passes
// nothing Sluice writes (it writes no fatal lines), OFF nothing at all.
enum class Threshold { kAll, kTrace, kDebug, kInfo, kWarn, kError, kFatal, kOff };

// "ALL", "TRACE", ... "OFF" in any case; nullopt for anything else.
std::optional<Threshold> ParseThreshold(absl::string_view name);
std::string_view ThresholdName(Threshold threshold);
bool Passes(Threshold threshold, LogLevel level);

// Kafka Connect's LoggerLevel: the effective level, and when it was last set through Set (ms
// since the epoch), null when it never was.
struct LoggerLevel {
  std::string level;
  std::optional<int64_t> last_modified_ms;

  bool operator==(const LoggerLevel&) const = default;
};

class LogLevels {
 public:
  static constexpr char kRoot[] = "root";

  explicit LogLevels(Threshold root = Threshold::kInfo);

  // A level from the worker properties (`root` for the root logger): no last_modified.
  void Configure(absl::string_view logger, Threshold threshold);

  // Whether a line of `level` from `logger` passes; makes `logger` known.
  bool Enabled(absl::string_view logger, LogLevel level);

  // Every known logger and the root, by name, with its effective level (GET /admin/loggers).
  std::map<std::string, LoggerLevel> All() const;
  // One logger's (GET /admin/loggers/{name}); nullopt when it is not known. `root` always is.
  std::optional<LoggerLevel> Get(absl::string_view logger) const;
  // Sets `logger` (made known) and every known logger below it, or with `root` every logger;
  // returns the names set, sorted (PUT /admin/loggers/{name}).
  std::vector<std::string> Set(absl::string_view logger, Threshold threshold, absl::Time now);

 private:
  struct Entry {
    std::optional<Threshold> level;  // set on this logger itself
    std::optional<int64_t> last_modified_ms;
  };
  Threshold EffectiveLocked(absl::string_view logger) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  LoggerLevel LevelOfLocked(const std::string& name, const Entry& entry) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  Entry root_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Entry, std::less<>> loggers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice::logging

#endif  // SLUICE_RUNTIME_LOGGING_LOG_LEVELS_H_
