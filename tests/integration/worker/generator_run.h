#ifndef SLUICE_TESTS_INTEGRATION_WORKER_GENERATOR_RUN_H_
#define SLUICE_TESTS_INTEGRATION_WORKER_GENERATOR_RUN_H_

// One scenario's files and names: a worker config and a generator connector config, each test
// with its own topics, and helpers to read back what the generator's records became in Kafka.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/subprocess.h"

namespace sluice::testing {

struct GeneratedRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;  // the raw key bytes
  int64_t id = 0;
  int64_t seq = 0;
};

class GeneratorRun {
 public:
  // Where the worker's plugin.path points: the build's plugins, or a folder of this scenario's
  // own (plugin_dir(), mode 0755, empty) for tests that put files there.
  enum class Plugins { kBuild, kOwnFolder };

  // `name` makes the connector, topics and files unique to this scenario; `bootstrap` is the
  // broker (the `kafka` fixture's by default); `worker_settings` lines are added to the worker
  // config.
  explicit GeneratorRun(const std::string& name, Plugins plugins = Plugins::kBuild,
                        const std::string& bootstrap = KafkaBootstrap(),
                        const std::string& worker_settings = "");

  // Writes the connector config: `max_records` records, `cardinality` keys, at `rate` per second
  // (0 = as fast as possible); `settings` lines are added.
  void WriteConnectorConfig(int64_t max_records, int64_t cardinality, double rate,
                            const std::string& settings = "");

  std::unique_ptr<Subprocess> StartWorker();

  // How many times the worker log says a worker is up and handling SIGTERM.
  size_t RunningLines() const;
  // Runs a worker until the generator's offset `last_seq` is committed, then stops it with
  // SIGTERM and expects a clean exit (gtest assertions).
  void RunUntilCommitted(int64_t last_seq);

  std::vector<GeneratedRecord> ReadRecords() const;
  // The generator's last committed `seq`, from the offsets topic; nullopt when none (or when the
  // topic cannot be read yet).
  std::optional<int64_t> CommittedSeq() const;

  // Where CommittedSeq reads: the worker's offsets topic, or a connector's own
  // (`offsets.storage.topic`).
  const std::string& worker_offsets_topic() const { return worker_offsets_topic_; }
  void set_offsets_topic(const std::string& topic) { offsets_topic_ = topic; }

  const std::string& topic() const { return topic_; }
  const std::string& log_path() const { return log_path_; }
  const std::string& worker_config_path() const { return worker_config_; }
  const std::string& connector_config_path() const { return connector_config_; }
  const std::string& plugin_dir() const { return plugin_dir_; }

 private:
  std::string bootstrap_;
  std::string connector_;
  std::string topic_;
  std::string worker_offsets_topic_;
  std::string offsets_topic_;  // where CommittedSeq reads
  std::string directory_;
  std::string worker_config_;
  std::string connector_config_;
  std::string log_path_;
  std::string plugin_dir_;
};

// What exactly-once promises a read_committed consumer of `run`'s topic (gtest expectations):
// every seq in [0, records) exactly once, each key's records in increasing seq order.
void ExpectEachRecordOnceInKeyOrder(const GeneratorRun& run, int64_t records);

// Kafka's partition for these key bytes among `partitions` (the Java client's murmur2 choice).
int32_t ExpectedPartition(const std::string& key, int partitions);

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_INTEGRATION_WORKER_GENERATOR_RUN_H_
