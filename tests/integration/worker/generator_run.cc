#include "tests/integration/worker/generator_run.h"

#include <signal.h>
#include <sys/stat.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "runtime/kafka/murmur2.h"
#include "tests/support/eventually.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/test_files.h"

namespace sluice::testing {

GeneratorRun::GeneratorRun(const std::string& name, Plugins plugins, const std::string& bootstrap,
                           const std::string& worker_settings)
    : bootstrap_(bootstrap),
      connector_(UniqueName(name)),
      topic_(connector_ + ".records"),
      worker_offsets_topic_(connector_ + ".offsets"),
      offsets_topic_(worker_offsets_topic_) {
  directory_ = absl::StrCat(BinaryDir(), "/tests/integration/worker/", connector_);
  mkdir(directory_.c_str(), 0755);
  worker_config_ = directory_ + "/worker.properties";
  connector_config_ = directory_ + "/connector.properties";
  log_path_ = directory_ + "/worker.log";
  plugin_dir_ = BinaryDir() + "/plugins";
  if (plugins == Plugins::kOwnFolder) {
    plugin_dir_ = directory_ + "/plugins";
    mkdir(plugin_dir_.c_str(), 0755);
  }
  WriteFile(worker_config_,
            absl::StrCat("bootstrap.servers=", bootstrap_, "\n", "group.id=", connector_, "\n",
                         "offset.storage.topic=", worker_offsets_topic_, "\n", "config.storage.topic=",
                         connector_, ".configs\n", "status.storage.topic=", connector_, ".status\n",
                         "offset.storage.replication.factor=1\n"
                         "config.storage.replication.factor=1\n"
                         "status.storage.replication.factor=1\n"
                         "offset.storage.partitions=3\n"
                         "offset.flush.interval.ms=300\n"
                         // A worker restarted after kill -9 waits for its previous process to
                         // leave the group (cluster/single_worker_guard.h): the broker's shortest
                         // session.
                         "session.timeout.ms=6000\n"
                         "heartbeat.interval.ms=1000\n"
                         "plugin.path=", plugin_dir_, "\n"
                         "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
                         "value.converter=org.apache.kafka.connect.json.JsonConverter\n"
                         "key.converter.schemas.enable=false\n"
                         "value.converter.schemas.enable=false\n"
                         "topic.creation.default.partitions=3\n"
                         "topic.creation.default.replication.factor=1\n"
                         "producer.linger.ms=5\n",
                         worker_settings));
}

void GeneratorRun::WriteConnectorConfig(int64_t max_records, int64_t cardinality, double rate,
                                        const std::string& settings) {
  WriteFile(connector_config_,
            absl::StrCat("name=", connector_, "\n", "connector.class=generator\n", "tasks.max=1\n",
                         "topic=", topic_, "\n", "max.records=", max_records, "\n",
                         "key.cardinality=", cardinality, "\n", "rate.per.sec=", rate, "\n",
                         "batch.size=200\n", settings));
}

std::unique_ptr<Subprocess> GeneratorRun::StartWorker() {
  return std::make_unique<Subprocess>(
      std::vector<std::string>{BinaryDir() + "/runtime/cli/sluice", "worker", "--config",
                               worker_config_, connector_config_},
      log_path_);
}

size_t GeneratorRun::RunningLines() const {
  // docs/logging.md: "<timestamp> INFO  worker <message>"
  constexpr char kWorkerRunningLine[] = " worker running; SIGTERM or SIGINT stops it";
  const std::string log = ReadFileForMessage(log_path_);
  size_t count = 0;
  for (size_t at = log.find(kWorkerRunningLine); at != std::string::npos;
       at = log.find(kWorkerRunningLine, at + 1)) {
    ++count;
  }
  return count;
}

void GeneratorRun::RunUntilCommitted(int64_t last_seq) {
  const size_t started_before = RunningLines();
  std::unique_ptr<Subprocess> worker = StartWorker();
  ASSERT_TRUE(worker->started());
  // Also until this worker is up: an earlier worker (killed with -9) may have committed
  // `last_seq` already, and a SIGTERM before the worker handles it would end it uncleanly.
  const bool committed = Eventually(
      [&] {
        std::optional<int64_t> seq = CommittedSeq();
        return (seq.has_value() && *seq >= last_seq && RunningLines() > started_before) ||
               !worker->running();
      },
      absl::Seconds(120), absl::Milliseconds(200));
  ASSERT_TRUE(committed) << "offset " << last_seq << " never committed; worker log:\n"
                         << ReadFileForMessage(log_path_);
  ASSERT_TRUE(worker->running()) << "the worker ended early; its log:\n"
                                 << ReadFileForMessage(log_path_);
  EXPECT_EQ(CommittedSeq(), last_seq);
  worker->Signal(SIGTERM);
  EXPECT_EQ(worker->Wait(absl::Seconds(30)), 0)
      << "SIGTERM must stop the worker cleanly and soon; its log:\n"
      << ReadFileForMessage(log_path_);
}

std::vector<GeneratedRecord> GeneratorRun::ReadRecords() const {
  std::vector<GeneratedRecord> records;
  absl::StatusOr<std::vector<ConsumedRecord>> consumed = ReadWholeTopic(bootstrap_, topic_);
  if (absl::IsNotFound(consumed.status())) return records;
  EXPECT_TRUE(consumed.ok()) << consumed.status();
  if (!consumed.ok()) return records;
  for (const ConsumedRecord& record : *consumed) {
    GeneratedRecord generated;
    generated.partition = record.partition;
    generated.offset = record.offset;
    generated.key = record.key.value_or("");
    rapidjson::Document value;
    value.Parse(record.value.value_or("null").c_str());
    EXPECT_TRUE(value.IsObject()) << record.value.value_or("<null>");
    if (!value.IsObject()) continue;
    generated.id = value["id"].GetInt64();
    generated.seq = value["seq"].GetInt64();
    records.push_back(std::move(generated));
  }
  return records;
}

std::optional<int64_t> GeneratorRun::CommittedSeq() const {
  absl::StatusOr<std::vector<ConsumedRecord>> consumed = ReadWholeTopic(bootstrap_, offsets_topic_);
  // Polled while the worker creates its topics: a passing error reads as "nothing committed yet";
  // callers that need a value assert on it.
  if (!consumed.ok()) return std::nullopt;
  // Kafka Connect's exact key bytes for this connector's one partition.
  const std::string key =
      absl::StrCat("[\"", connector_, "\",{\"generator\":\"", topic_, "\",\"task\":0}]");
  std::optional<int64_t> seq;
  for (const ConsumedRecord& record : *consumed) {
    if (record.key != key) continue;
    if (!record.value.has_value()) {
      seq.reset();
      continue;
    }
    rapidjson::Document value;
    value.Parse(record.value->c_str());
    if (value.IsObject() && value.HasMember("seq")) seq = value["seq"].GetInt64();
  }
  return seq;
}

// Every seq in [0, records) exactly once; each key's records in increasing seq order.
void ExpectEachRecordOnceInKeyOrder(const GeneratorRun& run, int64_t records) {
  std::map<int64_t, int> times_seen;
  std::map<std::string, int64_t> last_seq_of_key;
  for (const GeneratedRecord& record : run.ReadRecords()) {
    ++times_seen[record.seq];
    auto [it, first] = last_seq_of_key.try_emplace(record.key, record.seq);
    if (!first) {
      EXPECT_GT(record.seq, it->second) << "key " << record.key << " out of order";
      it->second = record.seq;
    }
  }
  int duplicated = 0;
  for (const auto& [seq, times] : times_seen) {
    if (times > 1) ++duplicated;
  }
  EXPECT_EQ(duplicated, 0) << "records seen more than once by a read_committed consumer";
  EXPECT_EQ(times_seen.size(), static_cast<size_t>(records)) << "records missing";
  if (!times_seen.empty()) {
    EXPECT_EQ(times_seen.begin()->first, 0);
    EXPECT_EQ(times_seen.rbegin()->first, records - 1);
  }
}

int32_t ExpectedPartition(const std::string& key, int partitions) {
  return kafka::PartitionForKey(key, partitions);
}

}  // namespace sluice::testing
