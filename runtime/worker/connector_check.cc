#include "runtime/worker/connector_check.h"

#include <memory>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "runtime/worker/exactly_once_config.h"
#include "runtime/config/client_overrides.h"
#include "runtime/convert/converter.h"
#include "runtime/plugin/plugin_calls.h"
#include "runtime/transform/transform_chain.h"
#include "runtime/worker/connector_config.h"
#include "runtime/worker/connector_keys.h"
#include "runtime/worker/topic_creation.h"

namespace sluice::worker {
namespace {

// `role`.converter and its `role`.converter.* settings from the connector's config, or `fallback`
// when it sets neither.
absl::StatusOr<config::ConverterSettings> ConverterFor(const ConfigMap& config,
                                                       absl::string_view role,
                                                       const config::ConverterSettings& fallback) {
  const std::string class_key = absl::StrCat(role, ".converter");
  const std::string prefix = absl::StrCat(class_key, ".");
  std::optional<std::string> class_name = plugin::Lookup(config, class_key);
  config::ConverterSettings settings;
  std::optional<std::string> first_setting;
  for (const auto& [key, value] : config) {
    absl::string_view rest = key;
    if (!absl::ConsumePrefix(&rest, prefix) || rest == "plugin.version") continue;
    if (!first_setting) first_setting = key;
    settings.properties[std::string(rest)] = value;
  }
  if (!class_name) {
    if (first_setting) {
      return absl::InvalidArgumentError(absl::StrCat(
          "`", *first_setting, "` is set but `", class_key,
          "` is not: Kafka Connect would ignore it and use the worker's converter with the "
          "worker's settings; set `",
          class_key, "` too (", config::kJsonConverterClass, ") or remove it"));
    }
    return fallback;
  }
  settings.class_name = *class_name;
  absl::StatusOr<std::unique_ptr<convert::Converter>> built = convert::CreateConverter(
      settings.class_name, {settings.properties.begin(), settings.properties.end()});
  if (!built.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("`", class_key, "`: ", built.status().message()));
  }
  auto schemas = settings.properties.find("schemas.enable");
  settings.schemas_enable = schemas == settings.properties.end() || schemas->second != "false";
  return settings;
}

// What the verdict shows of a refusal or warning about `key`: the message without the key it
// starts with (the verdict names the key already).
std::string WithoutLeadingKey(absl::string_view message, absl::string_view key) {
  absl::string_view rest = message;
  if (absl::ConsumePrefix(&rest, absl::StrCat("`", key, "`"))) {
    absl::ConsumePrefix(&rest, ":");
    absl::ConsumePrefix(&rest, " ");
    return std::string(rest);
  }
  return std::string(message);
}

// The plugin's own message in a status from PluginCalls ("<who>: start failed: <message>").
absl::string_view PluginMessage(absl::string_view message) {
  const size_t failed = message.find(" failed: ");
  return failed == absl::string_view::npos ? message : message.substr(failed + 9);
}

// Starts and destroys the plugin's connector on `config`: its refusal becomes an error on the key
// it names, what it logs as warnings become warnings, and fewer task configs than tasks.max a
// warning on tasks.max.
void TrialStart(const ConfigMap& config, std::shared_ptr<const plugin::Plugin> plugin,
                plugin::ConfigValidation& verdict) {
  std::vector<std::string> warnings;
  LogSink capture = [&warnings](LogLevel level, std::string_view, std::string_view message) {
    if (level >= LogLevel::kWarn) warnings.emplace_back(message);
  };
  const std::string name = plugin::Lookup(config, "name").value_or("validate");
  absl::StatusOr<std::unique_ptr<plugin::ConnectorInstance>> instance =
      plugin::ConnectorInstance::Start(plugin, name, config, capture);
  for (const std::string& warning : warnings) {
    const std::string key = KeyNamedIn(warning, "connector.class");
    verdict.AddWarning(key, WithoutLeadingKey(warning, key));
  }
  if (!instance.ok()) {
    const absl::string_view message = PluginMessage(instance.status().message());
    const std::string key = KeyNamedIn(message, "connector.class");
    verdict.AddError(key, WithoutLeadingKey(message, key));
    return;
  }
  int tasks_max = 1;
  if (std::optional<std::string> tasks = plugin::Lookup(config, "tasks.max")) {
    if (!absl::SimpleAtoi(*tasks, &tasks_max) || tasks_max < 1) return;  // an error already
  }
  absl::StatusOr<std::vector<ConfigMap>> tasks =
      (*instance)->TaskConfigs(static_cast<size_t>(tasks_max));
  if (!tasks.ok()) {
    verdict.AddError("tasks.max", std::string(PluginMessage(tasks.status().message())));
  } else if (tasks->size() < static_cast<size_t>(tasks_max)) {
    verdict.AddWarning("tasks.max", TasksMaxWarning(plugin->name(), tasks_max, tasks->size()));
  }
}

}  // namespace

std::string TasksMaxWarning(absl::string_view plugin, int tasks_max, size_t tasks) {
  return absl::StrCat("is ", tasks_max, " but ", plugin, " runs ", tasks,
                      " task(s) for this config; the others are not started");
}

std::string KeyNamedIn(absl::string_view message, absl::string_view fallback) {
  const size_t open = message.find('`');
  if (open != absl::string_view::npos) {
    const size_t close = message.find('`', open + 1);
    if (close != absl::string_view::npos && close > open + 1) {
      const absl::string_view word = message.substr(open + 1, close - open - 1);
      if (word.find(' ') == absl::string_view::npos) return std::string(word);
    }
  }
  return std::string(fallback);
}

absl::StatusOr<ConnectorConverters> ConvertersFor(const ConfigMap& config,
                                                  const config::WorkerConfig& worker) {
  ConnectorConverters converters;
  config::ConverterSettings header_default;
  header_default.class_name = config::kJsonConverterClass;
  header_default.schemas_enable = false;
  header_default.properties["schemas.enable"] = "false";
  for (auto [role, fallback, out] :
       {std::tuple<absl::string_view, const config::ConverterSettings*, config::ConverterSettings*>{
            "key", &worker.key_converter, &converters.key},
        {"value", &worker.value_converter, &converters.value},
        {"header", &header_default, &converters.header}}) {
    absl::StatusOr<config::ConverterSettings> settings = ConverterFor(config, role, *fallback);
    if (!settings.ok()) return settings.status();
    *out = *std::move(settings);
  }
  if (converters.header.schemas_enable) {
    return absl::InvalidArgumentError(
        "`header.converter.schemas.enable` must be false: headers are written as schemaless JSON "
        "(Debezium's key headers are structs); set header.converter.schemas.enable=false");
  }
  return converters;
}

plugin::ConfigValidation CheckConnectorConfig(const ConfigMap& config,
                                              const plugin::PluginRegistry& plugins,
                                              const config::WorkerConfig& worker,
                                              plugin::ResolvedLater resolved_later,
                                              bool trial_start) {
  plugin::ConfigValidation verdict = plugin::ValidateConfig(config, plugins, resolved_later);
  std::shared_ptr<const plugin::Plugin> plugin;
  if (std::optional<std::string> cls = plugin::Lookup(config, "connector.class")) {
    plugin = plugins.Find(*cls);
  }

  // Kafka Connect's connector keys, and keys nobody knows.
  bool any_resolved_later = false;
  for (const auto& [key, value] : config) {
    if (resolved_later != nullptr && resolved_later(value)) any_resolved_later = true;
    if (plugin != nullptr && plugin::Declares(*plugin, key)) continue;
    const ConnectorKey* known = FindConnectorKey(key);
    if (known == nullptr) {
      verdict.AddWarning(key, absl::StrCat("neither Kafka Connect nor ",
                                           plugin != nullptr ? plugin->name() : "the connector",
                                           " has this setting; ignored (a typo?)"));
    } else if (known->fate == KeyFate::kRefused) {
      verdict.AddError(key, std::string(known->why));
    } else if (known->fate == KeyFate::kWarned) {
      verdict.AddWarning(key, absl::StrCat("accepted without effect: ", known->why));
    }
  }
  if (plugin != nullptr) {
    if (std::optional<std::string> version = plugin::Lookup(config, "connector.plugin.version");
        version && *version != plugin->version()) {
      verdict.AddError("connector.plugin.version",
                       absl::StrCat("is ", *version, " but ", plugin->name(), " ",
                                    plugin->version(),
                                    " is the version installed; set that or remove the key"));
    }
  }
  // tasks.max and errors.*, read as the worker reads them.
  ConfigMap named = config;
  if (!plugin::Lookup(config, "name")) named.emplace_back("name", "validate");  // validate may omit it
  if (absl::StatusOr<ConnectorConfig> connector = ConnectorConfigFromMap(named);
      !connector.ok()) {
    const std::string key = KeyNamedIn(connector.status().message(), "name");
    bool known = false;
    for (const plugin::KeyValidation& k : verdict.keys) known |= k.name == key && !k.errors.empty();
    if (!known) {
      absl::string_view message = connector.status().message();
      if (const size_t tick = message.find('`'); tick != absl::string_view::npos) {
        message = message.substr(tick);  // without "connector <name>: "
      }
      verdict.AddError(key, WithoutLeadingKey(message, key));
    }
  }
  if (absl::StatusOr<ConnectorConverters> converters = ConvertersFor(config, worker);
      !converters.ok()) {
    const std::string key = KeyNamedIn(converters.status().message(), "value.converter");
    verdict.AddError(key, WithoutLeadingKey(converters.status().message(), key));
  }
  for (auto& [key, error] : config::RefusedConnectorOverrides(config, worker.client_overrides)) {
    verdict.AddError(key, std::move(error));
  }
  if (plugin != nullptr) {
    for (auto& [key, error] :
         ExactlyOnceRefusals(config, *plugin, worker.exactly_once_source_support)) {
      verdict.AddError(key, std::move(error));
    }
  }
  KeyErrors topic_errors, topic_warnings;
  (void)TopicCreationRules::From(config, worker.topic_creation_enable, &topic_errors,
                                 &topic_warnings);
  for (auto& [key, error] : topic_errors) verdict.AddError(key, std::move(error));
  for (auto& [key, warning] : topic_warnings) verdict.AddWarning(key, std::move(warning));
  for (transform::ConfigProblem& problem : transform::CheckTransforms(config)) {
    verdict.AddError(problem.key, std::move(problem.message));
  }

  // The connector's own checks, once everything above passed.
  if (trial_start && verdict.ok() && plugin != nullptr && !any_resolved_later) {
    TrialStart(config, plugin, verdict);
  }
  return verdict;
}

}  // namespace sluice::worker
