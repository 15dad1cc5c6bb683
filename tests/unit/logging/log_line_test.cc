#include "runtime/logging/log_line.h"

#include <gtest/gtest.h>

#include "rapidjson/document.h"

namespace sluice::logging {
namespace {

const absl::Time kAt = absl::FromUnixMillis(1796631617123);  // 2026-12-07T08:20:17.123Z

TEST(LogLine, SpeakersBecomeLoggerNamesWithTheirConnectorAndTask) {
  LogContext task = ContextOf("connector `orders` task 3");
  EXPECT_EQ(task.logger, "connector.orders.task.3");
  EXPECT_EQ(task.connector, "orders");
  EXPECT_EQ(task.task, 3);
  LogContext connector = ContextOf("connector `orders`");
  EXPECT_EQ(connector.logger, "connector.orders");
  EXPECT_EQ(connector.task, -1);
  LogContext worker = ContextOf("worker");
  EXPECT_EQ(worker.logger, "worker");
  EXPECT_EQ(worker.connector, "");
}

TEST(LogLine, TextIsOneLineWithUtcTimestampLevelLoggerContextAndMessage) {
  EXPECT_EQ(FormatLogLine(config::LogFormat::kText, kAt, LogLevel::kInfo,
                          ContextOf("connector `orders` task 0"), "line one\nline two"),
            "2026-12-07T08:20:17.123Z INFO  connector.orders.task.0 [orders|task-0] line "
            "one\\nline two\n");
  EXPECT_EQ(FormatLogLine(config::LogFormat::kText, kAt, LogLevel::kError, ContextOf("worker"),
                          "boom"),
            "2026-12-07T08:20:17.123Z ERROR worker boom\n");
}

TEST(LogLine, JsonIsOneObjectPerLine) {
  const std::string line = FormatLogLine(config::LogFormat::kJson, kAt, LogLevel::kWarn,
                                         ContextOf("connector `orders` task 2"), "a \"quoted\"\nb");
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  ASSERT_FALSE(doc.HasParseError()) << line;
  EXPECT_STREQ(doc["timestamp"].GetString(), "2026-12-07T08:20:17.123Z");
  EXPECT_STREQ(doc["level"].GetString(), "WARN");
  EXPECT_STREQ(doc["logger"].GetString(), "connector.orders.task.2");
  EXPECT_STREQ(doc["connector"].GetString(), "orders");
  EXPECT_EQ(doc["task"].GetInt(), 2);
  EXPECT_STREQ(doc["message"].GetString(), "a \"quoted\"\nb");
  const std::string worker =
      FormatLogLine(config::LogFormat::kJson, kAt, LogLevel::kInfo, ContextOf("worker"), "x");
  EXPECT_EQ(worker.find("connector"), std::string::npos);
  EXPECT_EQ(worker.find("task"), std::string::npos);
}

}  // namespace
}  // namespace sluice::logging
