// Exactly-once with the MySQL connector's own transaction boundaries (worker
// exactly.once.source.support=enabled, connector transaction.boundary=connector), on MariaDB 10.11
// and MySQL 9.7: a snapshot, then source transactions small and large (a large one split by
// transaction.boundary.max.records), with the worker killed (-9) mid-stream several times. A
// read_committed consumer sees every change exactly once (no duplicate, none missing), in per-key
// order.
#include <signal.h>

#include <map>
#include <random>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

std::string ServerName(const ::testing::TestParamInfo<TestServer>& info) {
  return info.param == TestServer::kMySql ? "MySql97" : "MariaDb";
}

class ExactlyOnceMySql : public ::testing::TestWithParam<TestServer> {
 protected:
  void SetUp() override {
    const bool mysql = GetParam() == TestServer::kMySql;
    ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
    ASSERT_TRUE(
        CheckServiceReachable(mysql ? "mysql" : "mariadb", mysql ? MySqlPort() : MariaDbPort())
            .ok());
  }
};

// The changes the test made, as (op, id, v): each must be seen exactly once.
using Change = std::tuple<std::string, int, int>;

TEST_P(ExactlyOnceMySql, KillNineMidStreamLeavesEveryChangeOnceInKeyOrder) {
  CdcRun run("eosmy", /*schemas=*/false, GetParam());
  constexpr int kSnapshotRows = 300;
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)");
  std::map<Change, int> expected;  // change -> times seen (filled when read)
  std::map<int, int> value;        // id -> v now
  std::string rows;
  for (int id = 1; id <= kSnapshotRows; ++id) {
    absl::StrAppend(&rows, id == 1 ? "" : ",", "(", id, ",0)");
    expected[{"r", id, 0}] = 0;
    value[id] = 0;
  }
  run.Sql("INSERT INTO t VALUES " + rows);
  run.AddWorkerSettings({{"exactly.once.source.support", "enabled"}});
  run.WriteConnectorConfig({{"exactly.once.support", "required"},
                            {"transaction.boundary", "connector"},
                            {"transaction.boundary.max.records", "40"},
                            {"max.batch.size", "64"}});
  int next_id = kSnapshotRows + 1;
  // One source transaction: `updates` rows updated (v + 1), then `inserts` new rows.
  auto transaction = [&](int first, int updates, int inserts) {
    run.Sql("BEGIN");
    for (int i = 0; i < updates; ++i) {
      const int id = 1 + (first + i) % kSnapshotRows;
      run.Sql(absl::StrCat("UPDATE t SET v = v + 1 WHERE id = ", id));
      expected[{"u", id, ++value[id]}] = 0;
    }
    for (int i = 0; i < inserts; ++i) {
      const int id = next_id++;
      run.Sql(absl::StrCat("INSERT INTO t VALUES (", id, ", 0)"));
      expected[{"c", id, 0}] = 0;
      value[id] = 0;
    }
    run.Sql("COMMIT");
  };

  const unsigned seed = static_cast<unsigned>(absl::ToUnixMicros(absl::Now()));
  std::mt19937 random(seed);
  SCOPED_TRACE(absl::StrCat("seeded with ", seed));
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  // The snapshot first (its rows read v = 0): read_committed, all of it means it is committed.
  ASSERT_EQ(run.WaitForEvents(topic, kSnapshotRows, worker.get()).size(),
            static_cast<size_t>(kSnapshotRows));
  for (int round = 0; round < 4; ++round) {
    // Small transactions, and one of 150 changes: split into Kafka transactions of 40.
    for (int n = 0; n < 30; ++n) transaction(static_cast<int>(random() % 1000), 3, 1);
    transaction(static_cast<int>(random() % 1000), 100, 50);
    absl::SleepFor(absl::Milliseconds(400 + random() % 1600));
    ASSERT_TRUE(worker->running()) << run.WorkerLog();
    worker->Signal(SIGKILL);
    ASSERT_EQ(worker->Wait(absl::Seconds(10)), 128 + SIGKILL);
    worker = run.StartWorker();
  }
  transaction(7, 10, 5);

  // Exactly the expected number of change events (inserts have no tombstones, deletes none here).
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, expected.size(), worker.get());
  run.StopWorker(worker);
  events = run.WaitForEvents(topic, expected.size(), nullptr);
  std::map<int, int> last_v;
  int unexpected = 0, duplicates = 0, out_of_order = 0;
  for (const ChangeEvent& event : events) {
    ASSERT_NE(event.json, nullptr) << "no tombstone expected";
    const rapidjson::Value& after = event.payload()["after"];
    const int id = after["id"].GetInt();
    const int v = after["v"].GetInt();
    auto it = expected.find({event.op(), id, v});
    if (it == expected.end()) {
      ++unexpected;
      continue;
    }
    if (++it->second > 1) ++duplicates;
    auto [last, first] = last_v.try_emplace(id, v);
    if (!first) {
      if (v <= last->second) ++out_of_order;
      last->second = v;
    }
  }
  int missing = 0;
  for (const auto& [change, seen] : expected) missing += seen == 0 ? 1 : 0;
  EXPECT_EQ(duplicates, 0) << "changes seen more than once under read_committed";
  EXPECT_EQ(missing, 0) << "of " << expected.size() << " changes";
  EXPECT_EQ(unexpected, 0);
  EXPECT_EQ(out_of_order, 0);
  EXPECT_EQ(events.size(), expected.size());
  EXPECT_EQ(run.WorkerLog().find("task failed"), std::string::npos) << run.WorkerLog();
}

// transaction.boundary=interval: the last Kafka transaction before the binlog goes idle commits
// once its interval has passed, with no later change to push it (the task must not sit in a poll
// that waits for the next event).
TEST_P(ExactlyOnceMySql, AnIntervalTransactionCommitsWhenTheBinlogGoesIdle) {
  CdcRun run("eosiv", /*schemas=*/false, GetParam());
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)");
  run.Sql("INSERT INTO t VALUES (1, 0), (2, 0)");
  run.AddWorkerSettings({{"exactly.once.source.support", "enabled"}});
  run.WriteConnectorConfig({{"exactly.once.support", "required"},
                            {"transaction.boundary", "interval"},
                            {"transaction.boundary.interval.ms", "500"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 2, worker.get()).size(), 2u) << run.WorkerLog();
  for (int id = 3; id <= 12; ++id) run.Sql(absl::StrCat("INSERT INTO t VALUES (", id, ", 0)"));
  // Then nothing more is written: read_committed sees the ten inserts only once the open
  // transaction commits on its interval.
  const absl::Time written = absl::Now();
  const std::vector<ChangeEvent> events = run.WaitForEvents(topic, 12, worker.get());
  const absl::Duration waited = absl::Now() - written;
  EXPECT_EQ(events.size(), 12u) << run.WorkerLog();
  // The interval (0.5 s) plus the poll timeout and a loaded machine's slack; the server's idle
  // heartbeat alone would not bring the commit closer.
  EXPECT_LT(waited, absl::Seconds(20));
  run.StopWorker(worker);
}

INSTANTIATE_TEST_SUITE_P(Servers, ExactlyOnceMySql,
                         ::testing::Values(TestServer::kMariaDb, TestServer::kMySql), ServerName);

}  // namespace
}  // namespace sluice::testing
