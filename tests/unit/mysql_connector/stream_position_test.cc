// The offset written while streaming, counted as Debezium's BinlogOffsetContext counts: the
// restart position at transaction boundaries, the transaction's first event plus completed events
// (and rows) inside one, the completed GTIDs only.
#include "connectors/mysql/connector/stream_position.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

constexpr char kA[] = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

// An event of `file` from `start` to `next` (next = the header's log_pos); the body is what the
// position reads only through the typed calls, so any kind will do.
binlog::Event At(const std::shared_ptr<const std::string>& file, uint64_t start, uint32_t next) {
  binlog::Event event;
  event.header.log_pos = next;
  event.header.timestamp = 1700000000;
  event.header.server_id = 7;
  event.context.file = file;
  event.context.position = start;
  return event;
}

OffsetState From(const char* file, int64_t pos, const std::string& gtids) {
  OffsetState from;
  from.file = file;
  from.pos = pos;
  from.gtids = gtids;
  return from;
}

binlog::MysqlGtidEvent MysqlGtid(int64_t gno, const char* tag = "") {
  binlog::MysqlGtidEvent gtid;
  gtid.source_id = *ParseSourceUuid(kA);
  gtid.gno = gno;
  gtid.tag = tag;
  return gtid;
}

binlog::MariaGtidEvent MariaDbGtid(uint64_t sequence, uint8_t flags = 0) {
  binlog::MariaGtidEvent gtid;
  gtid.domain_id = 0;
  gtid.server_id = 1;
  gtid.sequence = sequence;
  gtid.flags = flags;
  return gtid;
}

TEST(StreamPosition, OutsideATransactionTheRestartPointIsJustPastTheLastEvent) {
  const auto file = std::make_shared<const std::string>("mariadb-bin.000001");
  StreamPosition position;
  ASSERT_TRUE(position.Open(/*mariadb=*/true, From("mariadb-bin.000001", 4, "0-1-4"), false).ok());
  binlog::Event event = At(file, 4, 120);
  position.OnEvent(event.header);
  position.EventDone(event);
  OffsetState offset = position.Current();
  EXPECT_EQ(offset.file, "mariadb-bin.000001");
  EXPECT_EQ(offset.pos, 120);
  EXPECT_EQ(offset.event, 0);
  EXPECT_EQ(offset.gtids, "0-1-4");
  EXPECT_EQ(offset.ts_sec, 1700000000);
  EXPECT_EQ(offset.server_id, 7);
  EXPECT_FALSE(position.in_transaction());

  binlog::RotateEvent rotate;
  rotate.next_file = "mariadb-bin.000002";
  rotate.position = 4;
  position.Rotate(rotate);
  offset = position.Current();
  EXPECT_EQ(offset.file, "mariadb-bin.000002");
  EXPECT_EQ(offset.pos, 4);
}

TEST(StreamPosition, MariaDbGtidEventStartsTheTransactionAndIsItsFirstEvent) {
  const auto file = std::make_shared<const std::string>("mariadb-bin.000001");
  StreamPosition position;
  ASSERT_TRUE(position.Open(true, From("mariadb-bin.000001", 120, "0-1-4"), false).ok());
  const binlog::MariaGtidEvent gtid = MariaDbGtid(5);
  const binlog::Event gtid_event = At(file, 120, 160);
  position.OnEvent(gtid_event.header);
  position.BeginMariaDb(gtid_event, gtid);
  position.EventDone(gtid_event);
  EXPECT_TRUE(position.in_transaction());
  EXPECT_FALSE(position.standalone());
  EXPECT_EQ(position.gtid(), "0-1-5");
  EXPECT_EQ(position.TransactionId(), "0-1-5");
  OffsetState offset = position.Current();
  EXPECT_EQ(offset.pos, 120) << "a restart reads the transaction again from its GTID event";
  EXPECT_EQ(offset.event, 1) << "the GTID event is event 1";
  EXPECT_EQ(offset.gtids, "0-1-4") << "the transaction in progress is not in the restart set";

  position.EventDone(At(file, 160, 200));  // the table map
  const binlog::Event rows = At(file, 200, 300);
  SourcePosition source;
  position.FillSource(rows, source);
  EXPECT_EQ(source.file, "mariadb-bin.000001");
  EXPECT_EQ(source.pos, 200);
  EXPECT_EQ(source.gtid, "0-1-5");
  StreamPosition::RowOffsets first = position.Row(source, 0);
  EXPECT_EQ(first.pending.pos, 120);
  EXPECT_EQ(first.pending.event, 2);
  EXPECT_EQ(first.pending.row, 0);
  EXPECT_EQ(first.done.event, 2);
  EXPECT_EQ(first.done.row, 1) << "once delivered, the row counts as emitted";
  StreamPosition::RowOffsets second = position.Row(source, 1);
  EXPECT_EQ(second.pending.row, 1);
  EXPECT_EQ(second.done.row, 2);
  EXPECT_EQ(second.done.gtids, "0-1-4");
  EXPECT_EQ(position.StatementOffset(At(file, 200, 260)).event, 3)
      << "a statement's own event counts when done";
  position.EventDone(rows);
  EXPECT_EQ(position.Current().event, 3);

  binlog::RotateEvent rotate;
  rotate.next_file = "mariadb-bin.000002";
  rotate.position = 4;
  position.Rotate(rotate);
  EXPECT_EQ(position.Current().file, "mariadb-bin.000001") << "inside a transaction: no move";

  position.Commit(At(file, 300, 331));  // XID
  EXPECT_FALSE(position.in_transaction());
  EXPECT_EQ(position.gtid(), "");
  offset = position.Current();
  EXPECT_EQ(offset.pos, 331);
  EXPECT_EQ(offset.event, 0);
  EXPECT_EQ(offset.gtids, "0-1-5");
}

TEST(StreamPosition, MariaDbStandaloneStatementCommitsByItself) {
  const auto file = std::make_shared<const std::string>("mariadb-bin.000001");
  StreamPosition position;
  ASSERT_TRUE(position.Open(true, From("mariadb-bin.000001", 4, ""), false).ok());
  position.BeginMariaDb(At(file, 4, 40), MariaDbGtid(9, binlog::MariaGtidEvent::kStandalone));
  EXPECT_TRUE(position.standalone());
  position.Commit(At(file, 40, 140));  // the DDL statement itself
  EXPECT_FALSE(position.standalone());
  EXPECT_EQ(position.Current().gtids, "0-1-9");
  EXPECT_EQ(position.Current().pos, 140);
}

TEST(StreamPosition, MySqlGtidBeforeBeginBelongsToTheTransactionBeginStarts) {
  const auto file = std::make_shared<const std::string>("binlog.000001");
  StreamPosition position;
  ASSERT_TRUE(position.Open(false, From("binlog.000001", 4, std::string(kA) + ":1-4"), false).ok());
  const binlog::Event gtid_event = At(file, 4, 80);
  position.MysqlGtid(MysqlGtid(5));
  position.EventDone(gtid_event);
  EXPECT_FALSE(position.in_transaction());
  EXPECT_EQ(position.Current().pos, 80) << "before BEGIN the restart point moves past the GTID";

  const binlog::Event begin = At(file, 80, 150);
  EXPECT_TRUE(position.Begin(begin));
  position.EventDone(begin);
  EXPECT_EQ(position.gtid(), std::string(kA) + ":5");
  OffsetState offset = position.Current();
  EXPECT_EQ(offset.pos, 80) << "BEGIN is where a restart reads from";
  EXPECT_EQ(offset.event, 1) << "and is event 1";
  EXPECT_EQ(offset.gtids, std::string(kA) + ":1-4");
  EXPECT_FALSE(position.Begin(At(file, 150, 200))) << "one transaction at a time";

  position.Commit(At(file, 300, 331));
  offset = position.Current();
  EXPECT_EQ(offset.pos, 331);
  EXPECT_EQ(offset.gtids, std::string(kA) + ":1-5");
}

TEST(StreamPosition, TaggedMySqlGtidGoesToItsTag) {
  const auto file = std::make_shared<const std::string>("binlog.000001");
  StreamPosition position;
  ASSERT_TRUE(position.Open(false, From("binlog.000001", 4, std::string(kA) + ":1-4"), false).ok());
  position.MysqlGtid(MysqlGtid(1, "mytag"));
  ASSERT_TRUE(position.Begin(At(file, 80, 150)));
  EXPECT_EQ(position.gtid(), std::string(kA) + ":mytag:1");
  position.Commit(At(file, 300, 331));
  EXPECT_EQ(position.Current().gtids, std::string(kA) + ":1-4:mytag:1");
}

TEST(StreamPosition, MySqlStatementOutsideBeginIsItsGtidsWholeTransactionButXaIsNot) {
  StreamPosition position;
  ASSERT_TRUE(position.Open(false, From("binlog.000001", 4, std::string(kA) + ":1-4"), false).ok());
  position.MysqlGtid(MysqlGtid(5));
  position.StatementDone(/*xa=*/false);  // a DDL statement
  EXPECT_EQ(position.Current().gtids, std::string(kA) + ":1-5");
  position.MysqlGtid(MysqlGtid(6));
  position.StatementDone(/*xa=*/true);  // XA PREPARE: not complete yet
  EXPECT_EQ(position.Current().gtids, std::string(kA) + ":1-5");
}

// A MySQL DDL statement's records carry the offset past it, its GTID completed: a restart after
// they were delivered reads on after the statement instead of emitting them again.
TEST(StreamPosition, AMySqlStatementOutsideBeginIsDoneInItsOwnOffset) {
  const auto file = std::make_shared<const std::string>("binlog.000001");
  StreamPosition position;
  ASSERT_TRUE(position.Open(false, From("binlog.000001", 4, std::string(kA) + ":1-4"), false).ok());
  const binlog::Event gtid_event = At(file, 4, 80);
  position.MysqlGtid(MysqlGtid(5));
  position.EventDone(gtid_event);
  const binlog::Event ddl = At(file, 80, 190);
  const OffsetState offset = position.StatementOffset(ddl);
  EXPECT_EQ(offset.file, "binlog.000001");
  EXPECT_EQ(offset.pos, 190);
  EXPECT_EQ(offset.event, 0);
  EXPECT_EQ(offset.gtids, std::string(kA) + ":1-5");
  EXPECT_EQ(position.Current().pos, 80) << "the position itself moves only once the DDL is done";
  EXPECT_EQ(position.Current().gtids, std::string(kA) + ":1-4");
  position.StatementDone(/*xa=*/false);
  position.EventDone(ddl);
  EXPECT_EQ(position.Current().pos, offset.pos);
  EXPECT_EQ(position.Current().gtids, offset.gtids);
}

TEST(StreamPosition, ARowOutsideATransactionIsItsOwnRestartPoint) {
  const auto file = std::make_shared<const std::string>("binlog.000003");
  StreamPosition position;
  ASSERT_TRUE(position.Open(false, From("binlog.000003", 4, ""), false).ok());
  position.EventDone(At(file, 4, 500));
  SourcePosition source;
  position.FillSource(At(file, 500, 700), source);
  StreamPosition::RowOffsets row = position.Row(source, 2);
  EXPECT_EQ(row.pending.file, "binlog.000003");
  EXPECT_EQ(row.pending.pos, 500) << "a non-transactional engine's rows event";
  EXPECT_EQ(row.pending.event, 0);
  EXPECT_EQ(row.pending.row, 2);
  EXPECT_EQ(row.done.pos, 500);
  EXPECT_EQ(row.done.row, 3);
  EXPECT_EQ(position.TransactionId(), "binlog.000003:500");
}

TEST(StreamPosition, AnOffsetInTheOtherServersDialectIsRefused) {
  StreamPosition position;
  EXPECT_EQ(position.Open(/*mariadb=*/false, From("binlog.000001", 4, "0-1-4"), false).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sluice::mysql
