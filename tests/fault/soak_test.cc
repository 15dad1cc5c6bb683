// The fault suite's soak (scripts/test --soak SECONDS): a steady workload on a scratch server and
// the scratch broker, and random faults one after another for half of SLUICE_FAULT_SOAK_SECONDS
// per server — the worker killed (kill -9) or frozen (SIGSTOP, SIGCONT), the broker killed or
// restarted cleanly, the database killed or restarted cleanly — then the checker over everything
// written. Skipped when SLUICE_FAULT_SOAK_SECONDS is unset (label soak: never in the CI tiers).
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/fault/fault_run.h"
#include "tests/integration/mysql_connector/server_dialect.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

class Soak : public ::testing::TestWithParam<TestServer> {};

INSTANTIATE_TEST_SUITE_P(Servers, Soak,
                         ::testing::Values(TestServer::kMariaDbScratch, TestServer::kMySqlScratch),
                         ServerParamName);

TEST_P(Soak, RandomFaultsForTheGivenTime) {
  const int seconds = FaultSize("SLUICE_FAULT_SOAK_SECONDS", 0) / 2;
  if (seconds <= 0) GTEST_SKIP() << "SLUICE_FAULT_SOAK_SECONDS is not set";
  ASSERT_TRUE(CheckServerReachable(GetParam()).ok());
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaScratchPort()).ok());
  FaultRun run("soak", GetParam(), KafkaScratchBootstrap());
  // delivery.timeout.ms stays at its default (120 s), longer than any fault here: a record that
  // expires while later ones of its partition are delivered leaves a gap the replay fills after
  // them, which at-least-once allows and the order check does not (docs/fault-suite.md, "Known
  // limits"). DownLongerThanTheDeliveryTimeout covers expiry with nothing delivered meanwhile.
  run.Configure({{"errors.retry.delay.max.ms", "2000"}});
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  std::mt19937 random(run.workload().seed());
  const absl::Time end = absl::Now() + absl::Seconds(seconds);
  int faults = 0;
  while (absl::Now() < end && !::testing::Test::HasFatalFailure()) {
    bool database_fault = false;
    {
      WorkloadThread writer(run.workload(), 1 << 30);
      absl::SleepFor(absl::Milliseconds(std::uniform_int_distribution<int>(1000, 8000)(random)));
      const int fault = std::uniform_int_distribution<int>(0, 5)(random);
      const int down = std::uniform_int_distribution<int>(0, 15)(random);
      std::cout << "[ soak     ] fault " << ++faults << ": " << fault << " (down " << down
                << " s)\n";
      switch (fault) {
        case 0:
          run.KillWorker(worker);
          worker = run.StartWorker();
          break;
        case 1:
          worker->Signal(SIGSTOP);
          absl::SleepFor(absl::Seconds(down));
          worker->Signal(SIGCONT);
          break;
        case 2:
          run.CrashBroker(down);
          break;
        case 3:
          run.RestartBrokerCleanly(down % 5);
          break;
        case 4:
          run.CrashServer(down % 5);
          database_fault = true;
          break;
        default:
          run.RestartServer();
          database_fault = true;
          break;
      }
      writer.Stop();
      const absl::Status written = writer.Join();
      if (!database_fault) {
        ASSERT_TRUE(written.ok()) << written;  // only a database fault may cut the writer
      }
    }
    if (database_fault) run.ReconnectWorkload();
  }
  CheckOptions options;
  options.liveness = absl::Minutes(10);
  run.FinishAndCheck(worker, options);
}

}  // namespace
}  // namespace sluice::testing
