// The MySQL connector end to end on a real MySQL 9.7 (fixture `mysql`): a snapshot where SHOW
// MASTER STATUS no longer exists, streaming of plain and tagged transactions with the tags in the
// offset's `gtids`, and compressed transactions (binlog_transaction_compression=ON), tagged or
// not, read as uncompressed ones are, across a restart.
#include <signal.h>

#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

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

TEST(MySql97Connector, CompressedTransactionsStreamLikeUncompressedOnesAndResume) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97zstd", /*schemas=*/false, TestServer::kMySql);
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
  run.Sql("INSERT INTO t VALUES (0, 'before')");
  run.WriteConnectorConfig({{"include.schema.changes", "false"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql("SET SESSION binlog_transaction_compression = ON");
  run.Sql("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  run.Sql("SET gtid_next = 'AUTOMATIC:zstd_tag'");
  run.Sql("UPDATE t SET v = 'c' WHERE id = 1");
  run.Sql("SET gtid_next = 'AUTOMATIC'");
  run.Sql("INSERT INTO t VALUES (3, 'plain')");  // compressed too: the session setting holds
  run.Sql("SET SESSION binlog_transaction_compression = OFF");
  run.Sql("INSERT INTO t VALUES (4, 'uncompressed')");
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 6, worker.get());
  EXPECT_EQ(OpsAndIds(events), (std::vector<std::string>{"r0", "c1", "c2", "u1", "c3", "c4"}))
      << run.WorkerLog();
  ASSERT_GE(events.size(), 4u);
  EXPECT_THAT(events[3].payload()["source"]["gtid"].GetString(), HasSubstr(":zstd_tag:"));
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);

  // Stopped after the last transaction: a restart reads on from there, compressed or not.
  run.Sql("SET SESSION binlog_transaction_compression = ON");
  run.Sql("DELETE FROM t WHERE id = 2");
  run.Sql("SET SESSION binlog_transaction_compression = OFF");
  worker = run.StartWorker();
  events = run.WaitForEvents(topic, 8, worker.get());  // the delete and its tombstone
  EXPECT_EQ(OpsAndIds(events),
            (std::vector<std::string>{"r0", "c1", "c2", "u1", "c3", "c4", "d2"}))
      << "nothing lost or repeated across the restart; log:\n"
      << run.WorkerLog();
  run.StopWorker(worker);
}

// A restart inside a compressed transaction reopens at its payload and skips what the committed
// offset counts as emitted: every row arrives, at least once.
TEST(MySql97Connector, KillNineInsideACompressedTransactionLosesNothing) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97kill9", /*schemas=*/false, TestServer::kMySql);
  constexpr int kRows = 50000;
  run.Sql("CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(20))");
  run.Sql("INSERT INTO big VALUES (0, 'marker')");
  run.WriteConnectorConfig({{"max.batch.size", "500"}, {"include.schema.changes", "false"}});
  run.AddWorkerSettings({{"producer.buffer.memory", "65536"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("big");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql("SET SESSION binlog_transaction_compression = ON");
  run.Sql("SET SESSION cte_max_recursion_depth = 1000000");
  run.Sql(absl::StrCat("INSERT INTO big WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
                       "FROM s WHERE n < ",
                       kRows, ") SELECT n, 'row' FROM s"));
  run.Sql("SET SESSION binlog_transaction_compression = OFF");
  std::optional<std::string> offset = run.KillInsideATransaction(worker);
  std::cout << "committed offset at the kill: " << offset.value_or("<none>") << std::endl;
  EXPECT_NE(offset.value_or("").find("\"event\":"), std::string::npos)
      << "the kill should land inside the transaction";

  worker = run.StartWorker();
  const CdcRun::KeysRead seen = run.WaitForDistinctIds(topic, kRows + 1, absl::Seconds(120));
  const size_t records = seen.records;
  EXPECT_EQ(seen.ids.size(), static_cast<size_t>(kRows + 1)) << "rows lost; log:\n"
                                                             << run.WorkerLog();
  std::cout << records - (kRows + 1) << " rows replayed after the kill" << std::endl;
  EXPECT_LT(records, 2u * (kRows + 1)) << "a restart replays the uncommitted tail, not everything";
  run.StopWorker(worker);
}

}  // namespace
}  // namespace sluice::testing
