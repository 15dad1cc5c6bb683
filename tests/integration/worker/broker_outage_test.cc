// `sluice worker` rides out a broker outage: the scratch broker is killed and stays down longer
// than delivery.timeout.ms, then starts again on its data; the task restarts itself from its
// committed offsets and every generated record reaches Kafka.
#include <signal.h>

#include <cstdlib>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/worker/generator_run.h"
#include "tests/support/eventually.h"
#include "tests/support/service_endpoints.h"

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

}  // namespace
}  // namespace sluice::testing
