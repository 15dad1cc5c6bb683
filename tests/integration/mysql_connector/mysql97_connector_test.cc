// The MySQL connector end to end on a real MySQL 9.7 (fixture `mysql`): a snapshot where SHOW
// MASTER STATUS no longer exists, streaming of plain and tagged transactions with the tags in the
// offset's `gtids`, and a compressed transaction (binlog_transaction_compression=ON), which the
// task does not read yet, stopping it loudly with its position instead of losing it in silence.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> OpsAndIds(const std::vector<ChangeEvent>& events) {
  std::vector<std::string> out;
  for (const ChangeEvent& e : events) {
    if (e.json == nullptr) continue;  // tombstone
    const rapidjson::Value& p = e.payload();
    const rapidjson::Value& row = p["after"].IsNull() ? p["before"] : p["after"];
    out.push_back(absl::StrCat(e.op(), row["id"].GetInt()));
  }
  return out;
}

TEST(MySql97Connector, SnapshotsAndStreamsPlainAndTaggedTransactions) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97", /*schemas=*/false, TestServer::kMySql);
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
  run.Sql("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
  run.WriteConnectorConfig({{"include.schema.changes", "false"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 2, worker.get());
  EXPECT_EQ(OpsAndIds(events), (std::vector<std::string>{"r1", "r2"})) << run.WorkerLog();

  run.Sql("INSERT INTO t VALUES (3, 'plain')");
  run.Sql("SET gtid_next = 'AUTOMATIC:sluice_tag'");
  run.Sql("UPDATE t SET v = 'tagged' WHERE id = 1");
  run.Sql("SET gtid_next = 'AUTOMATIC'");
  run.Sql("DELETE FROM t WHERE id = 2");
  events = run.WaitForEvents(topic, 6, worker.get());  // the delete's tombstone too
  EXPECT_EQ(OpsAndIds(events), (std::vector<std::string>{"r1", "r2", "c3", "u1", "d2"}))
      << run.WorkerLog();
  const rapidjson::Value& tagged = events[3].payload()["source"];
  ASSERT_TRUE(tagged["gtid"].IsString()) << run.WorkerLog();
  EXPECT_THAT(tagged["gtid"].GetString(), HasSubstr(":sluice_tag:"));
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);
  std::optional<std::string> committed = run.CommittedOffset();
  ASSERT_TRUE(committed.has_value());
  EXPECT_THAT(*committed, HasSubstr(":sluice_tag:")) << "tagged transactions in the offset's gtids";
}

TEST(MySql97Connector, ACompressedTransactionStopsTheTaskWithItsPosition) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97zstd", /*schemas=*/false, TestServer::kMySql);
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
  run.Sql("INSERT INTO t VALUES (0)");
  run.WriteConnectorConfig({{"include.schema.changes", "false"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql("INSERT INTO t VALUES (1)");
  ASSERT_EQ(run.WaitForEvents(topic, 2, worker.get()).size(), 2u) << run.WorkerLog();
  run.Sql("SET SESSION binlog_transaction_compression = ON");
  run.Sql("INSERT INTO t VALUES (2)");
  run.Sql("SET SESSION binlog_transaction_compression = OFF");
  bool stopped_loudly = false;
  for (int i = 0; i < 100 && !stopped_loudly; ++i) {
    stopped_loudly = run.WorkerLog().find("TRANSACTION_PAYLOAD_EVENT) at mysql-bin.") !=
                     std::string::npos;
    if (!stopped_loudly) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(stopped_loudly) << run.WorkerLog();
  EXPECT_THAT(run.WorkerLog(), HasSubstr("task failed"));
  run.StopWorker(worker);
}

}  // namespace
}  // namespace sluice::testing
