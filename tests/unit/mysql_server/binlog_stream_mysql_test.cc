// The binlog stream's MySQL path over the wire, against FakeMysqlSource: a GTID start sends
// COM_BINLOG_DUMP_GTID and every event MySQL 8 sends comes out byte for byte, including the ones
// Connector/C's mariadb_rpl_fetch refuses, which is why the stream reads packets itself
// (connectors/mysql/server/README.md, "Why not mariadb_rpl").
// clang-format off
#include <mysql.h>  // must precede mariadb_rpl.h, which uses its types
#include <mariadb_rpl.h>
// clang-format on

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/server/binlog_dump.h"
#include "connectors/mysql/server/binlog_stream.h"
#include "connectors/mysql/server/connection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/binlog/binlog_builder.h"
#include "tests/unit/mysql_server/fake_mysql_source.h"

namespace sluice::mysql {
namespace {

using binlog::EventType;
using binlog::testing::Bytes;
using binlog::testing::EventOptions;
using binlog::testing::MakeEvent;
using sluice::testing::FakeMysqlSource;

constexpr char kExecuted[] = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10";
constexpr char kResumeAfter[] = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-8";
constexpr uint32_t kServerId = 5410;
constexpr uint16_t kIgnorable = 0x80;   // LOG_EVENT_IGNORABLE_F
constexpr uint16_t kArtificial = 0x20;  // LOG_EVENT_ARTIFICIAL_F

std::vector<uint8_t> Event(EventType type, const Bytes& data, uint16_t flags = 0) {
  EventOptions options;
  options.checksum = true;
  options.flags = flags;
  return MakeEvent(type, data, options);
}

// MySQL 8.0's FORMAT_DESCRIPTION: post-header lengths for its 41 event types, as
// libbinlogevents' Format_description_event writes them.
std::vector<uint8_t> MysqlFormatDescription() {
  Bytes data;
  std::string version = "8.0.36";
  version.resize(50, '\0');
  data.U16(4).Str(version).U32(1700000000).U8(19);
  for (uint8_t length : {0, 13, 0, 8, 0, 0, 0, 0, 4,  0,  4,  0,  0,  0, 98, 0,  4, 26, 8, 0, 0,
                         0, 8,  8, 8, 2, 0, 0, 0, 10, 10, 10, 42, 42, 0, 18, 52, 0, 10, 0, 0}) {
    data.U8(length);
  }
  return Event(EventType::kFormatDescription, data.U8(1));  // CRC32
}

Bytes MysqlGtid(uint64_t gno) {
  Bytes data;
  data.U8(1);
  for (uint8_t byte : {0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1, 0x9e, 0x33, 0xc8, 0x0a, 0xa9,
                       0x42, 0x95, 0x62}) {
    data.U8(byte);
  }
  data.U64(gno).U8(2).U64(0).U64(1);  // logical clock: last_committed, sequence_number
  return data;
}

Bytes RowsV2(bool two_images) {
  Bytes data;
  data.U48(108).U16(1).U16(2).Packed(1).U8(0x01);
  if (two_images) data.U8(0x01);
  data.U8(0x00).U32(41);
  if (two_images) data.U8(0x00).U32(42);
  return data;
}

// What a MySQL 8 source sends after COM_BINLOG_DUMP_GTID: the artificial ROTATE and the
// FORMAT_DESCRIPTION, then two transactions, one of them written with
// binlog_row_value_options=PARTIAL_JSON, one with binlog_transaction_compression=ON, a heartbeat
// of each version and an INCIDENT.
std::vector<std::vector<uint8_t>> MysqlStream() {
  Bytes rotate;
  rotate.U64(4).Str("binlog.000001");
  Bytes previous_gtids;
  previous_gtids.U64(0);
  Bytes begin;
  begin.U32(7).U32(0).U8(0).U16(0).U16(0).U8(0).Str("BEGIN");
  Bytes rows_query;
  rows_query.U8(26).Str("update t set j = '{}'");
  Bytes table_map;
  table_map.U48(108).U16(1).U8(1).Str("d").U8(0).U8(1).Str("t").U8(0).Packed(1).U8(3).Packed(0).U8(
      0);
  Bytes xid;
  xid.U64(99);
  Bytes payload;  // fields: compression type 0 (ZSTD), uncompressed size, payload size; end
  payload.U8(2).U8(1).U8(0).U8(3).U8(1).U8(40).U8(1).U8(1).U8(9).U8(0).Str("zstd-data");
  Bytes heartbeat;
  heartbeat.Str("binlog.000001");
  Bytes heartbeat_v2;  // fields: log file name, log position
  heartbeat_v2.U8(1).U8(13).Str("binlog.000001").U8(2).U8(2).U16(900);
  Bytes incident;
  incident.U16(1).U8(11).Str("lost events");
  return {
      Event(EventType::kRotate, rotate, kArtificial),
      MysqlFormatDescription(),
      Event(EventType::kPreviousGtids, previous_gtids, kIgnorable),
      Event(EventType::kGtid, MysqlGtid(9)),
      Event(EventType::kQuery, begin),
      Event(EventType::kRowsQuery, rows_query, kIgnorable),
      Event(EventType::kTableMap, table_map),
      Event(EventType::kWriteRowsV2, RowsV2(false)),
      Event(EventType::kPartialUpdateRows, RowsV2(true)),
      Event(EventType::kXid, xid),
      Event(EventType::kGtid, MysqlGtid(10)),
      Event(EventType::kTransactionPayload, payload),
      Event(EventType::kHeartbeat, heartbeat),
      Event(EventType::kHeartbeatV2, heartbeat_v2),
      Event(EventType::kIncident, incident),
  };
}

FakeMysqlSource::Script MysqlSource() {
  FakeMysqlSource::Script script;
  script.variables = {{"binlog_checksum", "CRC32"},
                      {"gtid_mode", "ON"},
                      {"gtid_executed", kExecuted},
                      {"gtid_purged", ""}};
  script.events = MysqlStream();
  return script;
}

TEST(BinlogStreamFromMysql, SendsComBinlogDumpGtidAndHandsOutEveryEventAsSent) {
  FakeMysqlSource source(MysqlSource());
  absl::StatusOr<Connection> connection = sluice::testing::ConnectTo(source);
  ASSERT_TRUE(connection.ok()) << connection.status();
  BinlogStreamOptions options;
  options.server_id = kServerId;
  options.stop_at_end = true;
  absl::StatusOr<BinlogStream> stream =
      BinlogStream::Open(*std::move(connection), BinlogStart::AfterGtids(kResumeAfter), options);
  ASSERT_TRUE(stream.ok()) << stream.status();
  EXPECT_FALSE(stream->is_mariadb());
  EXPECT_TRUE(stream->checksums());
  EXPECT_EQ(stream->start_description(), absl::StrCat("GTID set ", kResumeAfter));

  for (const std::vector<uint8_t>& expected : MysqlStream()) {
    absl::StatusOr<absl::Span<const uint8_t>> event = stream->Next();
    ASSERT_TRUE(event.ok()) << event.status();
    EXPECT_EQ(std::vector<uint8_t>(event->begin(), event->end()), expected)
        << binlog::EventTypeLabel(static_cast<EventType>(expected[4]));
  }
  absl::StatusOr<absl::Span<const uint8_t>> end = stream->Next();
  EXPECT_TRUE(absl::IsOutOfRange(end.status())) << end.status();

  EXPECT_EQ(source.dump_command(), BinlogDumpGtidCommand(kDumpNonBlock, kServerId, "", 4,
                                                         *MysqlGtidSet::Parse(kResumeAfter)));
}

// The reason the stream does not read through mariadb_rpl_fetch, kept as a tripwire: Connector/C
// (3.3.20 in Debian 12) parses every event inside mariadb_rpl_fetch and returns NULL, the event
// freed, for a type below its ENUM_END_EVENT that it does not parse unless the event carries
// LOG_EVENT_IGNORABLE_F (PARTIAL_UPDATE_ROWS, TRANSACTION_PAYLOAD, INCIDENT), and for a MySQL type
// past the 40 post-header lengths it keeps (HEARTBEAT_V2). If this test fails, a newer
// Connector/C hands these events out: measure again (tests/bench/binlog_reader_comparison.py) and
// reconsider the README's "Why not mariadb_rpl".
TEST(MariadbRplFetch, RefusesMysqlEventsTheDecoderReads) {
  FakeMysqlSource source(MysqlSource());
  absl::StatusOr<Connection> connection = sluice::testing::ConnectTo(source);
  ASSERT_TRUE(connection.ok()) << connection.status();
  MYSQL* mysql = connection->handle();
  MARIADB_RPL* rpl = mariadb_rpl_init(mysql);
  ASSERT_NE(rpl, nullptr);
  const std::string file = "binlog.000001";
  const unsigned long start = 4;
  const unsigned int flags = MARIADB_RPL_BINLOG_DUMP_NON_BLOCK;
  ASSERT_EQ(mariadb_rpl_optionsv(rpl, MARIADB_RPL_FILENAME, file.c_str(), file.size()), 0);
  ASSERT_EQ(mariadb_rpl_optionsv(rpl, MARIADB_RPL_START, start), 0);
  ASSERT_EQ(mariadb_rpl_optionsv(rpl, MARIADB_RPL_SERVER_ID, kServerId), 0);
  ASSERT_EQ(mariadb_rpl_optionsv(rpl, MARIADB_RPL_FLAGS, flags), 0);
  ASSERT_EQ(mariadb_rpl_open(rpl), 0) << mysql_error(mysql);

  // One fetch per event sent (a refused event's packet is consumed all the same).
  std::set<int> refused;
  std::vector<std::string> messages;
  for (const std::vector<uint8_t>& sent : MysqlStream()) {
    MARIADB_RPL_EVENT* event = mariadb_rpl_fetch(rpl, nullptr);
    if (event == nullptr) {
      refused.insert(sent[4]);
      messages.push_back(mariadb_rpl_error(rpl));
    } else {
      EXPECT_EQ(event->raw_data_size, sent.size() + 1);  // the OK byte, then the event
      mariadb_free_rpl_event(event);
    }
  }
  EXPECT_EQ(mariadb_rpl_fetch(rpl, nullptr), nullptr);  // the EOF packet
  mariadb_rpl_close(rpl);

  EXPECT_THAT(refused, ::testing::ElementsAre(static_cast<int>(EventType::kIncident),
                                              static_cast<int>(EventType::kPartialUpdateRows),
                                              static_cast<int>(EventType::kTransactionPayload),
                                              static_cast<int>(EventType::kHeartbeatV2)))
      << ::testing::PrintToString(messages);
  EXPECT_THAT(messages, ::testing::Contains(::testing::HasSubstr("not_ignorable")));
}

}  // namespace
}  // namespace sluice::mysql
