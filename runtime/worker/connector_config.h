#ifndef SLUICE_RUNTIME_WORKER_CONNECTOR_CONFIG_H_
#define SLUICE_RUNTIME_WORKER_CONNECTOR_CONFIG_H_

// A connector's configuration as Kafka Connect users write it: `name`, `connector.class`,
// `tasks.max`, the worker's error-handling keys (`errors.retry.timeout`,
// `errors.retry.delay.max.ms`, `errors.tolerance`, `errors.log.*`) and the connector's own keys. Read from a .properties file (Kafka Connect's
// standalone mode) until the admin API stores configs in the config topic.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "runtime/plugin/host_api.h"
#include "runtime/config/properties.h"
#include "runtime/worker/exactly_once_config.h"

namespace sluice::worker {

// Kafka Connect's error-handling keys for a record the transforms or converters fail on
// (record_error_handler.h).
struct ErrorHandlingConfig {
  bool tolerate_all = false;          // errors.tolerance: none (default) or all
  bool log_enable = false;            // errors.log.enable
  bool log_include_messages = false;  // errors.log.include.messages
};

// The error-handling keys of a connector's config; InvalidArgument naming the key when
// errors.tolerance is neither none nor all or an errors.log.* key is not a boolean.
absl::StatusOr<ErrorHandlingConfig> ErrorHandlingFrom(const ConfigMap& config);

struct ConnectorConfig {
  std::string name;
  std::string connector_class;  // a plugin name (e.g. "generator")
  int tasks_max = 1;
  // How long a task that failed with a transient error (the broker gone, a delivery timed out, a
  // fatal producer error) is restarted from its committed offsets before it stays FAILED:
  // Kafka Connect's `errors.retry.timeout` (ms; -1 = for ever, 0 = never). Sluice's default is
  // -1 (Kafka Connect's is 0): a worker rides out a broker outage, as a daemon is expected to.
  absl::Duration errors_retry_timeout = absl::InfiniteDuration();
  // The longest wait between two restarts (`errors.retry.delay.max.ms`, Kafka Connect's default
  // 60000): the waits follow RetryBackoff, doubling from 100 ms up to this.
  absl::Duration errors_retry_delay_max = absl::Seconds(60);
  // errors.tolerance, errors.log.enable, errors.log.include.messages.
  ErrorHandlingConfig errors;
  // exactly.once.support, transaction.boundary(.interval.ms), offsets.storage.topic
  // (exactly_once_config.h).
  ExactlyOnceConfig exactly_once;
  ConfigMap
      config;  // every key, name and connector.class included, as Kafka Connect passes them
};

// InvalidArgument naming the key when name or connector.class is missing, tasks.max is not a
// positive integer, errors.retry.timeout is not an integer >= -1 or errors.retry.delay.max.ms not
// one >= 0, errors.tolerance is neither none nor all, errors.log.enable or
// errors.log.include.messages is not a boolean, or an exactly-once key has a bad value
// (exactly_once_config.h).
absl::StatusOr<ConnectorConfig> ConnectorConfigFromProperties(const config::Properties& properties);
absl::StatusOr<ConnectorConfig> LoadConnectorConfigFile(const std::string& path);
// The same from a key/value list (a config held in the config topic or sent to the admin API).
absl::StatusOr<ConnectorConfig> ConnectorConfigFromMap(const ConfigMap& config);

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_CONNECTOR_CONFIG_H_
