#include "runtime/config/client_overrides.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace sluice::config {
namespace {

constexpr absl::string_view kOverridePrefixes[] = {"producer.override.", "consumer.override.",
                                                   "admin.override."};

std::string WhyRunsCode(absl::string_view setting) {
  return setting == "sasl.kerberos.kinit.cmd" ? "names a command the Kafka client runs on the worker's host"
                                              : "names a library the Kafka client loads into the worker";
}

}  // namespace

std::optional<ClientOverridePolicy> ParseClientOverridePolicy(absl::string_view value) {
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  absl::string_view v = lower;
  absl::ConsumePrefix(&v, "org.apache.kafka.connect.connector.policy.");
  absl::ConsumeSuffix(&v, "connectorclientconfigoverridepolicy");
  if (v == "none") return ClientOverridePolicy::kNone;
  if (v == "principal") return ClientOverridePolicy::kPrincipal;
  if (v == "all") return ClientOverridePolicy::kAll;
  return std::nullopt;
}

absl::string_view PolicyName(ClientOverridePolicy policy) {
  switch (policy) {
    case ClientOverridePolicy::kPrincipal:
      return "Principal";
    case ClientOverridePolicy::kAll:
      return "All";
    case ClientOverridePolicy::kNone:
      break;
  }
  return "None";
}

bool RunsCodeOnTheHost(absl::string_view client_setting) {
  const std::string s = absl::AsciiStrToLower(absl::StripAsciiWhitespace(client_setting));
  return s == "sasl.kerberos.kinit.cmd" || s == "plugin.library.paths" ||
         s == "ssl.engine.location" || s == "ssl.providers";
}

bool IsPrincipalSetting(absl::string_view client_setting) {
  for (absl::string_view allowed : {"security.protocol", "sasl.mechanism", "sasl.mechanisms",
                                    "sasl.jaas.config", "sasl.username", "sasl.password"}) {
    if (client_setting == allowed) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> RefusedConnectorOverrides(
    const std::vector<std::pair<std::string, std::string>>& config,
    const ClientOverrideRules& rules) {
  std::vector<std::pair<std::string, std::string>> refused;
  const std::string policy = absl::StrCat("connector.client.config.override.policy=",
                                          PolicyName(rules.policy));
  for (const auto& [key, value] : config) {
    absl::string_view setting = key;
    bool is_override = false;
    for (absl::string_view prefix : kOverridePrefixes) {
      is_override = is_override || absl::ConsumePrefix(&setting, prefix);
    }
    if (!is_override) continue;
    if (RunsCodeOnTheHost(setting) && !rules.host_settings_allowed.contains(std::string(setting))) {
      refused.emplace_back(
          key, absl::StrCat(WhyRunsCode(setting),
                            ", and a connector config may not set that: remove it, or (if the "
                            "worker's operator means it) list `",
                            setting, "` in the worker's `sluice.client.host.settings.allowed` with ",
                            "connector.client.config.override.policy=All"));
      continue;
    }
    switch (rules.policy) {
      case ClientOverridePolicy::kNone:
        refused.emplace_back(
            key, absl::StrCat("connector client overrides are not allowed by this worker (", policy,
                              ", the default): remove the key, or set the worker's "
                              "`connector.client.config.override.policy` to Principal or All"));
        break;
      case ClientOverridePolicy::kPrincipal:
        if (!IsPrincipalSetting(setting)) {
          refused.emplace_back(
              key, absl::StrCat("only the principal's settings (security.protocol, "
                                "sasl.mechanism(s), sasl.username, sasl.password, "
                                "sasl.jaas.config) may be overridden under ",
                                policy, ": remove the key, or set the worker's policy to All"));
        }
        break;
      case ClientOverridePolicy::kAll:
        break;
    }
  }
  return refused;
}

std::map<std::string, std::string> ProducerOverrides(
    const std::vector<std::pair<std::string, std::string>>& config) {
  std::map<std::string, std::string> overrides;
  for (const auto& [key, value] : config) {
    absl::string_view setting = key;
    if (absl::ConsumePrefix(&setting, "producer.override.")) {
      overrides[std::string(setting)] = std::string(absl::StripAsciiWhitespace(value));
    }
  }
  return overrides;
}

absl::Status CheckWorkerClientSettings(absl::string_view prefix,
                                       const std::map<std::string, std::string>& settings,
                                       const std::set<std::string>& allowed) {
  for (const auto& [setting, value] : settings) {
    if (RunsCodeOnTheHost(setting) && !allowed.contains(setting)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "worker config: `", prefix, setting, "` ", WhyRunsCode(setting),
          "; refused unless allowed by name: add `", setting,
          "` to `sluice.client.host.settings.allowed` if that is meant"));
    }
  }
  return absl::OkStatus();
}

}  // namespace sluice::config
