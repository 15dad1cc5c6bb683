#include "runtime/herder/config_preparer.h"

#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "runtime/herder/secrets.h"
#include "runtime/worker/exactly_once_config.h"

namespace sluice::herder {
namespace {

bool LooksSecret(absl::string_view key) {
  const std::string lower = absl::AsciiStrToLower(key);
  return absl::EndsWith(lower, "password") || absl::EndsWith(lower, ".secret") ||
         absl::EndsWith(lower, "secret.key") || absl::EndsWith(lower, ".token");
}

}  // namespace

std::set<std::string> ConfigPreparer::SecretKeys(const ConfigMap& config) const {
  std::set<std::string> keys;
  for (const auto& [k, v] : config) {
    if (LooksSecret(k)) keys.insert(k);
  }
  if (std::optional<std::string> cls = plugin::Lookup(config, "connector.class")) {
    if (auto plugin = plugins_->Find(*cls)) {
      for (const plugin::ConfigDef& def : plugin->config_defs()) {
        if (def.secret || def.type == plugin::ConfigType::kPassword) keys.insert(def.name);
      }
    }
  }
  return keys;
}

absl::StatusOr<ConfigMap> ConfigPreparer::Prepare(const std::string& name,
                                                          ConfigMap config) const {
  if (name.empty()) return absl::InvalidArgumentError("`name`: a connector needs a name");
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return absl::InvalidArgumentError(
          "`name`: control characters are not allowed in a connector name");
    }
  }
  if (std::optional<std::string> given = plugin::Lookup(config, "name")) {
    if (*given != name) {
      return absl::InvalidArgumentError(
          absl::StrCat("`name`: the config says `", *given, "` but the connector is `", name, "`"));
    }
  } else {
    config.insert(config.begin(), {"name", name});
  }
  if (absl::Status status = Check(config).ToStatus(absl::StrCat("connector ", name));
      !status.ok()) {
    return status;
  }
  return ProtectSecrets(name, config, SecretKeys(config), secrets_dir_);
}

plugin::ConfigValidation ConfigPreparer::Check(const ConfigMap& config) const {
  plugin::ConfigValidation verdict = plugin::ValidateConfig(config, *plugins_, &HasReference);
  for (auto& [key, error] : config::RefusedConnectorOverrides(config, client_overrides_)) {
    verdict.AddError(key, std::move(error));
  }
  if (std::optional<std::string> cls = plugin::Lookup(config, "connector.class")) {
    if (auto plugin = plugins_->Find(*cls)) {
      for (auto& [key, error] : worker::ExactlyOnceRefusals(config, *plugin, exactly_once_)) {
        verdict.AddError(key, std::move(error));
      }
    }
  }
  return verdict;
}

plugin::ConfigValidation ConfigPreparer::Validate(const ConfigMap& config) const {
  plugin::ConfigValidation verdict = Check(config);
  const std::set<std::string> secret_keys = SecretKeys(config);
  for (plugin::KeyValidation& key : verdict.keys) {
    // A key the config lacks (a required one) has no value to mask.
    if (secret_keys.contains(key.name) && plugin::Lookup(config, key.name) &&
        !IsOnlyReferences(key.value)) {
      key.value = kMasked;
    }
  }
  return verdict;
}

absl::StatusOr<ConfigMap> ConfigPreparer::Resolve(const ConfigMap& stored) const {
  absl::StatusOr<ConfigMap> resolved = ResolveConfig(stored);
  if (!resolved.ok()) return resolved.status();
  const std::set<std::string> secret_keys = SecretKeys(stored);
  for (size_t i = 0; i < resolved->size() && i < stored.size(); ++i) {
    if (secret_keys.contains((*resolved)[i].first) || HasReference(stored[i].second))
      scrubber_->Add((*resolved)[i].second);
  }
  return resolved;
}

ConfigMap ConfigPreparer::Shown(const ConfigMap& stored) const {
  return MaskSecrets(stored, SecretKeys(stored));
}

}  // namespace sluice::herder
