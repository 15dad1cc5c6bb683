#include "runtime/logging/process_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_replace.h"

namespace sluice::logging {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadAll(FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

TEST(ProcessLog, FiltersByTheConfiguredLevelsAndScrubsEveryLine) {
  config::WorkerConfig config;
  config.log_levels = {{"root", "WARN"}, {"connector.orders", "DEBUG"}};
  FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    ProcessLog log(config, out);
    log.SetRedactor([](std::string_view text) {
      return absl::StrReplaceAll(absl::string_view(text.data(), text.size()),
                                 {{"hunter2", "********"}});
    });
    LogSink sink = log.Sink();
    sink(LogLevel::kInfo, "worker", "not shown");
    sink(LogLevel::kWarn, "worker", "shown");
    sink(LogLevel::kDebug, "connector `orders` task 0", "password is hunter2");
    sink(LogLevel::kDebug, "connector `invoices` task 0", "not shown either");
    log.levels()->Set("worker", Threshold::kInfo, absl::Now());
    sink(LogLevel::kInfo, "worker", "now shown");
  }
  const std::string text = ReadAll(out);
  std::fclose(out);
  EXPECT_THAT(text, HasSubstr("WARN  worker shown\n"));
  EXPECT_THAT(text, HasSubstr("DEBUG connector.orders.task.0 [orders|task-0] password is ********"));
  EXPECT_THAT(text, HasSubstr("INFO  worker now shown\n"));
  EXPECT_THAT(text, Not(HasSubstr("not shown")));
  EXPECT_THAT(text, Not(HasSubstr("hunter2")));
}

}  // namespace
}  // namespace sluice::logging
