// The test-only switches of scripts/bench (runtime/worker/bench_switches.h): only `off` turns a
// part off, and a worker that has a switch set says so at start, naming it.
#include "runtime/worker/bench_switches.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace sluice::worker {
namespace {

void PrintToStderr(LogLevel level, std::string_view who, std::string_view message) {
  std::fprintf(stderr, "%s %.*s %.*s\n", level == LogLevel::kWarn ? "WARN" : "OTHER",
               static_cast<int>(who.size()), who.data(), static_cast<int>(message.size()),
               message.data());
}

TEST(BenchSwitches, OnlyOffTurnsAPartOff) {
  for (const char* name : {kPerRecordMetricsSwitch, kSendStageSwitch}) {
    unsetenv(name);
    EXPECT_FALSE(SwitchedOff(name)) << name;
    for (const char* other : {"on", "OFF", "", "false"}) {
      setenv(name, other, 1);
      EXPECT_FALSE(SwitchedOff(name)) << name << "=" << other;
    }
    setenv(name, "off", 1);
    EXPECT_TRUE(SwitchedOff(name)) << name;
    unsetenv(name);
  }
}

// The switches are read once per process, so each case runs in a child of its own.
TEST(BenchSwitches, AWorkerWithPerRecordMetricsOffWarnsOfItAndCountsNothing) {
  EXPECT_EXIT(
      {
        setenv(kPerRecordMetricsSwitch, "off", 1);
        unsetenv(kSendStageSwitch);
        WarnIfBenchSwitchesSet(PrintToStderr);
        std::exit(!PerRecordMetricsOn() && SendStageOn() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0),
      "WARN worker SLUICE_BENCH_PER_RECORD_METRICS=off \\(a test-only switch for scripts/bench\\)");
}

TEST(BenchSwitches, AWorkerWithTheSendStageOffWarnsOfItAndSendsOnTheTaskThread) {
  EXPECT_EXIT(
      {
        unsetenv(kPerRecordMetricsSwitch);
        setenv(kSendStageSwitch, "off", 1);
        WarnIfBenchSwitchesSet(PrintToStderr);
        std::exit(PerRecordMetricsOn() && !SendStageOn() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0),
      "WARN worker SLUICE_BENCH_SEND_STAGE=off \\(a test-only switch for scripts/bench\\)");
}

TEST(BenchSwitches, AWorkerWithGroupCommitOffWarnsOfIt) {
  EXPECT_EXIT(
      {
        unsetenv(kPerRecordMetricsSwitch);
        unsetenv(kSendStageSwitch);
        setenv(kGroupCommitSwitch, "off", 1);
        WarnIfBenchSwitchesSet(PrintToStderr);
        std::exit(PerRecordMetricsOn() && SendStageOn() && !GroupCommitOn() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0),
      "WARN worker SLUICE_BENCH_GROUP_COMMIT=off \\(a test-only switch for scripts/bench\\)");
}

TEST(BenchSwitches, AWorkerWithoutSwitchesSaysNothing) {
  EXPECT_EXIT(
      {
        unsetenv(kPerRecordMetricsSwitch);
        unsetenv(kSendStageSwitch);
        unsetenv(kGroupCommitSwitch);
        int lines = 0;
        WarnIfBenchSwitchesSet([&lines](LogLevel, std::string_view, std::string_view) { ++lines; });
        std::exit(lines == 0 && PerRecordMetricsOn() && SendStageOn() && GroupCommitOn() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace sluice::worker
