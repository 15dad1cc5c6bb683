// The test-only switch SLUICE_BENCH_PER_RECORD_METRICS (runtime/worker/per_record_metrics.h):
// only `off` turns the per-record metrics off, and a worker that has it set says so at start.
#include "runtime/worker/per_record_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace sluice::worker {
namespace {

TEST(PerRecordMetrics, OnlyOffTurnsThemOff) {
  unsetenv(kPerRecordMetricsSwitch);
  EXPECT_FALSE(PerRecordMetricsSwitchedOff());
  for (const char* other : {"on", "OFF", "", "false"}) {
    setenv(kPerRecordMetricsSwitch, other, 1);
    EXPECT_FALSE(PerRecordMetricsSwitchedOff()) << other;
  }
  setenv(kPerRecordMetricsSwitch, "off", 1);
  EXPECT_TRUE(PerRecordMetricsSwitchedOff());
  unsetenv(kPerRecordMetricsSwitch);
}

// The switch is read once per process, so each case runs in a child of its own.
TEST(PerRecordMetrics, AWorkerWithTheSwitchOffWarnsOfItAndCountsNothing) {
  EXPECT_EXIT(
      {
        setenv(kPerRecordMetricsSwitch, "off", 1);
        WarnIfPerRecordMetricsOff([](LogLevel level, std::string_view who, std::string_view message) {
          std::fprintf(stderr, "%s %.*s %.*s\n", level == LogLevel::kWarn ? "WARN" : "OTHER",
                       static_cast<int>(who.size()), who.data(), static_cast<int>(message.size()),
                       message.data());
        });
        std::exit(PerRecordMetricsOn() ? 1 : 0);
      },
      ::testing::ExitedWithCode(0),
      "WARN worker SLUICE_BENCH_PER_RECORD_METRICS=off \\(a test-only switch for scripts/bench\\)");
}

TEST(PerRecordMetrics, AWorkerWithoutTheSwitchCountsAndSaysNothing) {
  EXPECT_EXIT(
      {
        unsetenv(kPerRecordMetricsSwitch);
        int lines = 0;
        WarnIfPerRecordMetricsOff([&lines](LogLevel, std::string_view, std::string_view) { ++lines; });
        std::exit(lines == 0 && PerRecordMetricsOn() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace sluice::worker
