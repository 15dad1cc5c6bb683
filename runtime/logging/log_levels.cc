#include "runtime/logging/log_levels.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace sluice::logging {
namespace {

constexpr std::pair<std::string_view, Threshold> kNames[] = {
    {"ALL", Threshold::kAll},   {"TRACE", Threshold::kTrace}, {"DEBUG", Threshold::kDebug},
    {"INFO", Threshold::kInfo}, {"WARN", Threshold::kWarn},   {"ERROR", Threshold::kError},
    {"FATAL", Threshold::kFatal}, {"OFF", Threshold::kOff}};

// Whether `name` is `ancestor` or below it (`connector.orders` is below `connector`).
bool AtOrBelow(absl::string_view name, absl::string_view ancestor) {
  return name == ancestor ||
         (absl::StartsWith(name, ancestor) && name.size() > ancestor.size() &&
          name[ancestor.size()] == '.');
}

}  // namespace

std::optional<Threshold> ParseThreshold(absl::string_view name) {
  const std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(name));
  for (const auto& [text, threshold] : kNames) {
    if (upper == text) return threshold;
  }
  return std::nullopt;
}

std::string_view ThresholdName(Threshold threshold) {
  for (const auto& [text, t] : kNames) {
    if (t == threshold) return text;
  }
  return "INFO";
}

bool Passes(Threshold threshold, LogLevel level) {
  const int ordinal = static_cast<int>(level) + static_cast<int>(Threshold::kTrace);
  return ordinal >= static_cast<int>(threshold);
}

LogLevels::LogLevels(Threshold root) { root_.level = root; }

void LogLevels::Configure(absl::string_view logger, Threshold threshold) {
  absl::MutexLock lock(&mu_);
  if (logger == kRoot) {
    root_.level = threshold;
  } else {
    loggers_[std::string(logger)].level = threshold;
  }
}

bool LogLevels::Enabled(absl::string_view logger, LogLevel level) {
  {
    absl::ReaderMutexLock lock(&mu_);
    if (loggers_.find(logger) != loggers_.end()) return Passes(EffectiveLocked(logger), level);
  }
  absl::MutexLock lock(&mu_);
  loggers_.try_emplace(std::string(logger));
  return Passes(EffectiveLocked(logger), level);
}

Threshold LogLevels::EffectiveLocked(absl::string_view logger) const {
  absl::string_view name = logger;
  while (!name.empty()) {
    if (auto it = loggers_.find(name); it != loggers_.end() && it->second.level) {
      return *it->second.level;
    }
    const size_t dot = name.rfind('.');
    if (dot == absl::string_view::npos) break;
    name = name.substr(0, dot);
  }
  return root_.level.value_or(Threshold::kInfo);
}

LoggerLevel LogLevels::LevelOfLocked(const std::string& name, const Entry& entry) const {
  return {std::string(ThresholdName(name == kRoot ? *root_.level : EffectiveLocked(name))),
          entry.last_modified_ms};
}

std::map<std::string, LoggerLevel> LogLevels::All() const {
  absl::ReaderMutexLock lock(&mu_);
  std::map<std::string, LoggerLevel> out;
  for (const auto& [name, entry] : loggers_) out.emplace(name, LevelOfLocked(name, entry));
  out[kRoot] = LevelOfLocked(kRoot, root_);
  return out;
}

std::optional<LoggerLevel> LogLevels::Get(absl::string_view logger) const {
  absl::ReaderMutexLock lock(&mu_);
  if (logger == kRoot) return LevelOfLocked(kRoot, root_);
  auto it = loggers_.find(logger);
  if (it == loggers_.end()) return std::nullopt;
  return LevelOfLocked(it->first, it->second);
}

std::vector<std::string> LogLevels::Set(absl::string_view logger, Threshold threshold,
                                        absl::Time now) {
  const int64_t ms = absl::ToUnixMillis(now);
  absl::MutexLock lock(&mu_);
  std::vector<std::string> set;
  const bool root = logger == kRoot;
  if (!root) loggers_.try_emplace(std::string(logger));
  for (auto& [name, entry] : loggers_) {
    if (root || AtOrBelow(name, logger)) {
      entry.level = threshold;
      entry.last_modified_ms = ms;
      set.push_back(name);
    }
  }
  if (root) {
    root_.level = threshold;
    root_.last_modified_ms = ms;
    set.push_back(kRoot);
  }
  std::sort(set.begin(), set.end());
  return set;
}

}  // namespace sluice::logging
