// A connector config on its way into and out of the herder: checked and made safe to store (the
// connector's name, the one validator, literal secrets moved out of the config), resolved when
// the connector or a task starts (references resolved; the resolved secrets handed to the
// scrubber), and shown with its secrets masked (secrets.h says what is promised).
//
// Which keys are secret: those the plugin declares secret or as passwords, and any key named as
// Debezium and Kafka Connect users name credentials (`*password`, `*.secret`, `*secret.key`,
// `*.token`, `*sasl.jaas.config`), even when the plugin does not declare it.
//
// Threads: not thread-safe; the herder thread owns it.
#ifndef SLUICE_RUNTIME_HERDER_CONFIG_PREPARER_H_
#define SLUICE_RUNTIME_HERDER_CONFIG_PREPARER_H_

#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "runtime/config/worker_config.h"
#include "runtime/herder/secret_scrubber.h"
#include "runtime/plugin/config_validation.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/plugin_registry.h"

namespace sluice::herder {

// Whether `key` is named as Debezium and Kafka Connect users name credentials (`*password`,
// `*.secret`, `*secret.key`, `*.token`, `*sasl.jaas.config`); connector and worker keys alike.
bool LooksSecret(absl::string_view key);

class ConfigPreparer {
 public:
  // `plugins` and `worker` must outlive this; `worker` says what a connector config may set
  // (client overrides, converters) and `sluice.secrets.dir` (empty: literal secrets are refused).
  ConfigPreparer(const plugin::PluginRegistry* plugins, const config::WorkerConfig* worker,
                 std::shared_ptr<SecretScrubber> scrubber)
      : plugins_(plugins), worker_(worker), scrubber_(std::move(scrubber)) {}

  // What may be stored for connector `name`: `config` with `name` set (InvalidArgument when it
  // names another connector, or the name is empty or has control characters), checked as
  // Validate checks it (InvalidArgument naming every refused key, transforms CheckTransforms
  // refuses among them; the warnings are Validate's to show and the start's to log), and its
  // literal secrets moved into the secrets directory (ProtectSecrets).
  absl::StatusOr<ConfigMap> Prepare(const std::string& name,
                                            ConfigMap config) const;

  // The admin API's per-key verdict, errors and warnings: the same check as Prepare's; values of
  // secret keys are masked unless only references.
  plugin::ConfigValidation Validate(const ConfigMap& config) const;

  // A stored config with its references resolved, for a start; the resolved values of secret
  // keys and of references are handed to the scrubber. Errors name the key, never a value.
  absl::StatusOr<ConfigMap> Resolve(const ConfigMap& stored) const;

  // A stored config as the API shows it (MaskSecrets).
  ConfigMap Shown(const ConfigMap& stored) const;

 private:
  std::set<std::string> SecretKeys(const ConfigMap& config) const;
  // The one check (worker::CheckConnectorConfig), with a trial start of the connector.
  plugin::ConfigValidation Check(const ConfigMap& config) const;

  const plugin::PluginRegistry* const plugins_;
  const config::WorkerConfig* const worker_;
  const std::shared_ptr<SecretScrubber> scrubber_;
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_CONFIG_PREPARER_H_
