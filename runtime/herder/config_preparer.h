// A connector config on its way into and out of the herder: checked and made safe to store (the
// connector's name, the one validator, literal secrets moved out of the config), resolved when
// the connector or a task starts (references resolved; the resolved secrets handed to the
// scrubber), and shown with its secrets masked (secrets.h says what is promised).
//
// Which keys are secret: those the plugin declares secret or as passwords, and any key named as
// Debezium and Kafka Connect users name credentials (`*password`, `*.secret`, `*secret.key`,
// `*.token`), even when the plugin does not declare it.
//
// Threads: not thread-safe; the herder thread owns it.
#ifndef SLUICE_RUNTIME_HERDER_CONFIG_PREPARER_H_
#define SLUICE_RUNTIME_HERDER_CONFIG_PREPARER_H_

#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "runtime/config/client_overrides.h"
#include "runtime/config/worker_config.h"
#include "runtime/herder/secret_scrubber.h"
#include "runtime/plugin/config_validation.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/plugin_registry.h"

namespace sluice::herder {

class ConfigPreparer {
 public:
  // `plugins` must outlive this; `secrets_dir` is `sluice.secrets.dir` (empty: literal secrets
  // are refused); `client_overrides` the worker's policy on connector client overrides.
  ConfigPreparer(const plugin::PluginRegistry* plugins, std::string secrets_dir,
                 std::shared_ptr<SecretScrubber> scrubber,
                 config::ClientOverrideRules client_overrides = {},
                 config::ExactlyOnceSourceSupport exactly_once =
                     config::ExactlyOnceSourceSupport::kDisabled)
      : plugins_(plugins),
        secrets_dir_(std::move(secrets_dir)),
        scrubber_(std::move(scrubber)),
        client_overrides_(std::move(client_overrides)),
        exactly_once_(exactly_once) {}

  // What may be stored for connector `name`: `config` with `name` set (InvalidArgument when it
  // names another connector, or the name is empty or has control characters), validated
  // (InvalidArgument naming every bad key, client overrides the worker's policy refuses among
  // them), and its literal secrets moved into the secrets directory (ProtectSecrets).
  absl::StatusOr<ConfigMap> Prepare(const std::string& name,
                                            ConfigMap config) const;

  // The admin API's per-key verdict; values of secret keys are masked unless only references.
  plugin::ConfigValidation Validate(const ConfigMap& config) const;

  // A stored config with its references resolved, for a start; the resolved values of secret
  // keys and of references are handed to the scrubber. Errors name the key, never a value.
  absl::StatusOr<ConfigMap> Resolve(const ConfigMap& stored) const;

  // A stored config as the API shows it (MaskSecrets).
  ConfigMap Shown(const ConfigMap& stored) const;

 private:
  std::set<std::string> SecretKeys(const ConfigMap& config) const;
  // The one validator's verdict plus the worker's client-override policy and the exactly-once
  // preflight checks (worker/exactly_once_config.h).
  plugin::ConfigValidation Check(const ConfigMap& config) const;

  const plugin::PluginRegistry* const plugins_;
  const std::string secrets_dir_;
  const std::shared_ptr<SecretScrubber> scrubber_;
  const config::ClientOverrideRules client_overrides_;
  const config::ExactlyOnceSourceSupport exactly_once_;  // the worker's
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_CONFIG_PREPARER_H_
