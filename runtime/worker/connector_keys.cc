#include "runtime/worker/connector_keys.h"

#include "runtime/plugin/config_validation.h"

namespace sluice::worker {

const std::vector<ConnectorKey>& ConnectorKeys() {
  static const auto* keys = new std::vector<ConnectorKey>{
      {"name", KeyFate::kHonoured, "the connector's name"},
      {"connector.class", KeyFate::kHonoured,
       "an installed plugin's name or alias (Debezium's class names included)"},
      {"connector.plugin.version", KeyFate::kHonoured,
       "must name the version of the installed plugin: one version of each is loaded"},
      {"tasks.max", KeyFate::kHonoured,
       "at most this many tasks; a warning when the connector can use fewer"},
      {"tasks.max.enforce", KeyFate::kWarned,
       "no connector here makes more tasks than tasks.max, so there is nothing to enforce"},
      {"config.action.reload", KeyFate::kWarned,
       "config provider references are resolved at each start; when they are read changes no "
       "record"},
      {"key.converter", KeyFate::kHonoured,
       "the connector's key converter (JsonConverter), instead of the worker's"},
      {"key.converter.<setting>", KeyFate::kHonoured,
       "settings of the connector's key converter (schemas.enable, ...); needs key.converter"},
      {"value.converter", KeyFate::kHonoured,
       "the connector's value converter (JsonConverter), instead of the worker's"},
      {"value.converter.<setting>", KeyFate::kHonoured,
       "settings of the connector's value converter; needs value.converter"},
      {"header.converter", KeyFate::kHonoured,
       "JsonConverter with schemas.enable=false, the one header format written here; any other is "
       "refused"},
      {"header.converter.<setting>", KeyFate::kHonoured,
       "settings of the header converter; needs header.converter"},
      {"key.converter.plugin.version", KeyFate::kWarned,
       "one version of each converter is built in; the bytes are the same"},
      {"value.converter.plugin.version", KeyFate::kWarned,
       "one version of each converter is built in; the bytes are the same"},
      {"header.converter.plugin.version", KeyFate::kWarned,
       "one version of each converter is built in; the bytes are the same"},
      {"transforms", KeyFate::kElsewhere, "the transform chain"},
      {"transforms.<alias>.<setting>", KeyFate::kElsewhere, "the transform chain"},
      {"predicates", KeyFate::kElsewhere, "the transform chain"},
      {"predicates.<alias>.<setting>", KeyFate::kElsewhere, "the transform chain"},
      {"errors.retry.timeout", KeyFate::kHonoured,
       "how long a task that failed on a transient error is restarted, and how long a transform "
       "or converter failing transiently on a record is retried"},
      {"errors.retry.delay.max.ms", KeyFate::kHonoured,
       "the longest wait between two restarts or two retries"},
      {"errors.tolerance", KeyFate::kHonoured,
       "none: a record the transforms or converters fail on fails its task; all: it is skipped "
       "(its offset committed), counted in task-error-metrics"},
      {"errors.log.enable", KeyFate::kHonoured,
       "each transform or converter failure logged with the record's topic and source position"},
      {"errors.log.include.messages", KeyFate::kHonoured,
       "the failed record's key and value in that log line"},
      {"topic.creation.groups", KeyFate::kHonoured,
       "the connector's topic creation groups, tried in order for each new topic (KIP-158); "
       "refused when the worker's topic.creation.enable is false"},
      {"topic.creation.<group>.<setting>", KeyFate::kHonoured,
       "a group's include/exclude patterns, partitions, replication.factor and topic configs; "
       "the default group's partitions and replication.factor are required"},
      {"producer.override.<setting>", KeyFate::kHonoured,
       "as connector.client.config.override.policy allows"},
      {"consumer.override.<setting>", KeyFate::kHonoured,
       "as connector.client.config.override.policy allows"},
      {"admin.override.<setting>", KeyFate::kHonoured,
       "as connector.client.config.override.policy allows"},
      {"exactly.once.support", KeyFate::kElsewhere, "exactly-once delivery"},
      {"transaction.boundary", KeyFate::kElsewhere, "exactly-once delivery"},
      {"transaction.boundary.interval.ms", KeyFate::kElsewhere, "exactly-once delivery"},
      {"offsets.storage.topic", KeyFate::kElsewhere, "exactly-once delivery"},
  };
  return *keys;
}

const ConnectorKey* FindConnectorKey(absl::string_view key) {
  // Exact names first: `key.converter.plugin.version` is not a `key.converter.<setting>`.
  for (const ConnectorKey& entry : ConnectorKeys()) {
    if (entry.key == key) return &entry;
  }
  for (const ConnectorKey& entry : ConnectorKeys()) {
    if (plugin::KeyMatches(entry.key, key)) return &entry;
  }
  return nullptr;
}

absl::string_view FateName(KeyFate fate) {
  switch (fate) {
    case KeyFate::kHonoured:
      return "honoured";
    case KeyFate::kRefused:
      return "refused";
    case KeyFate::kWarned:
      return "warned";
    case KeyFate::kElsewhere:
      return "elsewhere";
  }
  return "?";
}

}  // namespace sluice::worker
