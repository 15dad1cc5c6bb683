#include "runtime/kafka/client_log.h"

#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"

namespace sluice::kafka {
namespace {

std::mutex& SinkMutex() {
  static std::mutex mu;
  return mu;
}
std::shared_ptr<const LogSink>& SinkSlot() {
  static auto* slot = new std::shared_ptr<const LogSink>(std::make_shared<LogSink>(StderrLogSink()));
  return *slot;
}

void OnClientLog(const rd_kafka_t* rk, int level, const char* facility, const char* buf) {
  std::shared_ptr<const LogSink> sink;
  {
    std::lock_guard<std::mutex> lock(SinkMutex());
    sink = SinkSlot();
  }
  (*sink)(ClientLogLevel(level), kClientLogger,
          absl::StrCat("[", rk != nullptr ? rd_kafka_name(rk) : "", "] ", facility, ": ", buf));
}

}  // namespace

void SetClientLogSink(LogSink sink) {
  auto shared = std::make_shared<const LogSink>(std::move(sink));
  std::lock_guard<std::mutex> lock(SinkMutex());
  SinkSlot() = std::move(shared);
}

LogLevel ClientLogLevel(int syslog_level) {
  if (syslog_level <= 3) return LogLevel::kError;
  if (syslog_level == 4) return LogLevel::kWarn;
  if (syslog_level <= 6) return LogLevel::kInfo;
  return LogLevel::kDebug;
}

void RouteClientLog(rd_kafka_conf_t* conf) { rd_kafka_conf_set_log_cb(conf, &OnClientLog); }

}  // namespace sluice::kafka
