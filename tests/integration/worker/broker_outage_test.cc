// `sluice worker` rides out a broker outage: the scratch broker is killed and stays down longer
// than delivery.timeout.ms, then starts again on its data; the task restarts itself from its
// committed offsets and every generated record reaches Kafka. A task started while the broker is
// down retries its start and runs once the broker is back.
#include <signal.h>

#include <cstdlib>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "runtime/common/log.h"
#include "runtime/worker/worker.h"
#include "tests/integration/worker/generator_run.h"
#include "tests/integration/worker/in_process_worker.h"
#include "tests/support/eventually.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/test_files.h"

namespace sluice::testing {
namespace {

// Kills the scratch broker, keeps it down `down_seconds`, starts it again on its data.
int RestartScratchBroker(int down_seconds) {
  const char* source = std::getenv("SLUICE_SOURCE_DIR");
  const std::string command =
      absl::StrCat("KAFKA_PORT=", KafkaScratchPort(), " ", source != nullptr ? source : ".",
                   "/scripts/services/kafka restart ", down_seconds);
  return std::system(command.c_str());
}

// Starts a worker, restarts the scratch broker (down `down_seconds`) once offset 500 is committed,
// and waits until the last of `records` is committed (or the worker ended). Returns the worker.
std::unique_ptr<Subprocess> RunThroughABrokerRestart(GeneratorRun& run, int64_t records,
                                                     int down_seconds) {
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  EXPECT_TRUE(worker->started());
  EXPECT_TRUE(Eventually(
      [&] {
        std::optional<int64_t> seq = run.CommittedSeq();
        return seq.has_value() && *seq >= 500;
      },
      absl::Seconds(60), absl::Milliseconds(200)))
      << ReadFileForMessage(run.log_path());
  EXPECT_EQ(RestartScratchBroker(down_seconds), 0);
  EXPECT_TRUE(Eventually(
      [&] {
        std::optional<int64_t> seq = run.CommittedSeq();
        return (seq.has_value() && *seq == records - 1) || !worker->running();
      },
      absl::Seconds(150), absl::Milliseconds(500)));
  return worker;
}

TEST(BrokerOutage, ATaskRidesOutABrokerDownLongerThanTheDeliveryTimeoutAndLosesNothing) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaScratchPort()).ok());
  // A delivery gives up after 3 s, so an outage of 12 s fails records in flight for certain.
  GeneratorRun run("outage", GeneratorRun::Plugins::kBuild, KafkaScratchBootstrap(),
                   "producer.delivery.timeout.ms=3000\n"
                   "offset.flush.timeout.ms=2000\n"
                   "task.shutdown.graceful.timeout.ms=2000\n");
  constexpr int64_t kRecords = 6000;
  run.WriteConnectorConfig(kRecords, kRecords, 200, "errors.retry.delay.max.ms=2000\n");
  // Produced at 200/s, the rest takes about 30 s after the 12 s outage; the restarts wait at
  // most 2 s (errors.retry.delay.max.ms) once the broker is back.
  std::unique_ptr<Subprocess> worker = RunThroughABrokerRestart(run, kRecords, 12);
  const std::string log = ReadFileForMessage(run.log_path());
  EXPECT_TRUE(worker->running()) << log;
  EXPECT_NE(log.find("restarting from the committed offsets"), std::string::npos)
      << "the outage outlasted delivery.timeout.ms, so the task must have restarted: " << log;
  EXPECT_EQ(log.find("task failed"), std::string::npos) << log;
  EXPECT_EQ(run.CommittedSeq(), kRecords - 1) << log;

  // Every record is in Kafka (some more than once: at-least-once replays the uncommitted tail).
  std::set<int64_t> seqs;
  for (const GeneratedRecord& record : run.ReadRecords()) seqs.insert(record.seq);
  EXPECT_EQ(seqs.size(), static_cast<size_t>(kRecords));
  EXPECT_EQ(*seqs.begin(), 0);
  EXPECT_EQ(*seqs.rbegin(), kRecords - 1);

  worker->Signal(SIGTERM);
  EXPECT_EQ(worker->Wait(absl::Seconds(30)), 0) << ReadFileForMessage(run.log_path());
}

TEST(BrokerOutage, UnderExactlyOnceABrokerRestartMidStreamLeavesEachRecordOnce) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaScratchPort()).ok());
  GeneratorRun run("eos-outage", GeneratorRun::Plugins::kBuild, KafkaScratchBootstrap(),
                   "exactly.once.source.support=enabled\n"
                   "producer.delivery.timeout.ms=3000\n"
                   "producer.max.block.ms=5000\n"
                   "task.shutdown.graceful.timeout.ms=2000\n");
  constexpr int64_t kRecords = 6000;
  run.WriteConnectorConfig(kRecords, /*cardinality=*/25, /*rate=*/200,
                           "errors.retry.delay.max.ms=2000\n");
  // Down 8 s: the open transaction fails (or times out) and the task rewinds with a new producer.
  std::unique_ptr<Subprocess> worker = RunThroughABrokerRestart(run, kRecords, 8);
  const std::string log = ReadFileForMessage(run.log_path());
  EXPECT_TRUE(worker->running()) << log;
  EXPECT_EQ(log.find("task failed"), std::string::npos) << log;
  EXPECT_EQ(run.CommittedSeq(), kRecords - 1) << log;
  worker->Signal(SIGTERM);
  EXPECT_EQ(worker->Wait(absl::Seconds(30)), 0) << ReadFileForMessage(run.log_path());
  ExpectEachRecordOnceInKeyOrder(run, kRecords);
}

// Issue 19: a task that could not start because the broker was down (its offsets unreadable)
// stayed FAILED. Its start now goes through the task's restarts: StartTask succeeds during the
// outage, and once the broker is back the task reads its offsets and delivers every record.
TEST(BrokerOutage, ATaskStartedWhileTheBrokerIsDownRunsOnceItIsBack) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaScratchPort()).ok());
  const std::string name = UniqueName("start-outage");
  absl::StatusOr<std::unique_ptr<worker::Worker>> running = worker::Worker::Create(
      InProcessWorkerConfig(name, absl::StrCat(BinaryDir(), "/plugins"),
                            KafkaScratchBootstrap()),
      StderrLogSink());
  ASSERT_TRUE(running.ok()) << running.status();
  worker::ConnectorConfig connector;
  connector.name = name;
  connector.connector_class = "generator";
  connector.errors_retry_delay_max = absl::Seconds(2);
  const std::string topic = name + ".records";
  connector.config = {
      {"name", name}, {"connector.class", "generator"}, {"topic", topic}, {"max.records", "50"}};
  absl::StatusOr<std::vector<ConfigMap>> tasks = (*running)->StartConnectorOnly(connector);
  ASSERT_TRUE(tasks.ok()) << tasks.status();
  ASSERT_EQ(tasks->size(), 1u);

  // Down long enough for the worker's read of the offsets topic (60 s) to give up.
  std::thread outage([] { EXPECT_EQ(RestartScratchBroker(70), 0); });
  ASSERT_TRUE(Eventually([] { return !CheckServiceReachable("kafka", KafkaScratchPort()).ok(); },
                         absl::Seconds(20), absl::Milliseconds(100)));
  const absl::Status started = (*running)->StartTask(name, 0, (*tasks)[0]);
  EXPECT_TRUE(started.ok()) << started;
  outage.join();
  if (started.ok()) {
    const worker::TaskView* task = (*running)->Task(name, 0);
    ASSERT_NE(task, nullptr);
    EXPECT_TRUE(Eventually([&] { return task->records_sent() >= 50; }, absl::Seconds(90),
                           absl::Milliseconds(500)))
        << task->failure();
    EXPECT_EQ(task->state(), worker::TaskState::kRunning) << task->failure();
    // Every record in the topic (a replayed tail may repeat some).
    std::set<std::string> values;
    EXPECT_TRUE(Eventually(
        [&] {
          absl::StatusOr<std::vector<ConsumedRecord>> records =
              ReadWholeTopic(KafkaScratchBootstrap(), topic);
          if (!records.ok()) return false;
          for (const ConsumedRecord& r : *records) values.insert(r.value.value_or(""));
          return values.size() == 50;
        },
        absl::Seconds(30), absl::Milliseconds(500)))
        << values.size() << " distinct records of 50";
  }
  (*running)->StopAll();
}

}  // namespace
}  // namespace sluice::testing
