#ifndef SLUICE_RUNTIME_WORKER_CONNECTOR_CONFIG_H_
#define SLUICE_RUNTIME_WORKER_CONNECTOR_CONFIG_H_

// A connector's configuration as Kafka Connect users write it: `name`, `connector.class`,
// `tasks.max` and the connector's own keys. Read from a .properties file (Kafka Connect's
// standalone mode) until the admin API stores configs in the config topic.

#include <string>

#include "absl/status/statusor.h"
#include "runtime/plugin/host_api.h"
#include "runtime/config/properties.h"

namespace sluice::worker {

struct ConnectorConfig {
  std::string name;
  std::string connector_class;  // a plugin name (e.g. "generator")
  int tasks_max = 1;
  ConfigMap
      config;  // every key, name and connector.class included, as Kafka Connect passes them
};

// InvalidArgument naming the key when name or connector.class is missing or tasks.max is not a
// positive integer.
absl::StatusOr<ConnectorConfig> ConnectorConfigFromProperties(const config::Properties& properties);
absl::StatusOr<ConnectorConfig> LoadConnectorConfigFile(const std::string& path);
// The same from a key/value list (a config held in the config topic or sent to the admin API).
absl::StatusOr<ConnectorConfig> ConnectorConfigFromMap(const ConfigMap& config);

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_CONNECTOR_CONFIG_H_
