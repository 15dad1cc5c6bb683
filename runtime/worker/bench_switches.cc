#include "runtime/worker/bench_switches.h"

#include <cstdlib>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace sluice::worker {

bool SwitchedOff(const char* name) {
  const char* setting = std::getenv(name);
  return setting != nullptr && std::string_view(setting) == "off";
}

void WarnIfBenchSwitchesSet(const LogSink& log) {
  if (!PerRecordMetricsOn()) {
    log(LogLevel::kWarn, "worker",
        absl::StrCat(kPerRecordMetricsSwitch,
                     "=off (a test-only switch for scripts/bench): the tasks do not count "
                     "source-record-poll-total, source-record-write-total or the commit-to-ack "
                     "lag; unset it (docs/metrics.md)"));
  }
  if (!SendStageOn()) {
    log(LogLevel::kWarn, "worker",
        absl::StrCat(kSendStageSwitch,
                     "=off (a test-only switch for scripts/bench): at-least-once tasks convert "
                     "and send each poll's records on the task thread, without the send stage; "
                     "unset it (docs/metrics.md)"));
  }
  if (!GroupCommitOn()) {
    log(LogLevel::kWarn, "worker",
        absl::StrCat(kGroupCommitSwitch,
                     "=off (a test-only switch for scripts/bench): exactly-once tasks commit "
                     "each poll as a transaction of its own, never several together; unset it "
                     "(docs/metrics.md)"));
  }
}

}  // namespace sluice::worker
