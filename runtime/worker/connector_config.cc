#include "runtime/worker/connector_config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace sluice::worker {

absl::StatusOr<ErrorHandlingConfig> ErrorHandlingFrom(const ConfigMap& config) {
  ErrorHandlingConfig result;
  for (const auto& [key, raw] : config) {
    // Kafka Connect reads these values case-insensitively.
    const std::string value = absl::AsciiStrToLower(raw);
    if (key == "errors.tolerance") {
      if (value != "none" && value != "all") {
        return absl::InvalidArgumentError(
            absl::StrCat("`errors.tolerance` is '", raw,
                         "', must be none (a failed record fails its task) or all (it is skipped)"));
      }
      result.tolerate_all = value == "all";
    } else if (key == "errors.log.enable" || key == "errors.log.include.messages") {
      if (value != "true" && value != "false") {
        return absl::InvalidArgumentError(
            absl::StrCat("`", key, "` is '", raw, "', must be true or false"));
      }
      (key == "errors.log.enable" ? result.log_enable : result.log_include_messages) =
          value == "true";
    }
  }
  return result;
}

absl::StatusOr<ConnectorConfig> ConnectorConfigFromProperties(
    const config::Properties& properties) {
  ConnectorConfig result;
  for (const config::Property& property : properties.entries()) {
    result.config.emplace_back(property.key, property.value);
  }
  const config::Property* name = properties.Find("name");
  if (name == nullptr || name->value.empty()) {
    return absl::InvalidArgumentError("connector config: `name` is required");
  }
  result.name = name->value;
  const config::Property* connector_class = properties.Find("connector.class");
  if (connector_class == nullptr || connector_class->value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("connector ", result.name,
                     ": `connector.class` is required (the plugin's name, e.g. "
                     "generator; `sluice worker` logs the plugins it loaded)"));
  }
  result.connector_class = connector_class->value;
  if (const config::Property* tasks = properties.Find("tasks.max"); tasks != nullptr) {
    if (!absl::SimpleAtoi(tasks->value, &result.tasks_max) || result.tasks_max < 1) {
      return absl::InvalidArgumentError(absl::StrCat("connector ", result.name, ": `tasks.max` is '",
                                                     tasks->value, "', must be an integer >= 1"));
    }
  }
  if (const config::Property* timeout = properties.Find("errors.retry.timeout");
      timeout != nullptr) {
    int64_t ms = 0;
    if (!absl::SimpleAtoi(timeout->value, &ms) || ms < -1) {
      return absl::InvalidArgumentError(
          absl::StrCat("connector ", result.name, ": `errors.retry.timeout` is '", timeout->value,
                       "', must be milliseconds (-1 = retry for ever, 0 = never)"));
    }
    result.errors_retry_timeout = ms < 0 ? absl::InfiniteDuration() : absl::Milliseconds(ms);
  }
  if (const config::Property* delay = properties.Find("errors.retry.delay.max.ms");
      delay != nullptr) {
    int64_t ms = 0;
    if (!absl::SimpleAtoi(delay->value, &ms) || ms < 0) {
      return absl::InvalidArgumentError(absl::StrCat("connector ", result.name,
                                                     ": `errors.retry.delay.max.ms` is '",
                                                     delay->value, "', must be milliseconds >= 0"));
    }
    result.errors_retry_delay_max = absl::Milliseconds(ms);
  }
  absl::StatusOr<ErrorHandlingConfig> handling = ErrorHandlingFrom(result.config);
  if (!handling.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("connector ", result.name, ": ", handling.status().message()));
  }
  result.errors = *handling;
  KeyErrors errors;
  result.exactly_once = ParseExactlyOnceConfig(result.config, &errors);
  if (!errors.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("connector ", result.name, ": ", errors.front().first, ": ",
                     errors.front().second));
  }
  return result;
}

absl::StatusOr<ConnectorConfig> ConnectorConfigFromMap(const ConfigMap& config) {
  config::Properties properties;
  for (const auto& [k, v] : config) properties.Set(k, v);
  return ConnectorConfigFromProperties(properties);
}

absl::StatusOr<ConnectorConfig> LoadConnectorConfigFile(const std::string& path) {
  absl::StatusOr<config::Properties> properties = config::LoadPropertiesFile(path);
  if (!properties.ok()) return properties.status();
  return ConnectorConfigFromProperties(*properties);
}

}  // namespace sluice::worker
