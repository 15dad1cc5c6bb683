// The one connector-config validator: checks a config key by key before anything starts, so a
// bad config is refused with every problem named instead of failing inside the plugin.
//
//   - `connector.class` names an installed plugin (when the caller looks it up by that key);
//   - `tasks.max`, when given, is an integer >= 1;
//   - each key the plugin declares is present when required (and without a default), and parses
//     as its type; a value that is resolved later (a config provider reference such as
//     `${env:NAME}`, resolved only when a task starts) is not type-checked.
// Keys nobody declares pass here: the worker's check (runtime/worker/connector_check.h) decides
// their fate. A declared name holding `<...>` (`column.mask.with.<N>.chars`) declares a family of
// keys: `<...>` stands for any non-empty text (KeyMatches); such keys are not type-checked.
//
// Used by the admin API's ValidateConfig and before a config is stored (through the herder), when
// the worker starts a connector (with references resolved), and by the conformance check.
#ifndef SLUICE_RUNTIME_PLUGIN_CONFIG_VALIDATION_H_
#define SLUICE_RUNTIME_PLUGIN_CONFIG_VALIDATION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/plugin.h"
#include "runtime/plugin/plugin_registry.h"

namespace sluice::plugin {

// One key's verdict.
struct KeyValidation {
  std::string name;
  // The value as given; a caller that shows it masks secrets first (the herder does).
  std::string value;
  std::vector<std::string> errors;
  // Accepted, but the key (or part of it) has no effect; the reason (KeyFate::kWarned).
  std::vector<std::string> warnings;
};

struct ConfigValidation {
  // The plugin the config was checked against; empty when `connector.class` names none.
  std::string plugin;
  int error_count = 0;
  int warning_count = 0;
  // The config's keys in the order given, then the keys it lacks that have an error.
  std::vector<KeyValidation> keys;

  bool ok() const { return error_count == 0; }
  // Adds `error` to `key`'s verdict (the key appended when absent): for the worker's own checks
  // of a config, such as its client-override policy (herder::ConfigPreparer).
  void AddError(const std::string& key, std::string error);
  // Adds `warning` to `key`'s verdict, likewise.
  void AddWarning(const std::string& key, std::string warning);
  // "`key`: warning" for each warning, in order: what a start logs once.
  std::vector<std::string> Warnings() const;
  // OK, or InvalidArgument "<subject>: invalid config for <plugin>: `key`: error; ...".
  absl::Status ToStatus(absl::string_view subject) const;
};

// True for a value that is resolved only later (herder::HasReference), so not type-checked yet.
using ResolvedLater = bool (*)(absl::string_view value);

// Checks `config` against the plugin its `connector.class` names among `installed`.
ConfigValidation ValidateConfig(const ConfigMap& config, const PluginRegistry& installed,
                                ResolvedLater resolved_later = nullptr);
// Checks `config` against `plugin`, chosen by the caller: `connector.class` is not looked at.
ConfigValidation ValidateConfig(const ConfigMap& config, const Plugin& plugin,
                                ResolvedLater resolved_later = nullptr);

// True when `key` is `pattern` or one of the keys a pattern with `<...>` placeholders stands for
// (each placeholder matches one or more characters).
bool KeyMatches(absl::string_view pattern, absl::string_view key);

// True when `plugin` declares `key` (by name or by a pattern).
bool Declares(const Plugin& plugin, absl::string_view key);

// The value of `key` in `config` (the last one wins, as in a properties file), or nullopt.
std::optional<std::string> Lookup(const ConfigMap& config, const std::string& key);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_CONFIG_VALIDATION_H_
