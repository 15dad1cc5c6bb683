#include "runtime/logging/log_levels.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::logging {
namespace {

using ::testing::ElementsAre;

TEST(LogLevels, ParsesLog4jLevelsInAnyCase) {
  EXPECT_EQ(ParseThreshold("debug"), Threshold::kDebug);
  EXPECT_EQ(ParseThreshold(" WARN "), Threshold::kWarn);
  EXPECT_EQ(ParseThreshold("off"), Threshold::kOff);
  EXPECT_EQ(ParseThreshold("VERBOSE"), std::nullopt);
}

TEST(LogLevels, ALoggerTakesItsNearestAncestorsLevel) {
  LogLevels levels(Threshold::kWarn);
  levels.Configure("connector", Threshold::kInfo);
  levels.Configure("connector.orders", Threshold::kDebug);
  EXPECT_TRUE(levels.Enabled("connector.orders.task.0", LogLevel::kDebug));
  EXPECT_FALSE(levels.Enabled("connector.orders.task.0", LogLevel::kTrace));
  EXPECT_FALSE(levels.Enabled("connector.invoices", LogLevel::kDebug));
  EXPECT_TRUE(levels.Enabled("connector.invoices", LogLevel::kInfo));
  // `connectors` is not below `connector`: the root's WARN applies.
  EXPECT_FALSE(levels.Enabled("connectors", LogLevel::kInfo));
  EXPECT_TRUE(levels.Enabled("worker", LogLevel::kWarn));
}

TEST(LogLevels, OffAndFatalPassNothingSluiceWrites) {
  LogLevels levels;
  levels.Configure("librdkafka", Threshold::kOff);
  levels.Configure("rest", Threshold::kFatal);
  EXPECT_FALSE(levels.Enabled("librdkafka", LogLevel::kError));
  EXPECT_FALSE(levels.Enabled("rest", LogLevel::kError));
  levels.Configure("rest", Threshold::kAll);
  EXPECT_TRUE(levels.Enabled("rest", LogLevel::kTrace));
}

TEST(LogLevels, ListsKnownLoggersAndRootWithEffectiveLevels) {
  LogLevels levels(Threshold::kInfo);
  levels.Enabled("worker", LogLevel::kInfo);
  levels.Configure("connector.orders", Threshold::kDebug);
  levels.Enabled("connector.orders.task.0", LogLevel::kInfo);
  std::map<std::string, LoggerLevel> all = levels.All();
  EXPECT_EQ(all.size(), 4u);
  EXPECT_EQ(all["root"], (LoggerLevel{"INFO", std::nullopt}));
  EXPECT_EQ(all["worker"], (LoggerLevel{"INFO", std::nullopt}));
  EXPECT_EQ(all["connector.orders.task.0"], (LoggerLevel{"DEBUG", std::nullopt}));
  EXPECT_EQ(levels.Get("nobody"), std::nullopt);
  EXPECT_EQ(levels.Get("root"), (LoggerLevel{"INFO", std::nullopt}));
}

TEST(LogLevels, SetChangesTheLoggerAndEveryKnownLoggerBelowIt) {
  LogLevels levels;
  levels.Enabled("connector.orders", LogLevel::kInfo);
  levels.Enabled("connector.orders.task.0", LogLevel::kInfo);
  levels.Enabled("connector.ordersx", LogLevel::kInfo);
  levels.Enabled("worker", LogLevel::kInfo);
  const absl::Time at = absl::FromUnixMillis(1700000000123);
  EXPECT_THAT(levels.Set("connector.orders", Threshold::kTrace, at),
              ElementsAre("connector.orders", "connector.orders.task.0"));
  EXPECT_EQ(levels.Get("connector.orders.task.0"), (LoggerLevel{"TRACE", 1700000000123}));
  EXPECT_EQ(levels.Get("connector.ordersx"), (LoggerLevel{"INFO", std::nullopt}));
  // A logger nobody has used yet becomes known by being set.
  EXPECT_THAT(levels.Set("kafka.new", Threshold::kError, at), ElementsAre("kafka.new"));
  EXPECT_EQ(levels.Get("kafka.new"), (LoggerLevel{"ERROR", 1700000000123}));
  // root sets every logger.
  EXPECT_THAT(levels.Set("root", Threshold::kWarn, at),
              ElementsAre("connector.orders", "connector.orders.task.0", "connector.ordersx",
                          "kafka.new", "root", "worker"));
  EXPECT_FALSE(levels.Enabled("connector.orders.task.0", LogLevel::kInfo));
}

}  // namespace
}  // namespace sluice::logging
