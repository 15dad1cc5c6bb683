// The database server dies or restarts while the connector streams (issue 19's fault suite), on
// MariaDB 10.11's and MySQL 9.7's scratch servers, with the workload writing when it goes: the
// task reconnects and resumes, the transaction whose COMMIT was cut is whole or absent, and the
// checker (tests/fault/checker.h) holds every promise.
#include <functional>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/fault/fault_run.h"
#include "tests/integration/mysql_connector/server_dialect.h"

namespace sluice::testing {
namespace {

class DatabaseFaults : public ::testing::TestWithParam<TestServer> {
 protected:
  void SetUp() override {
    const absl::Status up = CheckServicesReachable(GetParam());
    ASSERT_TRUE(up.ok()) << up;
  }

  // The workload writes on its thread; the fault comes a moment later (it cuts the writer's
  // connection, so the writer stops with an error), then the rest is written after it.
  void WriteThrough(FaultRun& run, const std::function<void()>& fault) {
    const int transactions = TransactionsFor(FaultSize("SLUICE_FAULT_CHANGES", 3000));
    {
      WorkloadThread writer(run.workload(), transactions / 2);
      absl::SleepFor(absl::Milliseconds(700));
      fault();
      (void)writer.Join();  // cut by the fault, or done before it
    }
    run.ReconnectWorkload();
    const absl::Status after = run.workload().Run(transactions / 2);
    ASSERT_TRUE(after.ok()) << after;
  }
};

INSTANTIATE_TEST_SUITE_P(Servers, DatabaseFaults,
                         ::testing::Values(TestServer::kMariaDbScratch, TestServer::kMySqlScratch),
                         ServerParamName);

TEST_P(DatabaseFaults, KillNineOfTheServerMidStreamLosesNothing) {
  FaultRun run("dbcrash", GetParam());
  run.Configure();
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  WriteThrough(run, [&] { run.CrashServer(/*down_seconds=*/2); });
  EXPECT_EQ(run.cdc().WorkerLog().find("task failed"), std::string::npos) << run.cdc().WorkerLog();
  run.FinishAndCheck(worker);
}

TEST_P(DatabaseFaults, ACleanRestartOfTheServerMidStreamLosesNothing) {
  FaultRun run("dbrestart", GetParam());
  run.Configure();
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  WriteThrough(run, [&] { run.RestartServer(); });
  EXPECT_EQ(run.cdc().WorkerLog().find("task failed"), std::string::npos) << run.cdc().WorkerLog();
  run.FinishAndCheck(worker);
}

}  // namespace
}  // namespace sluice::testing
