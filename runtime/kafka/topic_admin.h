// Creating and inspecting topics: the worker's compacted internal topics at start, and a
// connector's data topics on first use.
#ifndef SLUICE_RUNTIME_KAFKA_TOPIC_ADMIN_H_
#define SLUICE_RUNTIME_KAFKA_TOPIC_ADMIN_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/config/worker_config.h"
#include "runtime/kafka/handles.h"

namespace sluice::kafka {

struct TopicSpec {
  std::string name;
  int32_t partitions = -1;                     // -1 = broker default
  int16_t replication_factor = -1;             // -1 = broker default
  std::map<std::string, std::string> configs;  // e.g. {"cleanup.policy", "compact"}
};

struct TopicDescription {
  std::string name;
  int32_t partitions = 0;
};

class TopicAdmin {
 public:
  struct Options {
    std::string bootstrap_servers;
    std::map<std::string, std::string> overrides;  // `admin.*`, prefix removed
    absl::Duration timeout = absl::Seconds(30);    // per admin request
  };
  static absl::StatusOr<std::unique_ptr<TopicAdmin>> Create(const Options& options);

  // Creates `spec` unless a topic of that name exists (then OK, whatever its settings). Waits
  // until the new topic's metadata is visible, so an immediate produce finds it.
  // FailedPrecondition when the cluster refuses the settings (e.g. replication factor above the
  // number of brokers), with the fix named.
  absl::Status CreateTopicIfMissing(const TopicSpec& spec);

  // OK when a broker of the cluster answers a metadata request within `timeout`; Unavailable (or
  // DeadlineExceeded) with librdkafka's reason otherwise. The client keeps connecting in the
  // background between calls, so a later call can succeed at once.
  absl::Status Ping(absl::Duration timeout);

  // The cluster's id (what Kafka Connect's GET / reports as kafka_cluster_id); Unavailable when
  // no broker told it within `timeout`.
  absl::StatusOr<std::string> ClusterId(absl::Duration timeout);

  // NotFound when the topic does not exist.
  absl::StatusOr<TopicDescription> DescribeTopic(const std::string& name);

  // The topic's effective value of config `key` (e.g. "cleanup.policy").
  absl::StatusOr<std::string> TopicConfigValue(const std::string& name, const std::string& key);

  // The offsets, configs and status topics of `config`, created compacted when missing with their
  // configured partitions and replication. An existing one that is not compacted is refused, as
  // Kafka Connect refuses it: deleting old offsets would lose a connector's position.
  absl::Status EnsureInternalTopics(const config::WorkerConfig& config);

  // One such topic (`key` names its setting in errors): created compacted when missing, refused
  // when it exists and is not compacted. Also a connector's own `offsets.storage.topic`.
  absl::Status EnsureCompacted(const config::InternalTopicSettings& topic, absl::string_view key);

 private:
  explicit TopicAdmin(absl::Duration timeout) : timeout_(timeout) {}

  const absl::Duration timeout_;
  KafkaHandle rk_;
};

// What a source task needs before it writes to a topic: that the topic exists. DataTopicCreator
// in production; a fake in the task loop's unit tests (tests/unit/worker). A task asks once per
// change of topic, not per record.
class DataTopics {
 public:
  virtual ~DataTopics() = default;
  // OK once `topic` exists. NotFound when it is missing and may not be created.
  virtual absl::Status EnsureExists(const std::string& topic) = 0;
};

// Creates data topics the first time a task produces to them (`topic.creation.enable`), and
// remembers which exist so the hot path costs one hash lookup. Thread-safe.
class DataTopicCreator : public DataTopics {
 public:
  // `admin` must outlive this. With `enabled` false, EnsureExists only checks existence.
  DataTopicCreator(TopicAdmin* admin, bool enabled, int32_t default_partitions,
                   int16_t default_replication_factor)
      : admin_(admin),
        enabled_(enabled),
        default_partitions_(default_partitions),
        default_replication_factor_(default_replication_factor) {}

  // OK once `topic` exists. NotFound when it is missing and creation is disabled.
  absl::Status EnsureExists(const std::string& topic) override;

 private:
  TopicAdmin* const admin_;
  const bool enabled_;
  const int32_t default_partitions_;
  const int16_t default_replication_factor_;
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> known_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_TOPIC_ADMIN_H_
