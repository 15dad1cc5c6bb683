// The one check of a connector config: at validate, at create (both through
// herder::ConfigPreparer) and again before the worker starts it (the worker's rules may have
// changed since it was stored). Every key ends here honoured, refused (an error naming the key,
// the reason and the fix) or accepted with a warning naming it:
//
//   - the plugin's config definition: required keys, types (plugin::ValidateConfig);
//   - Kafka Connect's connector keys (connector_keys.h): tasks.max, errors.*, converters and
//     their settings (each converter built once, so a bad setting is refused here), client
//     overrides (the worker's connector.client.config.override.policy), refused keys;
//   - the connector's own checks: with `trial_start`, the plugin's connector is started and
//     destroyed (no task, no I/O: on_connector_start only checks its config), so validate reports
//     exactly the error a create or a start would, and the warnings the connector logs there are
//     returned; its task configs tell whether tasks.max exceeds what it can use;
//   - any other key (neither Kafka Connect's nor declared by the plugin): a warning.
//
// Thread: any; `plugins` is read-only here.
#ifndef SLUICE_RUNTIME_WORKER_CONNECTOR_CHECK_H_
#define SLUICE_RUNTIME_WORKER_CONNECTOR_CHECK_H_

#include <string>

#include "absl/status/statusor.h"
#include "runtime/config/worker_config.h"
#include "runtime/plugin/config_validation.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/plugin_registry.h"

namespace sluice::worker {

// The converters a connector's records are written with.
struct ConnectorConverters {
  config::ConverterSettings key, value, header;
};

// The connector's key.converter / value.converter / header.converter and their settings where it
// sets them, the worker's otherwise (headers: schemaless JSON). InvalidArgument "`key`: ..." for
// a converter or setting that cannot be built, and for settings without their converter class
// (Kafka Connect would ignore them silently).
absl::StatusOr<ConnectorConverters> ConvertersFor(const ConfigMap& config,
                                                  const config::WorkerConfig& worker);

// Everything above. `resolved_later` (herder::HasReference) marks values resolved only at a start:
// they are not type-checked, and no trial start is made while any is present.
plugin::ConfigValidation CheckConnectorConfig(const ConfigMap& config,
                                              const plugin::PluginRegistry& plugins,
                                              const config::WorkerConfig& worker,
                                              plugin::ResolvedLater resolved_later,
                                              bool trial_start);

// The warning on tasks.max when `plugin` makes `tasks` task configs for a tasks.max above it.
std::string TasksMaxWarning(absl::string_view plugin, int tasks_max, size_t tasks);

// The first `backticked` word of a message that names a config key ("`snapshot.mode` is ..."),
// or `fallback`: which key a connector's refusal or warning is about.
std::string KeyNamedIn(absl::string_view message, absl::string_view fallback);

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_CONNECTOR_CHECK_H_
