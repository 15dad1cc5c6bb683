#include "runtime/worker/per_record_metrics.h"

#include <cstdlib>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace sluice::worker {

bool PerRecordMetricsSwitchedOff() {
  const char* setting = std::getenv(kPerRecordMetricsSwitch);
  return setting != nullptr && std::string_view(setting) == "off";
}

void WarnIfPerRecordMetricsOff(const LogSink& log) {
  if (PerRecordMetricsOn()) return;
  log(LogLevel::kWarn, "worker",
      absl::StrCat(kPerRecordMetricsSwitch,
                   "=off (a test-only switch for scripts/bench): the tasks do not count "
                   "source-record-poll-total, source-record-write-total or the commit-to-ack lag; "
                   "unset it (docs/metrics.md)"));
}

}  // namespace sluice::worker
