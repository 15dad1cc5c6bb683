// Exactly-once delivery (exactly.once.source.support=enabled) of `sluice worker` with the example
// connector on the real broker: kill -9 rounds mid-stream, with poll and with connector-defined
// transaction boundaries, and two workers running one connector (the older one is fenced). After
// each run a read_committed consumer must see every generated record exactly once, in per-key
// order, and the committed offset must be the last record.
#include <signal.h>

#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/worker/generator_run.h"
#include "tests/support/eventually.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

constexpr char kExactlyOnce[] = "exactly.once.source.support=enabled\n";

// Kills the worker with -9 `rounds` times at random moments, then lets one run to the end.
void KillNineRounds(GeneratorRun& run, int rounds, int64_t records) {
  const unsigned seed = static_cast<unsigned>(absl::ToUnixMicros(absl::Now()));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(1500, 4000);
  SCOPED_TRACE(absl::StrCat("kill delays seeded with ", seed));
  for (int round = 0; round < rounds; ++round) {
    std::unique_ptr<Subprocess> worker = run.StartWorker();
    absl::SleepFor(absl::Milliseconds(delay_ms(random)));
    ASSERT_TRUE(worker->running()) << "worker ended before the kill; log:\n"
                                   << ReadFileForMessage(run.log_path());
    worker->Signal(SIGKILL);
    ASSERT_EQ(worker->Wait(absl::Seconds(10)), 128 + SIGKILL);
  }
  run.RunUntilCommitted(records - 1);
}

TEST(ExactlyOnce, KillNineRoundsWithPollBoundariesDeliverEachRecordOnce) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  GeneratorRun run("eos-poll", GeneratorRun::Plugins::kBuild, KafkaBootstrap(), kExactlyOnce);
  constexpr int64_t kRecords = 20000;
  run.WriteConnectorConfig(kRecords, /*cardinality=*/50, /*rate=*/3000,
                           "exactly.once.support=required\n");
  KillNineRounds(run, 5, kRecords);
  ExpectEachRecordOnceInKeyOrder(run, kRecords);
  const std::string log = ReadFileForMessage(run.log_path());
  EXPECT_EQ(log.find("task failed"), std::string::npos) << log;
}

TEST(ExactlyOnce, KillNineRoundsWithConnectorBoundariesDeliverEachRecordOnce) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  GeneratorRun run("eos-connector", GeneratorRun::Plugins::kBuild, KafkaBootstrap(), kExactlyOnce);
  // A boundary every 37 records, so transactions end inside polls (batch.size=200) and span them;
  // the last record ends one (400 * 37), so its offset is committed.
  constexpr int64_t kRecords = 14800;
  run.WriteConnectorConfig(kRecords, /*cardinality=*/40, /*rate=*/3000,
                           "transaction.boundary=connector\ntransaction.records=37\n");
  KillNineRounds(run, 4, kRecords);
  ExpectEachRecordOnceInKeyOrder(run, kRecords);
}

TEST(ExactlyOnce, IntervalBoundariesAndTheConnectorsOwnOffsetsTopicResumeExactly) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  GeneratorRun run("eos-interval", GeneratorRun::Plugins::kBuild, KafkaBootstrap(), kExactlyOnce);
  const std::string own_offsets = run.topic() + ".own-offsets";
  const std::string settings = absl::StrCat(
      "transaction.boundary=interval\n"
      "transaction.boundary.interval.ms=250\n"
      "offsets.storage.topic=",
      own_offsets, "\n");
  run.set_offsets_topic(own_offsets);
  run.WriteConnectorConfig(3000, /*cardinality=*/10, /*rate=*/2000, settings);
  run.RunUntilCommitted(2999);
  // A restart resumes from the connector's own topic; the worker's never saw its offsets.
  run.WriteConnectorConfig(4000, /*cardinality=*/10, /*rate=*/2000, settings);
  run.RunUntilCommitted(3999);
  ExpectEachRecordOnceInKeyOrder(run, 4000);
  run.set_offsets_topic(run.worker_offsets_topic());
  EXPECT_EQ(run.CommittedSeq(), std::nullopt);
}

TEST(ExactlyOnce, ASecondWorkerOnTheSameConnectorFencesTheFirst) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  GeneratorRun run("eos-fence", GeneratorRun::Plugins::kBuild, KafkaBootstrap(), kExactlyOnce);
  constexpr int64_t kRecords = 12000;
  run.WriteConnectorConfig(kRecords, /*cardinality=*/30, /*rate=*/2000);
  std::unique_ptr<Subprocess> first = run.StartWorker();
  ASSERT_TRUE(Eventually(
      [&] {
        std::optional<int64_t> seq = run.CommittedSeq();
        return (seq.has_value() && *seq >= 1000) || !first->running();
      },
      absl::Seconds(60), absl::Milliseconds(200)))
      << ReadFileForMessage(run.log_path());
  ASSERT_TRUE(first->running()) << ReadFileForMessage(run.log_path());

  // The first worker freezes (a zombie: a long GC-like stall) until the group forgets it; a
  // second worker on the same group.id may then start (it would refuse beside a live member).
  // Same group.id and connector: the same transactional.id. The second task's producer fences the
  // first's, whose next transaction, once it wakes, fails: it must end FAILED without writing,
  // not restart and fence back.
  first->Signal(SIGSTOP);
  std::unique_ptr<Subprocess> second;
  ASSERT_TRUE(Eventually(
      [&] {
        second = run.StartWorker();
        // Refused (the frozen worker is still a member): exits within its wait; try again.
        return !second->Wait(absl::Seconds(12)).has_value();
      },
      absl::Seconds(60), absl::Milliseconds(200)))
      << ReadFileForMessage(run.log_path());
  first->Signal(SIGCONT);
  EXPECT_TRUE(Eventually(
      [&] { return ReadFileForMessage(run.log_path()).find("fenced") != std::string::npos; },
      absl::Seconds(60), absl::Milliseconds(200)))
      << ReadFileForMessage(run.log_path());
  EXPECT_TRUE(Eventually(
      [&] {
        std::optional<int64_t> seq = run.CommittedSeq();
        return (seq.has_value() && *seq == kRecords - 1) || !second->running();
      },
      absl::Seconds(120), absl::Milliseconds(200)))
      << ReadFileForMessage(run.log_path());
  ASSERT_TRUE(second->running()) << ReadFileForMessage(run.log_path());
  second->Signal(SIGTERM);
  EXPECT_EQ(second->Wait(absl::Seconds(30)), 0) << ReadFileForMessage(run.log_path());
  first->Signal(SIGTERM);
  (void)first->Wait(absl::Seconds(30));
  ExpectEachRecordOnceInKeyOrder(run, kRecords);
}

}  // namespace
}  // namespace sluice::testing
