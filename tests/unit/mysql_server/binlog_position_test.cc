// Which statement reports the current binlog position: MySQL 8.4 removed SHOW MASTER STATUS
// (8.2 added SHOW BINARY LOG STATUS); MariaDB keeps it. No MySQL 8.0 or 8.4 server runs here, so
// the choice is also run over the wire against FakeMysqlSource presenting those versions, each
// answering only the statement its version knows.
#include "connectors/mysql/server/binlog_position.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/unit/mysql_server/fake_mysql_source.h"

namespace sluice::mysql {
namespace {

using sluice::testing::FakeMysqlSource;

TEST(BinlogStatusStatement, ByServerKindAndVersion) {
  EXPECT_EQ(BinlogStatusStatement(false, "9.7.4-2"), "SHOW BINARY LOG STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "8.4.3"), "SHOW BINARY LOG STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "8.2.0"), "SHOW BINARY LOG STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "8.1.0"), "SHOW MASTER STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "8.0.36-0ubuntu0.22.04.1"), "SHOW MASTER STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "8.0.40-log"), "SHOW MASTER STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "5.7.44-log"), "SHOW MASTER STATUS");
  EXPECT_EQ(BinlogStatusStatement(false, "10.0"), "SHOW BINARY LOG STATUS");
  EXPECT_EQ(BinlogStatusStatement(true, "10.11.6-MariaDB-log"), "SHOW MASTER STATUS");
  EXPECT_EQ(BinlogStatusStatement(true, "11.4.2-MariaDB"), "SHOW MASTER STATUS");
  // A version that does not read as one is taken as old: SHOW MASTER STATUS works up to 8.3.
  EXPECT_EQ(BinlogStatusStatement(false, "garbage"), "SHOW MASTER STATUS");
}

// A MySQL source of `version` that answers `statement` as that server prints its binlog status
// (Executed_Gtid_Set across lines) and any other statement with a bare OK.
FakeMysqlSource::Script MySqlAnswering(const std::string& version, const std::string& statement) {
  FakeMysqlSource::Script script;
  script.version = version;
  script.results[statement] = {
      {"File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB", "Executed_Gtid_Set"},
      {{"binlog.000003", "157", "", "",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,\n4f22fa47-71ca-11e1-9e33-c80aa9429562:1-3"}}};
  return script;
}

absl::StatusOr<ServerBinlogPosition> PositionFrom(const FakeMysqlSource& source) {
  absl::StatusOr<Connection> connection = sluice::testing::ConnectTo(source);
  if (!connection.ok()) return connection.status();
  return ReadServerBinlogPosition(*connection);
}

TEST(ReadServerBinlogPosition, AsksMySql80WithShowMasterStatus) {
  FakeMysqlSource source(MySqlAnswering("8.0.36", "SHOW MASTER STATUS"));
  absl::StatusOr<ServerBinlogPosition> position = PositionFrom(source);
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(position->file, "binlog.000003");
  EXPECT_EQ(position->position, 157u);
  EXPECT_EQ(position->executed_gtids,
            "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,4f22fa47-71ca-11e1-9e33-c80aa9429562:1-3");
}

TEST(ReadServerBinlogPosition, AsksMySql84WithShowBinaryLogStatus) {
  FakeMysqlSource source(MySqlAnswering("8.4.3", "SHOW BINARY LOG STATUS"));
  absl::StatusOr<ServerBinlogPosition> position = PositionFrom(source);
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(position->file, "binlog.000003");
  EXPECT_EQ(position->position, 157u);
}

// The other statement gets no result from these sources: asked the wrong way, the position is
// refused as if the binlog were off, which the two tests above would show.
TEST(ReadServerBinlogPosition, TheWrongStatementFindsNoPosition) {
  FakeMysqlSource source(MySqlAnswering("8.0.36", "SHOW BINARY LOG STATUS"));
  absl::StatusOr<ServerBinlogPosition> position = PositionFrom(source);
  ASSERT_FALSE(position.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(position.status())) << position.status();
}

}  // namespace
}  // namespace sluice::mysql
