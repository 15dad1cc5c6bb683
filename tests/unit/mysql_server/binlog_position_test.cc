// Which statement reports the current binlog position: MySQL 8.4 removed SHOW MASTER STATUS
// (8.2 added SHOW BINARY LOG STATUS); MariaDB keeps it.
#include "connectors/mysql/server/binlog_position.h"

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

TEST(BinlogStatusStatement, ByServerKindAndVersion) {
  EXPECT_EQ(BinlogStatusStatement(false, "9.7.4-2"), "SHOW BINARY LOG STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "8.4.3"), "SHOW BINARY LOG STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "8.2.0"), "SHOW BINARY LOG STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "8.1.0"), "SHOW MASTER STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "8.0.36-0ubuntu0.22.04.1"), "SHOW MASTER STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "5.7.44-log"), "SHOW MASTER STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "10.0"), "SHOW BINARY LOG STATUS");
  EXPECT_EQ(BinlogStatusStatement(true, "10.11.6-MariaDB-log"), "SHOW MASTER STATUS");
  EXPECT_EQ(BinlogStatusStatement(true, "11.4.2-MariaDB"), "SHOW MASTER STATUS");
  // A version that does not read as one is taken as old: SHOW MASTER STATUS works up to 8.3.
  EXPECT_EQ(BinlogStatusStatement(false, "garbage"), "SHOW MASTER STATUS");
}

}  // namespace
}  // namespace sluice::mysql
