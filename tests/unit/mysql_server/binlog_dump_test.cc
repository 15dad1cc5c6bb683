// The dump commands, byte for byte against fixtures written from the protocol documentation, and
// the check that a MySQL server can serve a GTID start (no MySQL server is needed: the server's
// sets are inputs).
#include "connectors/mysql/server/binlog_dump.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

constexpr char kA[] = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr char kB[] = "00000000-0000-0000-0000-000000000001";

MysqlGtidSet Set(const std::string& text) { return *MysqlGtidSet::Parse(text); }

TEST(BinlogDumpCommand, MatchesMariaDbsDocumentedExample) {
  // MariaDB's COM_BINLOG_DUMP page: "1b 00 00 00 12 34 06 00 00 02 00 75 27 00 00 6d 79 73 71 6c
  // 2d 62 69 6e 2e 30 30 30 30 33 34", a 4-byte packet header (length 0x1b, sequence 0), then the
  // command: position 0x634, flags 2 (ANNOTATE_ROWS), server id 10101, "mysql-bin.000034".
  const std::vector<uint8_t> expected = {0x12, 0x34, 0x06, 0x00, 0x00, 0x02, 0x00, 0x75, 0x27,
                                         0x00, 0x00, 0x6d, 0x79, 0x73, 0x71, 0x6c, 0x2d, 0x62,
                                         0x69, 0x6e, 0x2e, 0x30, 0x30, 0x30, 0x30, 0x33, 0x34};
  absl::StatusOr<std::vector<uint8_t>> command =
      BinlogDumpCommand(kDumpSendAnnotateRows, 10101, "mysql-bin.000034", 0x634);
  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_EQ(*command, expected);
  EXPECT_EQ(expected.size(), 0x1bu);
}

TEST(BinlogDumpCommand, RefusesAPositionBeyondFourBytes) {
  absl::StatusOr<std::vector<uint8_t>> command =
      BinlogDumpCommand(0, 1, "binlog.000001", uint64_t{1} << 32);
  EXPECT_TRUE(absl::IsInvalidArgument(command.status())) << command.status();
}

TEST(BinlogDumpGtidCommand, MatchesTheDocumentedLayout) {
  // MySQL internals manual, COM_BINLOG_DUMP_GTID: int<1> 0x1e, int<2> flags, int<4> server-id,
  // int<4> binlog-filename-len, string binlog-filename, int<8> binlog-pos, and with
  // BINLOG_THROUGH_GTID (0x04): int<4> data-size, data (the encoded GTID set).
  const std::vector<uint8_t> expected = {
      0x1e,                                            // COM_BINLOG_DUMP_GTID
      0x05, 0x00,                                      // flags: NON_BLOCK | THROUGH_GTID
      0x0a, 0x15, 0x00, 0x00,                          // server id 5386
      0x00, 0x00, 0x00, 0x00,                          // no file name
      0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // position 4
      0x58, 0x00, 0x00, 0x00,                          // data size 88
      // data: n_sids 2; per source the UUID, n_intervals, [start, end) pairs
      0x02, 0, 0, 0, 0, 0, 0, 0,                             //
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,     // kB
      0x01, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0,  // 1 interval: [1,
      0x0b, 0, 0, 0, 0, 0, 0, 0,                             //  11)
      0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1, 0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95,
      0x62,                                                  // kA
      0x01, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0,  // 1 interval: [1,
      0x2b, 0, 0, 0, 0, 0, 0, 0,                             //  43)
  };
  EXPECT_EQ(BinlogDumpGtidCommand(kDumpNonBlock, 5386, "", 4,
                                  Set(std::string(kA) + ":1-42," + kB + ":1-10")),
            expected);
}

TEST(BinlogDumpGtidCommand, CarriesAFileNameAndTheEmptySet) {
  const std::vector<uint8_t> expected = {
      0x1e, 0x04, 0x00,                                // blocking, THROUGH_GTID
      0x01, 0x00, 0x00, 0x00,                          // server id 1
      0x03, 0x00, 0x00, 0x00, 'b',  'i',  'n',         // "bin"
      0x9a, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // position 666
      0x08, 0x00, 0x00, 0x00,                          // data size 8
      0,    0,    0,    0,    0,    0,    0,    0,     // n_sids 0
  };
  EXPECT_EQ(BinlogDumpGtidCommand(0, 1, "bin", 666, MysqlGtidSet()), expected);
}

TEST(CheckGtidStartAvailable, AStartTheServerCanServe) {
  const MysqlGtidSet executed = Set(std::string(kA) + ":1-100," + kB + ":1-5");
  EXPECT_TRUE(CheckGtidStartAvailable(Set(std::string(kA) + ":1-60," + kB + ":1-5"), executed,
                                      Set(std::string(kA) + ":1-50"), "db:3306")
                  .ok());
  EXPECT_TRUE(CheckGtidStartAvailable(executed, executed, executed, "db:3306").ok())
      << "caught up, everything purged";
  EXPECT_TRUE(CheckGtidStartAvailable(MysqlGtidSet(), executed, MysqlGtidSet(), "db:3306").ok())
      << "nothing purged: the whole history is still there";
}

TEST(CheckGtidStartAvailable, PurgedTransactionsNotReadYetFail) {
  absl::Status status =
      CheckGtidStartAvailable(Set(std::string(kA) + ":1-40"), Set(std::string(kA) + ":1-100"),
                              Set(std::string(kA) + ":1-50"), "cdc@db:3306");
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_NE(status.message().find("the server at cdc@db:3306 has purged the binlogs holding "
                                  "transactions the connector has not read yet (" +
                                  std::string(kA) + ":41-50)"),
            std::string::npos)
      << status;
  EXPECT_NE(status.message().find("snapshot.mode=when_needed"), std::string::npos) << status;

  status = CheckGtidStartAvailable(Set(std::string(kA) + ":1-100"),
                                   Set(std::string(kA) + ":1-100," + kB + ":1-9"),
                                   Set(std::string(kB) + ":1-3"), "db:3306");
  EXPECT_NE(status.message().find(std::string(kB) + ":1-3"), std::string::npos)
      << "a source the offset never saw, partly purged: " << status;
}

TEST(CheckGtidStartAvailable, TransactionsTheServerNeverExecutedFail) {
  absl::Status status = CheckGtidStartAvailable(
      Set(std::string(kA) + ":1-120"), Set(std::string(kA) + ":1-100"), MysqlGtidSet(), "db:3306");
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_NE(status.message().find("has never executed (" + std::string(kA) + ":101-120"),
            std::string::npos)
      << status;
  EXPECT_NE(status.message().find("RESET MASTER"), std::string::npos) << status;
}

}  // namespace
}  // namespace sluice::mysql
