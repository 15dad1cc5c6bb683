// Checks a connector config against the connector's declared definition before anything starts,
// so a bad config is refused with every problem named instead of failing inside the plugin.
#ifndef SLUICE_RUNTIME_PLUGIN_CONFIG_VALIDATION_H_
#define SLUICE_RUNTIME_PLUGIN_CONFIG_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/plugin.h"

namespace sluice::plugin {

// InvalidArgument listing each missing required key and each value that does not parse as its
// type (secret values are never echoed). Keys the definition does not know pass through: they
// may be the worker's (connector.class, tasks.max, ...).
absl::Status ValidateConfig(const Plugin& plugin, const ConfigMap& config);

// The value of `key` in `config` as the admin API shows it: "********" for secrets.
std::string DisplayValue(const Plugin& plugin, const std::string& key, const std::string& value);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_CONFIG_VALIDATION_H_
