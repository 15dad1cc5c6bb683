// Nothing the server writes passes silently (issue 13, point 4): every kind of change MySQL 9.7
// (fixture `mysql`) and MariaDB 10.11 (fixture `mariadb_scratch`, whose global settings these
// tests may change) write into a binlog is streamed, and the records are counted against the rows
// written, table by table. Statement-based changes of captured tables, which carry no rows, stop
// the task naming their position, or are logged and passed over when the user says so.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

// The change records (c/u/d) on `topic` now; tombstones and other records are not counted.
size_t ChangeRecords(const CdcRun& run, const std::string& table) {
  absl::StatusOr<std::vector<ConsumedRecord>> read =
      ReadWholeTopic(KafkaBootstrap(), run.Topic(table), absl::Seconds(10));
  if (!read.ok()) return 0;
  size_t n = 0;
  for (const ConsumedRecord& record : *read) {
    if (record.value.has_value() && (record.value->find("\"op\":\"c\"") != std::string::npos ||
                                     record.value->find("\"op\":\"u\"") != std::string::npos ||
                                     record.value->find("\"op\":\"d\"") != std::string::npos)) {
      ++n;
    }
  }
  return n;
}

// Waits until every table has its expected count of change records (or 90 s); returns the counts.
std::map<std::string, size_t> WaitForCounts(const CdcRun& run,
                                            const std::map<std::string, size_t>& expected) {
  std::map<std::string, size_t> seen;
  const absl::Time deadline = absl::Now() + absl::Seconds(90);
  while (absl::Now() < deadline) {
    for (const auto& [table, count] : expected) seen[table] = ChangeRecords(run, table);
    if (seen == expected) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  // Nothing more comes after: a record too many would show now.
  absl::SleepFor(absl::Seconds(1));
  for (const auto& [table, count] : expected) seen[table] = ChangeRecords(run, table);
  return seen;
}

// Writes every kind of change the server can log in row format; returns the change records each
// table must get. `mysql`: MySQL's kinds (compressed transaction payloads, tagged GTIDs, partial
// JSON), else MariaDB's (compressed events, GTID domains).
std::map<std::string, size_t> WriteEveryEventKind(CdcRun& run, bool mysql) {
  std::map<std::string, size_t> expected;
  auto rows = [&expected](const std::string& table, size_t n) { expected[table] += n; };
  // Plain statements, one and several rows per event.
  run.Sql("INSERT INTO t (id, v, j) VALUES (1, 'a', '{\"a\": 1}'), (2, 'b', '[]'), (3, 'c', NULL)");
  rows("t", 3);
  run.Sql("UPDATE t SET v = 'u' WHERE id <= 2");
  rows("t", 2);
  run.Sql("DELETE FROM t WHERE id = 3");
  rows("t", 1);
  // A transaction of several statements and tables.
  run.Sql("BEGIN");
  run.Sql("INSERT INTO t (id, v) VALUES (4, 'tx')");
  run.Sql("INSERT INTO n (v) VALUES ('tx')");
  run.Sql("UPDATE t SET v = 'tx2' WHERE id = 4");
  run.Sql("COMMIT");
  rows("t", 2);
  rows("n", 1);
  if (mysql) {
    // Compressed transactions (TRANSACTION_PAYLOAD) and tagged GTIDs.
    run.Sql("SET SESSION binlog_transaction_compression = ON");
    run.Sql("BEGIN");
    run.Sql("INSERT INTO t (id, v) VALUES (10, 'z'), (11, 'z')");
    run.Sql("UPDATE t SET v = 'zz' WHERE id = 10");
    run.Sql("COMMIT");
    run.Sql("SET SESSION binlog_transaction_compression = OFF");
    rows("t", 3);
    run.Sql("SET gtid_next = 'AUTOMATIC:kinds'");
    run.Sql("INSERT INTO t (id, v) VALUES (20, 'tagged')");
    run.Sql("SET gtid_next = 'AUTOMATIC'");
    rows("t", 1);
    // Partial JSON updates (PARTIAL_UPDATE_ROWS_EVENT).
    run.Sql("SET SESSION binlog_row_value_options = 'PARTIAL_JSON'");
    run.Sql("UPDATE t SET j = JSON_SET(j, '$.a', 2) WHERE id = 1");
    run.Sql("UPDATE t SET j = JSON_REMOVE(j, '$.a') WHERE id = 1");
    run.Sql("SET SESSION binlog_row_value_options = ''");
    rows("t", 2);
    // The statement before its rows (ROWS_QUERY events).
    run.Sql("SET SESSION binlog_rows_query_log_events = ON");
    run.Sql("INSERT INTO t (id, v) VALUES (21, 'rows query')");
    run.Sql("SET SESSION binlog_rows_query_log_events = OFF");
    rows("t", 1);
  } else {
    // Compressed events (QUERY_COMPRESSED, *_ROWS_COMPRESSED_V1; log_bin_compress is global) and
    // a second GTID domain.
    run.Sql("SET GLOBAL log_bin_compress = ON");
    run.Sql("SET GLOBAL log_bin_compress_min_len = 10");
    run.Sql("BEGIN");
    run.Sql("INSERT INTO t (id, v) VALUES (10, REPEAT('z', 100)), (11, REPEAT('z', 100))");
    run.Sql("UPDATE t SET v = REPEAT('y', 100) WHERE id = 10");
    run.Sql("DELETE FROM t WHERE id = 11");
    run.Sql("COMMIT");
    run.Sql("SET GLOBAL log_bin_compress = OFF");
    rows("t", 4);
    run.Sql("SET SESSION gtid_domain_id = 7");
    run.Sql("INSERT INTO t (id, v) VALUES (20, 'domain 7')");
    run.Sql("SET SESSION gtid_domain_id = 0");
    rows("t", 1);
  }
  // XA: the rows come with the prepared part, the commit is a statement of its own.
  run.Sql("XA START 'kinds'");
  run.Sql("INSERT INTO t (id, v) VALUES (30, 'xa')");
  run.Sql("XA END 'kinds'");
  run.Sql("XA PREPARE 'kinds'");
  run.Sql("XA COMMIT 'kinds'");
  rows("t", 1);
  // A new binlog file (ROTATE), then a change in it.
  run.Sql("FLUSH BINARY LOGS");
  run.Sql("INSERT INTO t (id, v) VALUES (40, 'rotated')");
  rows("t", 1);
  // DDL, then rows of the new table version.
  run.Sql("ALTER TABLE t ADD COLUMN extra INT");
  run.Sql("INSERT INTO t (id, v, extra) VALUES (41, 'altered', 1)");
  rows("t", 1);
  // A savepoint rolled back to, and a transaction rolled back: only what was kept is logged.
  run.Sql("BEGIN");
  run.Sql("INSERT INTO t (id, v) VALUES (50, 'kept')");
  run.Sql("SAVEPOINT s");
  run.Sql("INSERT INTO t (id, v) VALUES (51, 'rolled back')");
  run.Sql("ROLLBACK TO SAVEPOINT s");
  run.Sql("COMMIT");
  rows("t", 1);
  run.Sql("BEGIN");
  run.Sql("INSERT INTO t (id, v) VALUES (60, 'rolled back')");
  run.Sql("ROLLBACK");
  // A non-transactional table.
  run.Sql("INSERT INTO m VALUES (1, 'myisam'), (2, 'myisam')");
  run.Sql("UPDATE m SET v = 'm2' WHERE id = 2");
  rows("m", 3);
  // INSERT ... SELECT, REPLACE, INSERT ... ON DUPLICATE KEY UPDATE, a multi-table UPDATE.
  run.Sql("INSERT INTO t (id, v) SELECT id + 100, v FROM t WHERE id <= 2");
  rows("t", 2);
  run.Sql("REPLACE INTO t (id, v) VALUES (70, 'replaced')");
  rows("t", 1);
  run.Sql("INSERT INTO t (id, v) VALUES (70, 'dup') ON DUPLICATE KEY UPDATE v = 'dup'");
  rows("t", 1);
  run.Sql("UPDATE t, n SET t.v = 'multi', n.v = 'multi' WHERE t.id = 1 AND n.id = 1");
  rows("t", 1);
  rows("n", 1);
  // User variables, RAND, LAST_INSERT_ID and an auto-increment key (row format: rows only).
  run.Sql("SET @x = 'uservar'");
  run.Sql("INSERT INTO n (v) VALUES (@x), (CONCAT('r', RAND() < 2)), (LAST_INSERT_ID())");
  rows("n", 3);
  // A trigger and a stored procedure write rows of their own.
  run.Sql(
      "CREATE TRIGGER trig_ins AFTER INSERT ON trig FOR EACH ROW INSERT INTO n (v) "
      "VALUES (CONCAT('trigger ', NEW.id))");
  run.Sql("INSERT INTO trig VALUES (1), (2)");
  rows("trig", 2);
  rows("n", 2);
  run.Sql(
      "CREATE PROCEDURE proc() BEGIN INSERT INTO n (v) VALUES ('p1'); "
      "UPDATE t SET v = 'proc' WHERE id = 2; END");
  run.Sql("CALL proc()");
  rows("n", 1);
  rows("t", 1);
  // A temporary table (not logged in row format) feeding a logged one.
  run.Sql("CREATE TEMPORARY TABLE tmp (id INT PRIMARY KEY)");
  run.Sql("INSERT INTO tmp VALUES (80), (81)");
  run.Sql("INSERT INTO t (id, v) SELECT id, 'from tmp' FROM tmp");
  run.Sql("DROP TEMPORARY TABLE tmp");
  rows("t", 2);
  // CREATE TABLE ... SELECT: the statement and its rows.
  run.Sql("CREATE TABLE ctas (PRIMARY KEY (id)) SELECT id, v FROM t WHERE id IN (1, 2)");
  rows("ctas", 2);
  // LOAD DATA in row format: rows events. The server writes the file itself.
  const std::string file = absl::StrCat("/tmp/", run.db(), ".tsv");
  run.Sql(absl::StrCat("SELECT id + 1000, v FROM t WHERE id <= 2 INTO OUTFILE '", file, "'"));
  run.Sql(absl::StrCat("LOAD DATA INFILE '", file, "' INTO TABLE t (id, v)"));
  rows("t", 2);
  // TRUNCATE is a statement (skipped.operations skips `t` by default): no change records.
  run.Sql("TRUNCATE TABLE m");
  run.Sql("INSERT INTO m VALUES (3, 'after truncate')");
  rows("m", 1);
  // A large multi-row delete.
  run.Sql("DELETE FROM t WHERE id >= 100");
  rows("t", 4);  // 101, 102, 1001, 1002
  return expected;
}

void CreateTables(CdcRun& run) {
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200), j JSON)");
  run.Sql("CREATE TABLE n (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(200))");
  run.Sql("CREATE TABLE m (id INT PRIMARY KEY, v VARCHAR(200)) ENGINE=MyISAM");
  run.Sql("CREATE TABLE trig (id INT PRIMARY KEY)");
}

void EveryEventKindIsCounted(TestServer server) {
  const bool mysql = server == TestServer::kMySql;
  CdcRun run(mysql ? "kinds97" : "kindsmdb", /*schemas=*/false, server);
  CreateTables(run);
  // Streaming has begun once the snapshot's marker row arrived.
  run.Sql("INSERT INTO trig VALUES (0)");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_EQ(run.WaitForEvents(run.Topic("trig"), 1, worker.get()).size(), 1u) << run.WorkerLog();
  const std::map<std::string, size_t> expected = WriteEveryEventKind(run, mysql);
  const std::map<std::string, size_t> seen = WaitForCounts(run, expected);
  EXPECT_EQ(seen, expected) << run.WorkerLog();
  EXPECT_EQ(run.WorkerLog().find("task failed"), std::string::npos) << run.WorkerLog();
  run.StopWorker(worker);
}

TEST(EventKinds, EveryKindMySqlWritesBecomesOneRecordPerRowChanged) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  EveryEventKindIsCounted(TestServer::kMySql);
}

TEST(EventKinds, EveryKindMariaDbWritesBecomesOneRecordPerRowChanged) {
  ASSERT_TRUE(CheckServiceReachable("mariadb_scratch", MariaDbScratchPort()).ok());
  EveryEventKindIsCounted(TestServer::kMariaDbScratch);
}

// binlog_format=STATEMENT in a writing session: the binlog holds statements (with USER_VAR, RAND
// and INTVAR events before them), not rows. Outside the captured tables that is harmless; inside
// them the task stops naming the statement and its position, or with
// event.processing.failure.handling.mode=warn logs it and goes on.
void StatementBasedChangesStopTheTask(TestServer server) {
  const bool mysql = server == TestServer::kMySql;
  CdcRun run(mysql ? "stmt97" : "stmtmdb", /*schemas=*/false, server);
  CreateTables(run);
  run.Sql("CREATE DATABASE IF NOT EXISTS sluice_uncaptured");
  run.Sql("CREATE TABLE IF NOT EXISTS sluice_uncaptured.checksums (id INT PRIMARY KEY, v INT)");
  run.Sql("INSERT INTO t (id, v) VALUES (1, 'marker')");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_EQ(run.WaitForEvents(run.Topic("t"), 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql("SET SESSION binlog_format = 'STATEMENT'");
  // pt-table-checksum's way: a statement-based write of its own table reading a captured one.
  run.Sql(absl::StrCat("REPLACE INTO sluice_uncaptured.checksums SELECT COUNT(*), 0 FROM ",
                       run.db(), ".t"));
  run.Sql("SET @x = 'statement'");
  run.Sql("INSERT INTO n (v) VALUES (@x), (LAST_INSERT_ID())");
  run.Sql("SET SESSION binlog_format = 'ROW'");
  run.Sql("INSERT INTO t (id, v) VALUES (2, 'after')");
  ASSERT_TRUE(run.WaitForLog("a statement-based change of `")) << run.WorkerLog();
  std::string log = run.WorkerLog();
  EXPECT_THAT(log, HasSubstr(absl::StrCat("a statement-based change of `", run.db(), ".n`")));
  EXPECT_THAT(log, HasSubstr("QUERY_EVENT at ")) << "the event and its position";
  EXPECT_THAT(log, HasSubstr("binlog_format=ROW"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("checksums`"))) << "uncaptured: no failure";
  EXPECT_EQ(ChangeRecords(run, "t"), 0u) << "the task stopped at the statement";
  worker->Signal(SIGTERM);
  worker->Wait(absl::Seconds(30));

  run.WriteConnectorConfig({{"event.processing.failure.handling.mode", "warn"}});
  worker = run.StartWorker();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (ChangeRecords(run, "t") < 1 && absl::Now() < deadline) absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(ChangeRecords(run, "t"), 1u) << run.WorkerLog();
  EXPECT_THAT(run.WorkerLog(),
              HasSubstr("passed over (event.processing.failure.handling.mode=warn)"));
  run.StopWorker(worker);
  run.Sql("DROP DATABASE sluice_uncaptured");
}

// LOAD DATA written with binlog_format=STATEMENT: the file's bytes travel in events of their own
// (BEGIN_LOAD_QUERY, EXECUTE_LOAD_QUERY), which the decoder does not read: the task stops there.
void StatementBasedLoadDataStopsTheTask(TestServer server) {
  CdcRun run(server == TestServer::kMySql ? "load97" : "loadmdb", /*schemas=*/false, server);
  CreateTables(run);
  run.Sql("INSERT INTO t (id, v) VALUES (1, 'marker')");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_EQ(run.WaitForEvents(run.Topic("t"), 1, worker.get()).size(), 1u) << run.WorkerLog();
  const std::string file = absl::StrCat("/tmp/", run.db(), ".tsv");
  run.Sql(absl::StrCat("SELECT id + 1000, v FROM t INTO OUTFILE '", file, "'"));
  run.Sql("SET SESSION binlog_format = 'STATEMENT'");
  run.Sql(absl::StrCat("LOAD DATA INFILE '", file, "' INTO TABLE t (id, v)"));
  run.Sql("SET SESSION binlog_format = 'ROW'");
  run.Sql("INSERT INTO t (id, v) VALUES (2, 'after')");
  ASSERT_TRUE(run.WaitForLog("an event of a type Sluice cannot read")) << run.WorkerLog();
  EXPECT_THAT(run.WorkerLog(), HasSubstr("LOAD DATA"));
  EXPECT_EQ(ChangeRecords(run, "t"), 0u) << "the task stopped at the load";
  worker->Signal(SIGTERM);
  worker->Wait(absl::Seconds(30));
}

TEST(EventKinds, AStatementBasedLoadDataStopsTheTaskOnMySql) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  StatementBasedLoadDataStopsTheTask(TestServer::kMySql);
}

TEST(EventKinds, AStatementBasedLoadDataStopsTheTaskOnMariaDb) {
  ASSERT_TRUE(CheckServiceReachable("mariadb_scratch", MariaDbScratchPort()).ok());
  StatementBasedLoadDataStopsTheTask(TestServer::kMariaDbScratch);
}

// MariaDB writes MINIMAL and NOBLOB images too (MySql97RowImages has MySQL's): a NOBLOB image
// gives the placeholder, a MINIMAL one stops the task naming the setting and the position.
TEST(EventKinds, MariaDbRowImagesWithoutSomeColumnsAreNeverWrittenAsNulls) {
  ASSERT_TRUE(CheckServiceReachable("mariadb_scratch", MariaDbScratchPort()).ok());
  CdcRun run("imagesmdb", /*schemas=*/false, TestServer::kMariaDbScratch);
  run.Sql("CREATE TABLE i (id INT PRIMARY KEY, a INT, note TEXT)");
  run.Sql("INSERT INTO i VALUES (1, 1, 'text')");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_EQ(run.WaitForEvents(run.Topic("i"), 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql("SET SESSION binlog_row_image = 'NOBLOB'");
  run.Sql("UPDATE i SET a = 2 WHERE id = 1");
  run.Sql("SET SESSION binlog_row_image = 'MINIMAL'");
  run.Sql("UPDATE i SET a = 3 WHERE id = 1");
  run.Sql("SET SESSION binlog_row_image = 'FULL'");
  ASSERT_TRUE(run.WaitForLog("binlog_row_image=MINIMAL")) << run.WorkerLog();
  EXPECT_THAT(run.WorkerLog(), HasSubstr("UPDATE_ROWS_EVENT_V1 at mariadb-bin."));
  std::vector<ChangeEvent> events = run.WaitForEvents(run.Topic("i"), 2, worker.get());
  ASSERT_EQ(events.size(), 2u) << "the NOBLOB update, nothing after it";
  EXPECT_THAT(*events[1].value,
              HasSubstr(R"("after":{"id":1,"a":2,"note":"__debezium_unavailable_value"})"));
  worker->Signal(SIGTERM);
  worker->Wait(absl::Seconds(30));
}

TEST(EventKinds, AStatementBasedChangeOfACapturedTableStopsTheTaskOnMySql) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  StatementBasedChangesStopTheTask(TestServer::kMySql);
}

TEST(EventKinds, AStatementBasedChangeOfACapturedTableStopsTheTaskOnMariaDb) {
  ASSERT_TRUE(CheckServiceReachable("mariadb_scratch", MariaDbScratchPort()).ok());
  StatementBasedChangesStopTheTask(TestServer::kMariaDbScratch);
}

}  // namespace
}  // namespace sluice::testing
