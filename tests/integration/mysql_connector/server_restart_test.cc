// A server restart while the connector streams, on MariaDB's and MySQL's scratch servers
// (`mariadb_scratch`, `mysql_scratch`): restarting a shared test server would cut every other test
// using it; CTest's RESOURCE_LOCK keeps a scratch server's other users away meanwhile.
#include <cstdlib>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/integration/mysql_connector/server_dialect.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/test_files.h"

namespace sluice::testing {
namespace {

// scripts/services/<server> restart: the same data and binlog, a new server process.
int RestartScratchServer(TestServer server, const std::string& log_path) {
  const char* source = std::getenv("SLUICE_SOURCE_DIR");
  const std::string service =
      server == TestServer::kMySqlScratch
          ? absl::StrCat("MYSQL_PORT=", MySqlScratchPort(), " '", source != nullptr ? source : ".",
                         "/scripts/services/mysql'")
          : absl::StrCat("MARIADB_PORT=", MariaDbScratchPort(), " MARIADB_TLS=0 '",
                         source != nullptr ? source : ".", "/scripts/services/mariadb'");
  const std::string command = absl::StrCat(service, " restart >>'", log_path, "' 2>&1");
  return std::system(command.c_str());
}

// The distinct keys of the topic and how many records carry them.
std::pair<std::set<int>, size_t> Keys(const std::string& topic) {
  std::set<int> ids;
  size_t records = 0;
  absl::StatusOr<std::vector<ConsumedRecord>> read =
      ReadWholeTopic(KafkaBootstrap(), topic, absl::Seconds(10));
  if (!read.ok()) return {ids, 0};
  for (const ConsumedRecord& record : *read) {
    rapidjson::Document key;
    key.Parse(record.key.value_or("{}").c_str());
    if (key.IsObject() && key.HasMember("id")) ids.insert(key["id"].GetInt());
    ++records;
  }
  return {ids, records};
}

// The server restarts (clean shutdown, same data) between and around writes: the task reconnects
// with back-off and stays RUNNING, and every row arrives exactly once — the stream reopens at the
// position of the last record handed to the worker, and the worker process never restarted.
// Depending on timing the restart lands between transactions or inside one (while the connector
// reads information_schema for the rows' table); both must lose nothing.
class MySqlConnectorServerRestart : public ::testing::TestWithParam<TestServer> {};

INSTANTIATE_TEST_SUITE_P(Servers, MySqlConnectorServerRestart,
                         ::testing::Values(TestServer::kMariaDbScratch, TestServer::kMySqlScratch),
                         ServerParamName);

TEST_P(MySqlConnectorServerRestart, ARestartWhileStreamingLosesNothing) {
  const TestServer server = GetParam();
  const absl::Status up = CheckServicesReachable(server);
  ASSERT_TRUE(up.ok()) << up;
  CdcRun run("srvrestart", /*schemas=*/false, server);
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
  run.Sql(absl::StrCat("INSERT INTO t SELECT seq, 'before' FROM ", SequenceTable(server, 1, 100)));
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 100, worker.get()).size(), 100u);

  // Two rounds, each: rows written just before the restart (the connector may have read them,
  // be inside their transaction, or not have seen them when the server stops), the restart, rows
  // written after it.
  const std::string restart_log = absl::StrCat(
      BinaryDir(), "/tests/integration/mysql_connector/", run.name(), "/restart.log");
  for (int round = 0; round < 2; ++round) {
    const int base = 100 + round * 200;
    run.Sql(absl::StrCat("INSERT INTO t SELECT seq, 'racing' FROM ",
                         SequenceTable(server, base + 1, base + 100)));
    ASSERT_EQ(RestartScratchServer(server, restart_log), 0) << ReadFileForMessage(restart_log);
    run.ReconnectAdmin();
    run.Sql(absl::StrCat("INSERT INTO t SELECT seq, 'after' FROM ",
                         SequenceTable(server, base + 101, base + 200)));
  }
  run.Sql("UPDATE t SET v = 'updated' WHERE id = 1");

  const absl::Time deadline = absl::Now() + absl::Seconds(90);
  std::pair<std::set<int>, size_t> keys;
  while (absl::Now() < deadline) {
    keys = Keys(topic);
    if (keys.second >= 501) break;
    absl::SleepFor(absl::Milliseconds(300));
  }
  absl::SleepFor(absl::Seconds(2));  // anything repeated would arrive by now
  keys = Keys(topic);
  EXPECT_EQ(keys.first.size(), 500u) << "rows lost; log:\n" << run.WorkerLog();
  EXPECT_EQ(keys.second, 501u) << "500 inserts and one update, none repeated; log:\n"
                               << run.WorkerLog();
  EXPECT_NE(run.WorkerLog().find("reconnecting at"), std::string::npos) << run.WorkerLog();
  // Standalone mode keeps no status topic; a task that left RUNNING says so in the log.
  EXPECT_TRUE(worker->running());
  EXPECT_EQ(run.WorkerLog().find("task failed"), std::string::npos) << run.WorkerLog();
  EXPECT_EQ(run.WorkerLog().find("ended FAILED"), std::string::npos) << run.WorkerLog();
  run.StopWorker(worker);
}

}  // namespace
}  // namespace sluice::testing
