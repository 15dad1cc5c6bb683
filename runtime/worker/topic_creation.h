// A connector's own topic creation rules (Kafka Connect's KIP-158): the `topic.creation.*` keys of
// a source connector's config.
//
//   topic.creation.groups=compacted,big              (optional; in this order)
//   topic.creation.default.replication.factor=3      (required once any topic.creation.* is set)
//   topic.creation.default.partitions=1              (required likewise; -1 = the broker's default)
//   topic.creation.compacted.include=shop\.users, shop\.config.*   (Java regexes, whole name)
//   topic.creation.compacted.exclude=...
//   topic.creation.compacted.cleanup.policy=compact  (any other setting: a topic config)
//   topic.creation.big.partitions=12                 (a group's missing partitions/replication
//                                                     factor are the default group's)
//
// A topic the connector writes to for the first time is created with the first listed group it
// matches (an include pattern matches its whole name and no exclude pattern does), else with the
// default group, as Kafka Connect's TopicCreation does. A group's topic configs are its own: the
// default group's are not added to another group's. Kafka Connect ignores
// `topic.creation.default.include/exclude` and `default` listed in `topic.creation.groups`; both
// are warned about here.
//
// Sluice differs in two places, each so that no setting is dropped without a word: keys under
// `topic.creation.<group>.` for a group `topic.creation.groups` does not list are refused (Kafka
// Connect ignores them), and so is any topic.creation.* key when the worker's
// `topic.creation.enable` is false (Kafka Connect then ignores them all).
//
// Thread-safety: a TopicCreationRules is immutable once made.
#ifndef SLUICE_RUNTIME_WORKER_TOPIC_CREATION_H_
#define SLUICE_RUNTIME_WORKER_TOPIC_CREATION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/container/flat_hash_set.h"
#include "runtime/common/config_map.h"
#include "runtime/kafka/topic_admin.h"
#include "runtime/transform/java_regex.h"
#include "runtime/worker/exactly_once_config.h"

namespace sluice::worker {

class TopicCreationRules {
 public:
  // The rules `config` declares; nullopt when it has no topic.creation.* key. Each problem is
  // added to `errors` (key, message) and each key accepted without effect to `warnings`; with an
  // error the result is nullopt. `worker_enabled` is the worker's topic.creation.enable.
  static std::optional<TopicCreationRules> From(const ConfigMap& config, bool worker_enabled,
                                                KeyErrors* errors, KeyErrors* warnings);

  // The topic to create for `topic`: its group's partitions, replication factor and configs.
  kafka::TopicSpec SpecFor(const std::string& topic) const;

 private:
  struct Group {
    std::string name;
    std::vector<transform::JavaRegex> include;
    std::vector<transform::JavaRegex> exclude;
    std::optional<int32_t> partitions;          // -1: the broker's default; unset: the default
    std::optional<int16_t> replication_factor;  // group's (always set for that one)
    std::map<std::string, std::string> configs;
    bool Matches(const std::string& topic) const;
  };
  Group default_;
  std::vector<Group> groups_;  // in topic.creation.groups' order, `default` left out
};

// A connector's data topics created by its rules on first use, through the worker's admin client.
// Remembers the topics that exist, so a task asks the broker once per topic. Thread-safe.
class ConnectorTopicCreator : public kafka::DataTopics {
 public:
  // `admin` must outlive this.
  ConnectorTopicCreator(kafka::TopicAdmin* admin, TopicCreationRules rules)
      : admin_(admin), rules_(std::move(rules)) {}

  absl::Status EnsureExists(const std::string& topic) override;

 private:
  kafka::TopicAdmin* const admin_;
  const TopicCreationRules rules_;
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> known_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_TOPIC_CREATION_H_
