// Resuming from a committed offset that holds only `gtids`, as Debezium's MariaDB connector (and
// its MySQL connector on MariaDB) may leave one: through @slave_connect_state on the real MariaDB,
// with the events and rows of a partly emitted transaction skipped (MariaDB only: it reads
// MariaDB's GTID domains and @@last_gtid; MySQL's GTID sets are covered by byte fixtures,
// tests/unit/mysql_gtid, tests/unit/mysql_server/binlog_dump_test.cc, and live by
// mysql97_connector_test); and a purged GTID position reported as such, on both servers.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/integration/mysql_connector/server_dialect.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

void ExpectServicesUp() {
  const absl::Status up = CheckServicesReachable(TestServer::kMariaDb);
  ASSERT_TRUE(up.ok()) << up;
}

std::string Json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

std::string GtidsOf(const std::string& offset) {
  rapidjson::Document json;
  json.Parse(offset.c_str());
  if (!json.IsObject() || !json.HasMember("gtids") || !json["gtids"].IsString()) return "";
  return json["gtids"].GetString();
}

// The sequence number of `domain`'s GTID in a MariaDB position ("0-1-42,1-2-7").
int64_t SequenceOf(const std::string& gtids, const std::string& domain) {
  for (absl::string_view gtid : absl::StrSplit(gtids, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(gtid, '-');
    int64_t sequence = 0;
    if (parts.size() == 3 && parts[0] == domain && absl::SimpleAtoi(parts[2], &sequence)) {
      return sequence;
    }
  }
  return -1;
}

// The GTID of the admin session's last transaction (MariaDB's @@last_gtid, "0-1-42").
std::string LastGtid(CdcRun& run) {
  absl::StatusOr<mysql::QueryResult> last = run.admin().Query("SELECT @@last_gtid");
  EXPECT_TRUE(last.ok()) << last.status();
  return last.ok() && !last->rows.empty() ? last->rows[0][0].value_or("") : "";
}

std::vector<std::string> KeysFrom(const std::vector<ChangeEvent>& events, size_t first) {
  std::vector<std::string> keys;
  for (size_t i = first; i < events.size(); ++i) {
    keys.push_back(absl::StrCat(events[i].op(), events[i].key.value_or("null")));
  }
  return keys;
}

// MariaDB-specific: a MariaDB GTID position (domain-server-sequence, a domain named twice) and the
// sequence numbers of the admin session's own transactions (@@last_gtid, which MySQL lacks).
TEST(MySqlConnectorGtids, AGtidOnlyOffsetResumesAfterItsTransactionsAndSkipsWhatWasEmitted) {
  ASSERT_NO_FATAL_FAILURE(ExpectServicesUp());
  CdcRun run("gtidonly");
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, n INT)");
  run.Sql("INSERT INTO t VALUES (1, 10)");
  run.WriteConnectorConfig({{"include.schema.changes", "false"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u);
  run.Sql("INSERT INTO t VALUES (2, 20)");
  ASSERT_EQ(run.WaitForEvents(topic, 2, worker.get()).size(), 2u);
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);
  std::optional<std::string> committed = run.CommittedOffset();
  ASSERT_TRUE(committed.has_value());
  const std::string gtids = GtidsOf(*committed);
  ASSERT_GT(SequenceOf(gtids, "0"), 0) << *committed;

  // The same offset without `file` and `pos`, so only its GTID position can place the restart;
  // `event`/`row` stay (the last record was inside its transaction, which the position excludes).
  // Debezium's MariaDB connector may name a domain once per server id: the latest one counts.
  rapidjson::Document offset;
  offset.Parse(committed->c_str());
  offset.RemoveMember("file");
  offset.RemoveMember("pos");
  const std::string listed = absl::StrCat("0-4242-1,", gtids);
  offset["gtids"].SetString(listed.c_str(), listed.size(), offset.GetAllocator());
  run.CommitOffset(Json(offset));
  run.Sql("INSERT INTO t VALUES (3, 30)");
  const int64_t insert_sequence = SequenceOf(LastGtid(run), "0");
  run.Sql("UPDATE t SET n = 11 WHERE id = 1");
  const int64_t update_sequence = SequenceOf(LastGtid(run), "0");
  ASSERT_GT(update_sequence, insert_sequence);
  worker = run.StartWorker();
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 4, worker.get());
  absl::SleepFor(absl::Seconds(2));
  events = run.WaitForEvents(topic, 4, worker.get());
  EXPECT_EQ(KeysFrom(events, 2), (std::vector<std::string>{"c{\"id\":3}", "u{\"id\":1}"}))
      << "exactly the changes made while stopped; log:\n"
      << run.WorkerLog();
  EXPECT_NE(run.WorkerLog().find(absl::StrCat("binlog stream opened at GTID position ", gtids)),
            std::string::npos)
      << "the duplicate domain dropped; log:\n"
      << run.WorkerLog();
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);
  committed = run.CommittedOffset();
  ASSERT_TRUE(committed.has_value());
  EXPECT_NE(committed->find("\"file\":"), std::string::npos) << *committed;
  // The last record is the UPDATE's row: its offset's position excludes the UPDATE (in progress)
  // and includes everything before it in the binlog, the INSERT too. Other tests write to the
  // same server, so their transactions may stand between; a domain's sequence numbers follow
  // binlog order, which makes "just before the UPDATE" its sequence number less one.
  const std::string after = GtidsOf(*committed);
  EXPECT_EQ(SequenceOf(after, "0"), update_sequence - 1) << *committed;
  EXPECT_GE(SequenceOf(after, "0"), insert_sequence) << *committed;
  EXPECT_EQ(after.find("4242"), std::string::npos) << "written back normalised: " << after;

  // Inside a transaction: `event` counts the transaction's events already processed (its GTID
  // event, then a table map and a rows event per statement), so 3 means the first insert was
  // emitted before the stop. The GTID position excludes the transaction, which is read again.
  run.Sql("BEGIN");
  run.Sql("INSERT INTO t VALUES (10, 100)");
  run.Sql("INSERT INTO t VALUES (11, 110)");
  run.Sql("INSERT INTO t VALUES (12, 120)");
  run.Sql("COMMIT");
  // The position right before this transaction, from its own GTID (@@last_gtid of the session
  // that ran it): other tests write to the same server meanwhile, so the server's position read
  // before BEGIN may be followed by their transactions first, and the `event` skip would apply
  // to one of those.
  absl::StatusOr<mysql::QueryResult> last = run.admin().Query("SELECT @@last_gtid");
  ASSERT_TRUE(last.ok()) << last.status();
  const std::string own_gtid = last->rows[0][0].value_or("");
  const size_t dash = own_gtid.rfind('-');
  ASSERT_NE(dash, std::string::npos) << own_gtid;
  const int64_t own_sequence = std::stoll(own_gtid.substr(dash + 1));
  const std::string before_own = absl::StrCat(own_gtid.substr(0, dash + 1), own_sequence - 1);
  run.CommitOffset(absl::StrCat("{\"ts_sec\":1700000000,\"gtids\":\"", before_own,
                                "\",\"event\":3,\"server_id\":1}"));
  worker = run.StartWorker();
  events = run.WaitForEvents(topic, 6, worker.get());
  absl::SleepFor(absl::Seconds(2));
  events = run.WaitForEvents(topic, 6, worker.get());
  EXPECT_EQ(KeysFrom(events, 4), (std::vector<std::string>{"c{\"id\":11}", "c{\"id\":12}"}))
      << "the transaction's first insert counted as emitted; log:\n"
      << run.WorkerLog();
  run.StopWorker(worker);
}

// On both servers (`.../MariaDb`, `.../MySql`), their scratch instances as it purges binlogs
// (ScratchOf): a GTID-only offset whose transactions' binlog was purged fails the task naming the
// GTID position and the fix.
class MySqlConnectorGtidPurge : public ::testing::TestWithParam<TestServer> {};

INSTANTIATE_TEST_SUITE_P(Servers, MySqlConnectorGtidPurge,
                         ::testing::Values(ScratchOf(TestServer::kMariaDb),
                                           ScratchOf(TestServer::kMySql)),
                         ServerParamName);

TEST_P(MySqlConnectorGtidPurge, APurgedGtidPositionFailsClearly) {
  const absl::Status up = CheckServicesReachable(GetParam());
  ASSERT_TRUE(up.ok()) << up;
  CdcRun run("gtidpurged", /*schemas=*/false, GetParam());
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
  run.Sql("INSERT INTO t VALUES (1)");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();  // creates the worker's topics
  ASSERT_EQ(run.WaitForEvents(run.Topic("t"), 1, worker.get()).size(), 1u);
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);
  absl::StatusOr<mysql::QueryResult> position = run.admin().Query(GtidPositionQuery(GetParam()));
  ASSERT_TRUE(position.ok()) << position.status();
  const std::string old_gtids = position->rows[0][0].value_or("");
  ASSERT_FALSE(old_gtids.empty());
  run.Sql("INSERT INTO t VALUES (2)");
  run.Sql("FLUSH BINARY LOGS");
  absl::SleepFor(absl::Seconds(1));
  run.Sql("PURGE BINARY LOGS BEFORE NOW()");

  run.CommitOffset(absl::StrCat("{\"ts_sec\":1700000000,\"gtids\":\"", old_gtids, "\"}"));
  worker = run.StartWorker();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (run.WorkerLog().find("is no longer on the server") == std::string::npos &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  const std::string log = run.WorkerLog();
  EXPECT_NE(log.find(absl::StrCat("gtids '", old_gtids, "'")), std::string::npos) << log;
  EXPECT_NE(log.find("when_needed"), std::string::npos) << log;
  run.StopWorker(worker);
}

}  // namespace
}  // namespace sluice::testing
