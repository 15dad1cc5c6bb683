// XA transactions end to end on a real MySQL 9.7 and MariaDB 10.11 (fixtures `mysql`, `mariadb`).
// Both write an XA transaction's rows at XA PREPARE (GTID, [XA START,] rows, XA END, XA_PREPARE)
// and its outcome later under a GTID of its own (XA COMMIT / XA ROLLBACK). XA COMMIT ... ONE
// PHASE ends the rows with an XA_PREPARE marked one-phase on MySQL, with an XID on MariaDB; an XA
// transaction rolled back before XA PREPARE writes nothing. On MySQL with GTIDs the connector
// emits an XA transaction's rows once its commit is read (the server sends the prepared events
// again); on MariaDB at XA_PREPARE, as Debezium does (docs/mysql-connector.md, "XA
// transactions").
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

class XaTransactions : public ::testing::TestWithParam<TestServer> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(GetParam() == TestServer::kMySql
                    ? CheckServiceReachable("mysql", MySqlPort()).ok()
                    : CheckServiceReachable("mariadb", MariaDbPort()).ok());
  }
};

TEST_P(XaTransactions, CommittedXaRowsArriveOnceWithTheirTransactionAndAcrossARestart) {
  CdcRun run("xa", /*schemas=*/false, GetParam());
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
  run.Sql("INSERT INTO t VALUES (0, 'snapshot')");
  run.WriteConnectorConfig(
      {{"include.schema.changes", "false"}, {"provide.transaction.metadata", "true"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u) << run.WorkerLog();

  // Two-phase, committed: two rows.
  run.Sql("XA START 'sluice-two'");
  run.Sql("INSERT INTO t VALUES (1, 'two-phase')");
  run.Sql("UPDATE t SET v = 'in xa' WHERE id = 0");
  run.Sql("XA END 'sluice-two'");
  run.Sql("XA PREPARE 'sluice-two'");
  run.Sql("XA COMMIT 'sluice-two'");
  // One phase.
  run.Sql("XA START 'sluice-one'");
  run.Sql("INSERT INTO t VALUES (2, 'one-phase')");
  run.Sql("XA END 'sluice-one'");
  run.Sql("XA COMMIT 'sluice-one' ONE PHASE");
  // Rolled back before XA PREPARE: never in the binlog.
  run.Sql("XA START 'sluice-never'");
  run.Sql("INSERT INTO t VALUES (4, 'never')");
  run.Sql("XA END 'sluice-never'");
  run.Sql("XA ROLLBACK 'sluice-never'");
  run.Sql("INSERT INTO t VALUES (5, 'marker')");

  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 5, worker.get());
  EXPECT_EQ(OpsAndIds(events), (std::vector<std::string>{"r0", "c1", "u0", "c2", "c5"}))
      << run.WorkerLog();
  ASSERT_GE(events.size(), 5u);
  // The XA transaction's rows carry its GTID (the one before its rows) and its orders.
  const rapidjson::Value& first = events[1].payload();
  ASSERT_TRUE(first["source"]["gtid"].IsString()) << run.WorkerLog();
  const std::string two_phase = first["source"]["gtid"].GetString();
  EXPECT_EQ(std::string(events[2].payload()["source"]["gtid"].GetString()), two_phase);
  ASSERT_TRUE(first["transaction"].IsObject());
  EXPECT_EQ(std::string(first["transaction"]["id"].GetString()), two_phase);
  EXPECT_EQ(events[2].payload()["transaction"]["total_order"].GetInt(), 2);
  const std::string one_phase = events[3].payload()["source"]["gtid"].GetString();
  EXPECT_NE(one_phase, two_phase);

  // BEGIN/END for each XA transaction with rows, the END counting them.
  std::vector<ChangeEvent> boundaries =
      run.WaitForEvents(run.prefix() + ".transaction", 6, worker.get());
  std::vector<std::string> seen;
  for (const ChangeEvent& b : boundaries) {
    const rapidjson::Value& p = b.payload();
    const std::string id = p["id"].GetString();
    const std::string which = id == two_phase ? "two" : id == one_phase ? "one" : "other";
    seen.push_back(
        absl::StrCat(p["status"].GetString(), " ", which,
                     p["event_count"].IsInt() ? absl::StrCat(" ", p["event_count"].GetInt()) : ""));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"BEGIN two", "END two 2", "BEGIN one", "END one 1",
                                            "BEGIN other", "END other 1"}))
      << run.WorkerLog();

  // The XA transactions' GTIDs are complete in the committed offset: a restart (a GTID resume)
  // reads none of them again.
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);
  std::optional<std::string> committed = run.CommittedOffset();
  ASSERT_TRUE(committed.has_value());
  EXPECT_THAT(*committed, ::testing::Not(HasSubstr("\"event\":"))) << *committed;
  worker = run.StartWorker();
  run.Sql("INSERT INTO t VALUES (6, 'after restart')");
  events = run.WaitForEvents(topic, 6, worker.get());
  EXPECT_EQ(OpsAndIds(events), (std::vector<std::string>{"r0", "c1", "u0", "c2", "c5", "c6"}))
      << "nothing repeated after the restart; log:\n"
      << run.WorkerLog();
  run.StopWorker(worker);
}

// Streaming from the current position, until the log says so.
std::unique_ptr<Subprocess> StartStreaming(CdcRun& run) {
  run.WriteConnectorConfig({{"include.schema.changes", "false"}, {"snapshot.mode", "no_data"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (run.WorkerLog().find("streaming from") == std::string::npos && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  return worker;
}

void Prepare(CdcRun& run, const std::string& xid, int id) {
  run.Sql(absl::StrCat("XA START '", xid, "'"));
  run.Sql(absl::StrCat("INSERT INTO t VALUES (", id, ", 'prepared')"));
  run.Sql(absl::StrCat("XA END '", xid, "'"));
  run.Sql(absl::StrCat("XA PREPARE '", xid, "'"));
}

// An XA transaction prepared and then rolled back. MySQL (with GTIDs): its rows waited for the
// outcome and are never emitted. MariaDB: emitted at the prepare, as Debezium emits them, and the
// XA ROLLBACK logs a warning that they stand. The stream goes on either way.
TEST_P(XaTransactions, AnXaTransactionRolledBackAfterPrepare) {
  CdcRun run("xarb", /*schemas=*/false, GetParam());
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
  std::unique_ptr<Subprocess> worker = StartStreaming(run);
  Prepare(run, "sluice-rb", 3);
  run.Sql("XA ROLLBACK 'sluice-rb'");
  run.Sql("INSERT INTO t VALUES (7, 'marker')");
  absl::StatusOr<mysql::QueryResult> rows =
      run.admin().Query(absl::StrCat("SELECT COUNT(*) FROM ", run.db(), ".t WHERE id = 3"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->rows[0][0].value_or(""), "0") << "the server rolled it back";
  if (GetParam() == TestServer::kMySql) {
    const std::vector<ChangeEvent> events = run.WaitForEvents(run.Topic("t"), 1, worker.get());
    EXPECT_EQ(OpsAndIds(events), (std::vector<std::string>{"c7"})) << run.WorkerLog();
    run.StopWorker(worker);
    return;
  }
  const std::vector<ChangeEvent> events = run.WaitForEvents(run.Topic("t"), 2, worker.get());
  EXPECT_EQ(OpsAndIds(events), (std::vector<std::string>{"c3", "c7"})) << run.WorkerLog();
  ASSERT_GE(events.size(), 1u);
  EXPECT_THAT(run.WorkerLog(),
              HasSubstr("XA transaction X'736c756963652d7262',X'',1 (" +
                        std::string(events[0].payload()["source"]["gtid"].GetString()) +
                        ") was rolled back after XA PREPARE: its 1 change event, emitted at the "
                        "prepare"))
      << "'sluice-rb' in hex as the server writes it, and the prepared transaction's GTID";
  run.StopWorker(worker);
}

// MySQL: a worker stopped between XA PREPARE and XA COMMIT (the GTID held back from its offset)
// reads the prepared transaction again after the restart and emits its rows once the commit
// comes; the rows written meanwhile arrive once, and a second prepared transaction rolled back
// meanwhile never does.
TEST(MySql97Xa, ARestartBetweenPrepareAndCommitEmitsTheRowsOnceAtTheCommit) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("xarestart", /*schemas=*/false, TestServer::kMySql);
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
  std::unique_ptr<Subprocess> worker = StartStreaming(run);
  Prepare(run, "sluice-later", 1);
  Prepare(run, "sluice-never", 2);
  run.Sql("INSERT INTO t VALUES (3, 'meanwhile')");
  const std::string topic = run.Topic("t");
  EXPECT_EQ(OpsAndIds(run.WaitForEvents(topic, 1, worker.get())),
            (std::vector<std::string>{"c3"}))
      << run.WorkerLog();
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);

  run.Sql("XA ROLLBACK 'sluice-never'");
  run.Sql("XA COMMIT 'sluice-later'");
  run.Sql("INSERT INTO t VALUES (4, 'after')");
  worker = run.StartWorker();
  const std::vector<ChangeEvent> events = run.WaitForEvents(topic, 3, worker.get());
  EXPECT_EQ(OpsAndIds(events), (std::vector<std::string>{"c3", "c1", "c4"})) << run.WorkerLog();
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);
  std::optional<std::string> committed = run.CommittedOffset();
  ASSERT_TRUE(committed.has_value());
  EXPECT_THAT(*committed, ::testing::Not(HasSubstr("xa_committed"))) << *committed;
}

INSTANTIATE_TEST_SUITE_P(Servers, XaTransactions,
                         ::testing::Values(TestServer::kMySql, TestServer::kMariaDb),
                         [](const ::testing::TestParamInfo<TestServer>& info) {
                           return info.param == TestServer::kMySql ? "MySql97" : "MariaDb1011";
                         });

}  // namespace
}  // namespace sluice::testing
