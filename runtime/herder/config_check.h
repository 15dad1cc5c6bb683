// Checks a connector config key by key, for the admin API's ValidateConfig (errors per key) and
// before a config is stored: `connector.class` names an installed plugin, `tasks.max` is a
// positive integer, each key the plugin declares is present when required and parses as its
// type. A value holding a ${env:...}/${file:...} reference is not type-checked: it is resolved only
// when a task starts.
#ifndef SLUICE_RUNTIME_HERDER_CONFIG_CHECK_H_
#define SLUICE_RUNTIME_HERDER_CONFIG_CHECK_H_

#include <set>
#include <string>

#include "runtime/plugin/plugin.h"
#include "runtime/plugin/plugin_registry.h"
#include "runtime/herder/herder_types.h"

namespace sluice::herder {

// `plugin` is the plugin `connector.class` names, or nullptr when none does.
ValidationResult CheckConfig(const plugin::Plugin* plugin, const plugin::ConfigMap& config,
                             const plugin::PluginRegistry& registry,
                             const std::set<std::string>& secret_keys);

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_CONFIG_CHECK_H_
