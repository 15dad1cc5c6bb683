// The broker dies or restarts while the connector streams (issue 19's fault suite), on the
// scratch broker (`kafka_scratch`) with MariaDB 10.11's and MySQL 9.7's scratch servers: killed
// for 10 s, killed for longer than delivery.timeout.ms, restarted cleanly, and a worker killed
// while it is blocked on its full producer buffer during an outage. The worker rides each out
// (or its restart resumes), and the checker (tests/fault/checker.h) holds every promise.
#include <signal.h>

#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/fault/fault_run.h"
#include "tests/integration/mysql_connector/server_dialect.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

class BrokerFaults : public ::testing::TestWithParam<TestServer> {
 protected:
  void SetUp() override {
    const absl::Status up = CheckServerReachable(GetParam());
    ASSERT_TRUE(up.ok()) << up;
    ASSERT_TRUE(CheckServiceReachable("kafka", KafkaScratchPort()).ok());
  }
};

INSTANTIATE_TEST_SUITE_P(Servers, BrokerFaults,
                         ::testing::Values(TestServer::kMariaDbScratch, TestServer::kMySqlScratch),
                         ServerParamName);

// Settings that keep an outage's cost short: a record gives up after 3 s, task restarts wait at
// most 2 s once the broker is back.
const std::map<std::string, std::string> kShortTimeouts = {
    {"producer.delivery.timeout.ms", "3000"},
    {"offset.flush.timeout.ms", "2000"},
    {"task.shutdown.graceful.timeout.ms", "2000"},
};

TEST_P(BrokerFaults, KilledForTenSecondsThenRestartedCleanlyLosesNothing) {
  FaultRun run("brokercrash", GetParam(), KafkaScratchBootstrap());
  run.Configure({{"errors.retry.delay.max.ms", "2000"}});
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  const int transactions = TransactionsFor(FaultSize("SLUICE_FAULT_CHANGES", 2000));
  WorkloadThread writer(run.workload(), transactions);
  absl::SleepFor(absl::Milliseconds(500));
  run.CrashBroker(10);
  absl::SleepFor(absl::Seconds(1));
  run.RestartBrokerCleanly(1);
  ASSERT_TRUE(writer.Join().ok());
  run.FinishAndCheck(worker);
}

TEST_P(BrokerFaults, DownLongerThanTheDeliveryTimeoutLosesNothing) {
  FaultRun run("brokerlong", GetParam(), KafkaScratchBootstrap());
  run.cdc().AddWorkerSettings(kShortTimeouts);
  run.Configure({{"errors.retry.delay.max.ms", "2000"}});
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  WorkloadThread writer(run.workload(), TransactionsFor(FaultSize("SLUICE_FAULT_CHANGES", 2000)));
  absl::SleepFor(absl::Milliseconds(500));
  run.CrashBroker(12);
  ASSERT_TRUE(writer.Join().ok());
  EXPECT_EQ(run.cdc().WorkerLog().find("task failed"), std::string::npos) << run.cdc().WorkerLog();
  run.FinishAndCheck(worker);
}

// A 64 KiB producer buffer fills within the outage: the task waits for room when it is killed.
TEST_P(BrokerFaults, KillNineWhileBlockedOnAFullProducerBufferLosesNothing) {
  FaultRun run("fullqueue", GetParam(), KafkaScratchBootstrap());
  run.cdc().AddWorkerSettings({{"producer.buffer.memory", "65536"}});
  run.Configure();
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  std::thread outage([&] { run.CrashBroker(8); });
  absl::SleepFor(absl::Seconds(1));
  // ~300 KiB of change events while the broker is down: more than the buffer holds.
  ASSERT_TRUE(run.workload().Run(TransactionsFor(FaultSize("SLUICE_FAULT_CHANGES", 1500))).ok());
  absl::SleepFor(absl::Seconds(2));
  worker->Signal(SIGKILL);
  EXPECT_EQ(worker->Wait(absl::Seconds(10)), 128 + SIGKILL);
  outage.join();
  run.ExpectOffsetNotAheadOfData();  // read once the broker is back
  worker = run.StartWorker();
  run.FinishAndCheck(worker);
}

}  // namespace
}  // namespace sluice::testing
