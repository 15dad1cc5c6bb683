// `sluice worker` with the example connector on the real broker.
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "runtime/plugin/host_context.h"
#include "runtime/config/properties.h"
#include "runtime/config/worker_config.h"
#include "runtime/kafka/topic_admin.h"
#include "runtime/worker/connector_config.h"
#include "runtime/worker/worker.h"
#include "tests/integration/worker/generator_run.h"
#include "tests/integration/worker/in_process_worker.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/test_files.h"

namespace sluice::testing {
namespace {

// Polls `done` every 200 ms until it holds or `timeout` passes.
template <typename Predicate>
bool Eventually(Predicate done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(200));
  }
  return true;
}

TEST(Worker, RecordsAreKeyedOrderedAndPartitionedAsJavaWouldAndAStopResumes) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  GeneratorRun run("keyed");
  run.WriteConnectorConfig(/*max_records=*/2000, /*cardinality=*/20, /*rate=*/0);
  run.RunUntilCommitted(1999);

  std::vector<GeneratedRecord> records = run.ReadRecords();
  ASSERT_EQ(records.size(), 2000u);
  std::set<int64_t> seqs;
  std::map<std::string, int64_t> last_seq_of_key;
  for (const GeneratedRecord& record : records) {
    seqs.insert(record.seq);
    EXPECT_EQ(record.id, record.seq % 20);
    EXPECT_EQ(record.key, absl::StrCat("{\"id\":", record.id, "}"));
    EXPECT_EQ(record.partition, ExpectedPartition(record.key, 3)) << record.key;
    // Records come back in partition then offset order; all of a key's share one partition.
    auto [it, first] = last_seq_of_key.try_emplace(record.key, record.seq);
    if (!first) {
      EXPECT_GT(record.seq, it->second) << "key " << record.key << " out of order";
      it->second = record.seq;
    }
  }
  EXPECT_EQ(seqs.size(), 2000u);
  EXPECT_EQ(*seqs.begin(), 0);
  EXPECT_EQ(*seqs.rbegin(), 1999);

  // A restart resumes after the committed offset: 1000 new records, none repeated.
  run.WriteConnectorConfig(/*max_records=*/3000, /*cardinality=*/20, /*rate=*/0);
  run.RunUntilCommitted(2999);
  records = run.ReadRecords();
  ASSERT_EQ(records.size(), 3000u) << "a graceful stop commits exactly what was sent";
  seqs.clear();
  for (const GeneratedRecord& record : records) seqs.insert(record.seq);
  EXPECT_EQ(seqs.size(), 3000u);
}

TEST(Worker, KillNineRoundsLoseNothingAndNeverCommitAheadOfTheData) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  GeneratorRun run("crash");
  constexpr int64_t kRecords = 30000;
  constexpr int64_t kKeys = 50;
  run.WriteConnectorConfig(kRecords, kKeys, /*rate=*/5000);
  const unsigned seed = static_cast<unsigned>(absl::ToUnixMicros(absl::Now()));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(700, 2500);
  SCOPED_TRACE(absl::StrCat("kill delays seeded with ", seed));

  for (int round = 0; round < 4; ++round) {
    std::unique_ptr<Subprocess> worker = run.StartWorker();
    absl::SleepFor(absl::Milliseconds(delay_ms(random)));
    ASSERT_TRUE(worker->running()) << "worker ended before the kill; log:\n"
                                   << ReadFileForMessage(run.log_path());
    worker->Signal(SIGKILL);
    ASSERT_EQ(worker->Wait(absl::Seconds(10)), 128 + SIGKILL);

    // Whatever was committed must be in Kafka, with everything before it.
    const std::optional<int64_t> committed = run.CommittedSeq();
    std::set<int64_t> present;
    for (const GeneratedRecord& record : run.ReadRecords()) present.insert(record.seq);
    if (committed.has_value()) {
      for (int64_t seq = 0; seq <= *committed; ++seq) {
        ASSERT_TRUE(present.contains(seq))
            << "round " << round << ": offset " << *committed << " committed but record " << seq
            << " is not in Kafka";
      }
    }
  }

  run.RunUntilCommitted(kRecords - 1);
  std::vector<GeneratedRecord> records = run.ReadRecords();
  std::set<int64_t> present;
  std::map<std::string, int64_t> last_first_occurrence;
  for (const GeneratedRecord& record : records) {
    if (!present.insert(record.seq).second) continue;  // a replay: allowed by at-least-once
    auto [it, first] = last_first_occurrence.try_emplace(record.key, record.seq);
    if (!first) {
      EXPECT_GT(record.seq, it->second) << "first occurrences of key " << record.key
                                        << " out of order";
      it->second = record.seq;
    }
  }
  EXPECT_EQ(present.size(), static_cast<size_t>(kRecords)) << "records lost";
  EXPECT_EQ(*present.rbegin(), kRecords - 1);
  EXPECT_GE(records.size(), static_cast<size_t>(kRecords));
}

// Writes the first `bytes` of `from` to `to` (0755) in one open-write-close, as a copy cut short.
void WriteTruncatedCopy(const std::string& from, const std::string& to, size_t bytes) {
  std::ifstream in(from, std::ios::binary);
  std::string head(bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(bytes));
  ASSERT_EQ(in.gcount(), static_cast<std::streamsize>(bytes)) << from << " is too short";
  std::ofstream(to, std::ios::binary | std::ios::trunc).write(head.data(), head.size());
  ASSERT_EQ(chmod(to.c_str(), 0755), 0);
}

TEST(Worker, ATruncatedPluginAtStartOrDroppedInIsRefusedWithTheReasonAndTheWorkerGoesOn) {
  // The case: the first 64 KiB of the MySQL connector killed the worker with SIGBUS
  // (exit 135) at start and when dropped into a running worker's plugin folder.
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  const std::string plugins = absl::StrCat(BinaryDir(), "/plugins");
  GeneratorRun run("truncated", GeneratorRun::Plugins::kOwnFolder);
  std::filesystem::copy_file(plugins + "/sluice_generator.so",
                             run.plugin_dir() + "/sluice_generator.so");
  WriteTruncatedCopy(plugins + "/sluice_mysql.so", run.plugin_dir() + "/sluice_mysql.so", 65536);
  run.WriteConnectorConfig(/*max_records=*/100, /*cardinality=*/10, /*rate=*/0);

  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_TRUE(worker->started());
  const auto log_has = [&](const std::string& text) {
    return ReadFileForMessage(run.log_path()).find(text) != std::string::npos;
  };
  ASSERT_TRUE(Eventually(
      [&] {
        std::optional<int64_t> seq = run.CommittedSeq();
        return (seq.has_value() && *seq >= 99 && run.RunningLines() > 0) || !worker->running();
      },
      absl::Seconds(120)));
  ASSERT_TRUE(worker->running()) << "the worker ended; its log:\n"
                                 << ReadFileForMessage(run.log_path());
  EXPECT_TRUE(
      log_has(absl::StrCat("plugin ", run.plugin_dir(), "/sluice_mysql.so refused: truncated")))
      << ReadFileForMessage(run.log_path());

  // The same cut-short copy dropped into the running worker's folder.
  WriteTruncatedCopy(plugins + "/sluice_mysql.so", run.plugin_dir() + "/dropped.so", 65536);
  const std::string refusal =
      absl::StrCat("plugin ", run.plugin_dir(), "/dropped.so refused: truncated");
  EXPECT_TRUE(
      Eventually([&] { return log_has(refusal) || !worker->running(); }, absl::Seconds(30)));
  ASSERT_TRUE(worker->running()) << "the drop-in ended the worker; its log:\n"
                                 << ReadFileForMessage(run.log_path());
  EXPECT_TRUE(log_has(refusal)) << ReadFileForMessage(run.log_path());

  worker->Signal(SIGTERM);
  EXPECT_EQ(worker->Wait(absl::Seconds(30)), 0) << ReadFileForMessage(run.log_path());
}

TEST(Worker, AFailingConnectorTaskEndsFailedWithItsErrorKept) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  const std::string name = UniqueName("failing");
  absl::StatusOr<std::unique_ptr<worker::Worker>> running = worker::Worker::Create(
      InProcessWorkerConfig(name, absl::StrCat(BinaryDir(), "/plugins")),
      StderrLogSink());
  ASSERT_TRUE(running.ok()) << running.status();
  worker::ConnectorConfig connector;
  connector.name = name;
  connector.connector_class = "generator";
  // The 5th poll fails with code 13 (INTERNAL): not transient.
  connector.config = {{"name", name},          {"connector.class", "generator"},
                      {"topic", name + ".records"}, {"fail.on.poll", "5"},
                      {"fail.code", "13"},       {"batch.size", "10"}};
  ASSERT_TRUE((*running)->StartConnector(connector).ok());
  const worker::TaskView* task = nullptr;
  ASSERT_TRUE(Eventually(
      [&] {
        auto tasks = (*running)->Tasks(name);
        task = tasks.empty() ? nullptr : tasks[0];
        return task != nullptr && task->state() == worker::TaskState::kFailed;
      },
      absl::Seconds(30)));
  const absl::Status failure = task->failure();
  EXPECT_TRUE(absl::IsInternal(failure)) << failure;
  EXPECT_NE(failure.message().find(name), absl::string_view::npos)
      << "the error names the connector: " << failure;
  // Records of the four good polls were sent and are the only ones committed.
  EXPECT_EQ(task->records_sent(), 40);
  (*running)->StopAll();
}

TEST(Worker, AnUnavailablePollIsRetriedAndTheTaskGoesOn) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  const std::string name = UniqueName("transient");
  absl::StatusOr<std::unique_ptr<worker::Worker>> running = worker::Worker::Create(
      InProcessWorkerConfig(name, absl::StrCat(BinaryDir(), "/plugins")),
      StderrLogSink());
  ASSERT_TRUE(running.ok()) << running.status();
  worker::ConnectorConfig connector;
  connector.name = name;
  connector.connector_class = "generator";
  // The 5th poll fails with code 14 (UNAVAILABLE): retried, not fatal.
  connector.config = {{"name", name},          {"connector.class", "generator"},
                      {"topic", name + ".records"}, {"fail.on.poll", "5"},
                      {"fail.code", "14"},       {"batch.size", "10"},
                      {"max.records", "100"}};
  ASSERT_TRUE((*running)->StartConnector(connector).ok());
  EXPECT_TRUE(Eventually(
      [&] {
        auto tasks = (*running)->Tasks(name);
        return !tasks.empty() && tasks[0]->records_sent() == 100;
      },
      absl::Seconds(30)));
  auto tasks = (*running)->Tasks(name);
  ASSERT_FALSE(tasks.empty());
  EXPECT_EQ(tasks[0]->state(), worker::TaskState::kRunning) << tasks[0]->failure();
  (*running)->StopAll();
}

TEST(Worker, APluginDroppedIntoTheRunningWorkersPathBecomesUsable) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  const std::string binary_dir = BinaryDir();
  const std::string name = UniqueName("dropin");
  const std::string plugin_dir = absl::StrCat(binary_dir, "/tests/integration/worker/", name, "-plugins");
  ASSERT_EQ(mkdir(plugin_dir.c_str(), 0755), 0);

  absl::StatusOr<std::unique_ptr<worker::Worker>> running =
      worker::Worker::Create(InProcessWorkerConfig(name, plugin_dir), StderrLogSink());
  ASSERT_TRUE(running.ok()) << running.status();

  worker::ConnectorConfig connector;
  connector.name = name;
  connector.connector_class = "generator";
  connector.config = {{"name", name}, {"connector.class", "generator"}, {"topic", name + ".records"},
                      {"max.records", "9"}};
  absl::Status before = (*running)->StartConnector(connector);
  EXPECT_TRUE(absl::IsNotFound(before)) << before;

  std::filesystem::copy_file(binary_dir + "/plugins/sluice_generator.so",
                             plugin_dir + "/sluice_generator.so");
  absl::Status after;
  EXPECT_TRUE(Eventually([&] { return (after = (*running)->StartConnector(connector)).ok(); },
                         absl::Seconds(15)))
      << after;
  EXPECT_TRUE(Eventually(
      [&] {
        auto tasks = (*running)->Tasks(name);
        return !tasks.empty() && tasks[0]->records_sent() == 9;  // max.records
      },
      absl::Seconds(30)));
  (*running)->StopAll();
}

// A connector's topic.creation.* groups (KIP-158) on the real broker: each new topic is created
// with its group's partitions and topic configs, read back with DescribeConfigs.
TEST(Worker, AConnectorsTopicCreationGroupsMakeItsTopics) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  const std::string name = UniqueName("groups");
  absl::StatusOr<std::unique_ptr<worker::Worker>> running = worker::Worker::Create(
      InProcessWorkerConfig(name, absl::StrCat(BinaryDir(), "/plugins")),
      StderrLogSink());
  ASSERT_TRUE(running.ok()) << running.status();
  // Two connectors with the same rules: one writes to a topic the `compacted` group takes, the
  // other to one only the default group takes.
  auto config_for = [&](const std::string& connector, const std::string& topic) {
    return ConfigMap{{"name", connector},
                     {"connector.class", "generator"},
                     {"topic", topic},
                     {"max.records", "20"},
                     {"topic.creation.groups", "compacted"},
                     {"topic.creation.compacted.include", ".*\\.users, .*\\.config"},
                     {"topic.creation.compacted.partitions", "2"},
                     {"topic.creation.compacted.cleanup.policy", "compact"},
                     {"topic.creation.compacted.compression.type", "zstd"},
                     {"topic.creation.default.replication.factor", "1"},
                     {"topic.creation.default.partitions", "5"},
                     {"topic.creation.default.retention.ms", "3600000"}};
  };
  const std::string users = name + ".users";
  const std::string orders = name + ".orders";
  for (const auto& [connector, topic] :
       {std::pair<std::string, std::string>{name + "-u", users}, {name + "-o", orders}}) {
    absl::StatusOr<worker::ConnectorConfig> config =
        worker::ConnectorConfigFromMap(config_for(connector, topic));
    ASSERT_TRUE(config.ok()) << config.status();
    ASSERT_TRUE((*running)->StartConnector(*config).ok());
  }
  for (const std::string& connector : {name + "-u", name + "-o"}) {
    EXPECT_TRUE(Eventually(
        [&] {
          auto tasks = (*running)->Tasks(connector);
          return !tasks.empty() && tasks[0]->records_sent() == 20;
        },
        absl::Seconds(30)))
        << connector;
  }
  (*running)->StopAll();

  absl::StatusOr<std::unique_ptr<kafka::TopicAdmin>> admin =
      kafka::TopicAdmin::Create({KafkaBootstrap(), {}, absl::Seconds(30)});
  ASSERT_TRUE(admin.ok()) << admin.status();
  absl::StatusOr<kafka::TopicDescription> compacted = (*admin)->DescribeTopic(users);
  ASSERT_TRUE(compacted.ok()) << compacted.status();
  EXPECT_EQ(compacted->partitions, 2);
  EXPECT_EQ((*admin)->TopicConfigValue(users, "cleanup.policy").value_or("?"), "compact");
  EXPECT_EQ((*admin)->TopicConfigValue(users, "compression.type").value_or("?"), "zstd");
  EXPECT_NE((*admin)->TopicConfigValue(users, "retention.ms").value_or("?"), "3600000")
      << "the default group's topic configs are not the compacted group's";

  absl::StatusOr<kafka::TopicDescription> plain = (*admin)->DescribeTopic(orders);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->partitions, 5);
  EXPECT_EQ((*admin)->TopicConfigValue(orders, "retention.ms").value_or("?"), "3600000");
  EXPECT_EQ((*admin)->TopicConfigValue(orders, "cleanup.policy").value_or("?"), "delete");
}

// errors.tolerance=all on the real broker: the records a transform fails on are skipped, the
// others reach the topic, and the offsets move past the skipped ones.
TEST(Worker, UnderErrorsToleranceAllRecordsATransformFailsOnAreSkipped) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  const std::string name = UniqueName("tolerant");
  absl::StatusOr<std::unique_ptr<worker::Worker>> running = worker::Worker::Create(
      InProcessWorkerConfig(name, absl::StrCat(BinaryDir(), "/plugins")),
      StderrLogSink());
  ASSERT_TRUE(running.ok()) << running.status();
  absl::StatusOr<worker::ConnectorConfig> config = worker::ConnectorConfigFromMap(
      {{"name", name},
       {"connector.class", "generator"},
       {"topic", name + ".records"},
       {"max.records", "50"},
       {"mark.every", "5"},
       {"transforms", "bad"},
       {"transforms.bad.type", "org.apache.kafka.connect.transforms.ExtractField$Value"},
       {"transforms.bad.field", "missing"},
       {"transforms.bad.predicate", "marked"},
       {"predicates", "marked"},
       {"predicates.marked.type", "org.apache.kafka.connect.transforms.predicates.HasHeaderKey"},
       {"predicates.marked.name", "generator.mark"},
       {"errors.tolerance", "all"},
       {"errors.log.enable", "true"}});
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE((*running)->StartConnector(*config).ok());
  const worker::TaskView* task = nullptr;
  EXPECT_TRUE(Eventually(
      [&] {
        auto tasks = (*running)->Tasks(name);
        task = tasks.empty() ? nullptr : tasks[0];
        return task != nullptr && task->errors().records_skipped == 10;
      },
      absl::Seconds(30)));
  ASSERT_NE(task, nullptr);
  EXPECT_TRUE(Eventually([&] { return task->records_sent() == 40; }, absl::Seconds(30)));
  EXPECT_EQ(task->state(), worker::TaskState::kRunning) << task->failure();
  EXPECT_EQ(task->errors().errors_logged, 10);
  (*running)->StopAll();
  absl::StatusOr<std::vector<ConsumedRecord>> records =
      ReadWholeTopic(KafkaBootstrap(), name + ".records");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(records->size(), 40u);
}

}  // namespace
}  // namespace sluice::testing
