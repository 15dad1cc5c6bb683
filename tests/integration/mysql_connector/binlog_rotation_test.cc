// Binlog rotation under a live stream, on MariaDB's and MySQL's scratch servers (they hold the
// fixtures' RESOURCE_LOCK: FLUSH and PURGE BINARY LOGS would move the files from under the tests
// that stop and resume beside them). While transactions over tables of many column types stream
// (with the column policies: masks, hashes, truncation, an excluded column, message.key.columns,
// and a table the filters exclude), another session rotates the binlog many times and purges the
// files behind it. Every row must arrive once, in order, with its values, and the task must never
// fail; then the task restarts from an offset just after a rotation (the one it committed, and
// one at a new file's first byte) and reads on the same way.
//
// The first rows event of a new file once failed here ("a binlog value of an unexpected kind"):
// the new file's FORMAT_DESCRIPTION freed every table map, and the schema cache, which answered
// the last map by its address, took a new map at the same address for the old one.
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "connectors/mysql/server/binlog_position.h"
#include "connectors/mysql/server/connection.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/integration/mysql_connector/server_dialect.h"

namespace sluice::testing {
namespace {

// The captured tables; `hidden` is written in every transaction too, but table.exclude.list
// leaves it out, so its table maps are met and passed over.
const std::vector<std::string> kTables = {"people", "nums", "times", "keyed", "hidden"};
// Debezium's v1 hash of '123-45-6789' with SHA-256 and this salt (column_policies_test.cc).
constexpr char kSalt[] = "CzQMA0cB5K";
constexpr char kHashed[] = "377189d9d7c7e96e2be1135d7b2de30b4060912652dafde77a1caa0352244d75";

std::string Insert(const std::string& table, int id) {
  if (table == "people") {
    return absl::StrCat("INSERT INTO people VALUES ('P", id, "', ", id, ", '123-45-", 1000 + id,
                        "', '123-45-6789', 'bio-of-", id, "', ", id, ".25, ", id, ")");
  }
  if (table == "nums") {
    return absl::StrCat("INSERT INTO nums VALUES (", id, ", ", id, " * 1000000007, 4000000000 - ",
                        id, ", ", id, " + 0.5, ", id, " + 0.125, ", 2000 + id % 50, ", b'",
                        id % 2 == 0 ? "10101010" : "01010101", "')");
  }
  if (table == "times") {
    return absl::StrCat("INSERT INTO times VALUES (", id, ", '2024-01-02 03:04:05.678', ",
                        "DATE '2024-01-01' + INTERVAL ", id, " DAY, ELT(", id % 3 + 1,
                        ", 'a', 'b', 'c'), '", id % 2 == 0 ? "x,z" : "y", "', JSON_OBJECT('id', ",
                        id, "), UNHEX('DEADBEEF'))");
  }
  if (table == "keyed") {
    return absl::StrCat("INSERT INTO keyed VALUES (", id, ", 'k", id, "', 'v", id, "', 's", id,
                        "')");
  }
  return absl::StrCat("INSERT INTO hidden VALUES (", id, ", ", id, " * 2.5, NOW(6), 'h", id, "')");
}

// What each captured table's topic must hold, in order ("c5", "u4", "d3"), as the writer wrote it.
using Expected = std::map<std::string, std::vector<std::string>>;

// One source transaction per round: a row into every table, in an order that turns with the
// round (so the table maps of a file's first transaction differ from round to round), and now
// and then an update or a delete of an earlier round's row.
void WriteRound(CdcRun& run, int id, Expected& expected) {
  run.Sql("BEGIN");
  for (size_t i = 0; i < kTables.size(); ++i) {
    const std::string& table = kTables[(id + i) % kTables.size()];
    run.Sql(Insert(table, id));
    if (table != "hidden") expected[table].push_back(absl::StrCat("c", id));
  }
  if (id % 4 == 0 && id > 1) {
    run.Sql(absl::StrCat("UPDATE people SET n = n + 1000 WHERE id = ", id - 1));
    expected["people"].push_back(absl::StrCat("u", id - 1));
  }
  if (id % 5 == 0 && id > 2) {
    run.Sql(absl::StrCat("DELETE FROM nums WHERE id = ", id - 2));
    expected["nums"].push_back(absl::StrCat("d", id - 2));
    run.Sql(absl::StrCat("UPDATE keyed SET v = 'changed' WHERE id = ", id - 2));
    expected["keyed"].push_back(absl::StrCat("u", id - 2));
  }
  run.Sql("COMMIT");
}

// Another session that rotates the binlog every few milliseconds and, every fifth time, purges
// the files before the one three back (the server keeps a file a dump thread still reads).
class Rotator {
 public:
  explicit Rotator(const mysql::ConnectionOptions& options)
      : thread_([this, options] { Run(options); }) {}
  ~Rotator() { Stop(); }
  int Stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    return rotations_.load();
  }
  std::string error() const { return error_; }

 private:
  void Run(const mysql::ConnectionOptions& options) {
    absl::StatusOr<mysql::Connection> connection = mysql::Connection::Open(options);
    if (!connection.ok()) {
      error_ = std::string(connection.status().message());
      return;
    }
    while (!stop_.load()) {
      absl::Status flushed = connection->Execute("FLUSH BINARY LOGS");
      if (!flushed.ok()) {
        error_ = std::string(flushed.message());
        return;
      }
      if (rotations_.fetch_add(1) % 5 == 4) {
        absl::StatusOr<mysql::QueryResult> logs = connection->Query("SHOW BINARY LOGS");
        if (logs.ok() && logs->rows.size() > 3) {
          const std::optional<std::string>& older = logs->rows[logs->rows.size() - 3][0];
          if (older.has_value()) {
            (void)connection->Execute(absl::StrCat("PURGE BINARY LOGS TO '", *older, "'"));
          }
        }
      }
      absl::SleepFor(absl::Milliseconds(15));
    }
  }

  std::atomic<bool> stop_{false};
  std::atomic<int> rotations_{0};
  std::string error_;
  std::thread thread_;
};

std::string Text(const rapidjson::Value& row, const char* column) {
  if (!row.HasMember(column)) return "<absent>";
  return row[column].IsNull() ? "<null>" : row[column].GetString();
}

// Each change event of `table` against the row its id says was written (the after image of a
// create or update, the before image of a delete).
void ExpectValues(const std::string& table, const std::vector<ChangeEvent>& events) {
  for (const ChangeEvent& event : events) {
    if (event.json == nullptr) continue;  // a delete's tombstone
    const rapidjson::Value& envelope = event.payload();
    const std::string op = event.op();
    const rapidjson::Value& row = op == "d" ? envelope["before"] : envelope["after"];
    const int id = row["id"].GetInt();
    const std::string what = absl::StrCat(table, " ", op, id, ": ", *event.value);
    if (table == "people") {
      EXPECT_EQ(Text(row, "code"), absl::StrCat("P", id)) << what;  // the key column: not masked
      EXPECT_EQ(Text(row, "ssn"), "****") << what;
      EXPECT_EQ(Text(row, "h1"), kHashed) << what;
      EXPECT_EQ(Text(row, "bio"), "bio-o") << what;
      EXPECT_EQ(Text(row, "price"), absl::StrCat(id, ".25")) << what;
      EXPECT_EQ(row["n"].GetInt(), op == "u" ? id + 1000 : id) << what;
      ASSERT_TRUE(event.key.has_value()) << what;
      EXPECT_EQ(*event.key, absl::StrCat(R"({"code":"P)", id, R"("})")) << what;
    } else if (table == "nums") {
      EXPECT_EQ(row["i"].GetInt64(), int64_t{id} * 1000000007) << what;
      EXPECT_EQ(row["u"].GetInt64(), int64_t{4000000000} - id) << what;
      EXPECT_EQ(row["f"].GetDouble(), id + 0.5) << what;
      EXPECT_EQ(Text(row, "d"), absl::StrCat(id, ".125")) << what;
      EXPECT_EQ(row["y"].GetInt(), 2000 + id % 50) << what;
    } else if (table == "times") {
      const int64_t day = (absl::CivilDay(2024, 1, 1) - absl::CivilDay(1970, 1, 1)) + id;
      EXPECT_EQ(row["dd"].GetInt64(), day) << what;
      EXPECT_EQ(row["dt"].GetInt64(),
                absl::ToUnixMillis(
                    absl::FromCivil(absl::CivilSecond(2024, 1, 2, 3, 4, 5), absl::UTCTimeZone())) +
                    678)
          << what;
      EXPECT_EQ(Text(row, "e"), std::string(1, static_cast<char>('a' + id % 3))) << what;
      EXPECT_EQ(Text(row, "s"), id % 2 == 0 ? "x,z" : "y") << what;
      EXPECT_EQ(absl::StrReplaceAll(Text(row, "j"), {{" ", ""}}), absl::StrCat("{\"id\":", id, "}"))
          << what;
      EXPECT_EQ(Text(row, "bin"), "deadbeef") << what;
    } else if (table == "keyed") {
      EXPECT_EQ(Text(row, "k"), absl::StrCat("k", id)) << what;
      EXPECT_EQ(Text(row, "v"), op == "u" ? "changed" : absl::StrCat("v", id)) << what;
      EXPECT_FALSE(row.HasMember("secret")) << what;
      ASSERT_TRUE(event.key.has_value()) << what;
      EXPECT_EQ(*event.key, absl::StrCat(R"({"k":"k)", id, R"("})")) << what;
    }
  }
}

// Waits for every captured topic to hold what `expected` says, then compares op, id and order,
// and the values.
void ExpectTopics(CdcRun& run, Subprocess* worker, const Expected& expected) {
  for (const auto& [table, ops] : expected) {
    // A delete is followed by its tombstone.
    size_t records = ops.size();
    for (const std::string& op : ops) records += op[0] == 'd' ? 1 : 0;
    const std::vector<ChangeEvent> events = run.WaitForEvents(run.Topic(table), records, worker);
    EXPECT_EQ(OpsAndIds(events), ops) << table << "; worker log:\n" << run.WorkerLog();
    EXPECT_EQ(events.size(), records) << table;
    ExpectValues(table, events);
  }
}

// The server's current binlog file.
std::string CurrentFile(CdcRun& run) {
  absl::StatusOr<mysql::ServerBinlogPosition> now = mysql::ReadServerBinlogPosition(run.admin());
  EXPECT_TRUE(now.ok()) << now.status();
  return now.ok() ? now->file : "";
}

// After a restart: the topics hold what `expected` says, the stream reopened at `at` (MariaDB,
// which resumes at the offset's file and position; MySQL with gtid_mode=ON resumes at its GTID
// set, which the server finds in its files), and the task never failed. Stops the worker.
void ExpectResumedAndStop(CdcRun& run, std::unique_ptr<Subprocess>& worker,
                          const Expected& expected, const std::string& at) {
  ExpectTopics(run, worker.get(), expected);
  if (run.server() == TestServer::kMariaDbScratch) {
    EXPECT_NE(run.WorkerLog().find(absl::StrCat("binlog stream opened at ", at)), std::string::npos)
        << run.WorkerLog();
  }
  EXPECT_TRUE(worker->running());
  EXPECT_EQ(run.WorkerLog().find("task failed"), std::string::npos) << run.WorkerLog();
  run.StopWorker(worker);
}

class MySqlConnectorBinlogRotation : public ::testing::TestWithParam<TestServer> {};

INSTANTIATE_TEST_SUITE_P(Servers, MySqlConnectorBinlogRotation,
                         ::testing::Values(TestServer::kMariaDbScratch, TestServer::kMySqlScratch),
                         ServerParamName);

TEST_P(MySqlConnectorBinlogRotation, RowsStreamWholeWhileTheBinlogRotatesAndAfterARestartThere) {
  const TestServer server = GetParam();
  const absl::Status up = CheckServicesReachable(server);
  ASSERT_TRUE(up.ok()) << up;
  CdcRun run("rotation", /*schemas=*/false, server);
  run.Sql(
      "CREATE TABLE people (code VARCHAR(10) PRIMARY KEY, id INT NOT NULL, ssn VARCHAR(11), "
      "h1 VARCHAR(64), bio TEXT, price DECIMAL(10,2), n INT) DEFAULT CHARSET=utf8mb4");
  run.Sql(
      "CREATE TABLE nums (id INT PRIMARY KEY, i BIGINT, u INT UNSIGNED, f DOUBLE, "
      "d DECIMAL(12,3), y YEAR, b BIT(8))");
  run.Sql(
      "CREATE TABLE times (id INT PRIMARY KEY, dt DATETIME(3), dd DATE, e ENUM('a','b','c'), "
      "s SET('x','y','z'), j JSON, bin VARBINARY(16))");
  run.Sql(
      "CREATE TABLE keyed (id INT NOT NULL, k VARCHAR(10) NOT NULL, v TEXT, secret VARCHAR(20))");
  run.Sql("CREATE TABLE hidden (id INT PRIMARY KEY, a DOUBLE, b DATETIME(6), c VARCHAR(5))");
  const std::string db = run.db();
  run.WriteConnectorConfig({
      {"table.exclude.list", db + "\\.hidden"},
      {"column.exclude.list", db + "\\.keyed\\.secret"},
      {"message.key.columns", db + ".keyed:k"},
      {"column.mask.with.4.chars", db + "\\.people\\.ssn"},
      {absl::StrCat("column.mask.hash.SHA-256.with.salt.", kSalt), db + "\\.people\\.h1"},
      {"column.truncate.to.5.chars", db + "\\.people\\.bio"},
      {"decimal.handling.mode", "string"},
      {"binary.handling.mode", "hex"},
      // The offset follows the stream between transactions, so a stop lands just after a rotation.
      {"heartbeat.interval.ms", "100"},
  });
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_TRUE(run.WaitForLog("binlog stream opened at")) << run.WorkerLog();

  Expected expected;
  int id = 0;
  {
    Rotator rotator(run.AdminOptions());
    for (int round = 0; round < 80; ++round) {
      WriteRound(run, ++id, expected);
      absl::SleepFor(absl::Milliseconds(round % 7));
    }
    const int rotations = rotator.Stop();
    ASSERT_EQ(rotator.error(), "");
    EXPECT_GE(rotations, 10) << "the binlog should rotate between many of the transactions";
  }
  ExpectTopics(run, worker.get(), expected);
  EXPECT_TRUE(worker->running());
  EXPECT_EQ(run.WorkerLog().find("task failed"), std::string::npos) << run.WorkerLog();

  // A stop just after a rotation: the heartbeats commit the new file's position, and the task
  // opens its stream there when started again.
  run.Sql("FLUSH BINARY LOGS");
  const std::string file = CurrentFile(run);
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  std::optional<std::string> committed;
  while (absl::Now() < deadline) {
    committed = run.CommittedOffset();
    if (committed.has_value() && committed->find(file) != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  ASSERT_TRUE(committed.has_value() && committed->find(file) != std::string::npos)
      << "committed " << committed.value_or("none") << ", expected the file " << file;
  run.StopWorker(worker);
  for (int round = 0; round < 10; ++round) {
    WriteRound(run, ++id, expected);
    if (round == 4) run.Sql("FLUSH BINARY LOGS");
  }
  worker = run.StartWorker();
  ExpectTopics(run, worker.get(), expected);
  {
    // Only once the new stream reads (the server keeps the files a dump thread reads, but not
    // those a stopped connector's offset names).
    Rotator rotator(run.AdminOptions());
    for (int round = 0; round < 20; ++round) WriteRound(run, ++id, expected);
    rotator.Stop();
    ASSERT_EQ(rotator.error(), "");
  }
  ExpectResumedAndStop(run, worker, expected, absl::StrCat(file, ":"));

  // An offset at the very start of a new file, before its FORMAT_DESCRIPTION (`pos` 4, as a
  // heartbeat between the ROTATE and the next event commits it), with the GTIDs up to there.
  run.Sql("FLUSH BINARY LOGS");
  const std::string fresh = CurrentFile(run);
  absl::StatusOr<mysql::QueryResult> gtids = run.admin().Query(GtidPositionQuery(server));
  ASSERT_TRUE(gtids.ok() && !gtids->rows.empty() && gtids->rows[0][0].has_value())
      << gtids.status();
  run.CommitOffset(
      absl::StrCat(R"({"file":")", fresh, R"(","pos":4,"gtids":")", *gtids->rows[0][0], R"("})"));
  for (int round = 0; round < 5; ++round) WriteRound(run, ++id, expected);
  worker = run.StartWorker();
  ExpectResumedAndStop(run, worker, expected, absl::StrCat(fresh, ":4"));
}

}  // namespace
}  // namespace sluice::testing
