// The binlog purge headroom warning (binlog_headroom.h): which thresholds trip it and what it
// says. The measurement itself needs a server: tests/integration/admin/prometheus_scrape_test.cc.
#include "connectors/mysql/connector/binlog_headroom.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(BinlogHeadroomWarning, NoneWhileBothFiguresAreAboveTheirThresholds) {
  EXPECT_EQ(HeadroomWarning({.bytes = 5000, .seconds = 7200}, 4096, 3600), "");
}

TEST(BinlogHeadroomWarning, ZeroTurnsAThresholdOffAndUnknownFiguresNeverWarn) {
  EXPECT_EQ(HeadroomWarning({.bytes = 10, .seconds = 10}, 0, 0), "");
  EXPECT_EQ(HeadroomWarning({.bytes = -1, .seconds = -1}, 4096, 3600), "");
}

TEST(BinlogHeadroomWarning, NamesTheFigureUnderItsThresholdAndTheWayOut) {
  const std::string bytes = HeadroomWarning({.bytes = 100, .seconds = 7200}, 4096, 3600);
  EXPECT_THAT(bytes, StartsWith("binlog purge headroom 100 bytes (under 4096): "));
  EXPECT_THAT(bytes, HasSubstr("binlog_expire_logs_seconds"));
  const std::string both = HeadroomWarning({.bytes = 0, .seconds = 60}, 4096, 3600);
  EXPECT_THAT(both, StartsWith("binlog purge headroom 0 bytes (under 4096), 60 s (under 3600)"));
}

}  // namespace
}  // namespace sluice::mysql
