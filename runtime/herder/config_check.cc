#include "runtime/herder/config_check.h"

#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/herder/config_state.h"
#include "runtime/herder/secrets.h"

namespace sluice::herder {
namespace {

std::optional<std::string> TypeError(plugin::ConfigType type, const std::string& raw) {
  const std::string v(absl::StripAsciiWhitespace(raw));
  switch (type) {
    case plugin::ConfigType::kInt: {
      int32_t x;
      if (!absl::SimpleAtoi(v, &x)) return "must be a 32-bit integer";
      break;
    }
    case plugin::ConfigType::kLong: {
      int64_t x;
      if (!absl::SimpleAtoi(v, &x)) return "must be a 64-bit integer";
      break;
    }
    case plugin::ConfigType::kDouble: {
      double x;
      if (!absl::SimpleAtod(v, &x)) return "must be a number";
      break;
    }
    case plugin::ConfigType::kBoolean: {
      const std::string lower = absl::AsciiStrToLower(v);
      if (lower != "true" && lower != "false") return "must be true or false";
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

ValidationResult CheckConfig(const plugin::Plugin* plugin, const plugin::ConfigMap& config,
                             const plugin::PluginRegistry& registry,
                             const std::set<std::string>& secret_keys) {
  ValidationResult result;
  // Keys in the order the user gave them, then the plugin's keys they did not give.
  std::vector<std::string> order;
  std::map<std::string, KeyValidation> keys;
  for (const auto& [k, v] : config) {
    if (!keys.contains(k)) order.push_back(k);
    keys[k] = {k, secret_keys.contains(k) && !IsOnlyReferences(v) ? std::string(kMasked) : v, {}};
  }
  auto error = [&](const std::string& key, std::string message) {
    if (!keys.contains(key)) {
      order.push_back(key);
      keys[key] = {key, "", {}};
    }
    keys[key].errors.push_back(std::move(message));
    ++result.error_count;
  };

  const std::optional<std::string> cls = Lookup(config, "connector.class");
  if (!cls || cls->empty()) {
    error("connector.class",
          "is required: the name of an installed plugin (`sluice plugins list`)");
  } else if (plugin == nullptr) {
    std::vector<std::string> known;
    for (const auto& p : registry.List()) known.push_back(p->name());
    error("connector.class", absl::StrCat("no installed plugin is named `", *cls, "`; installed: ",
                                          known.empty() ? "none" : absl::StrJoin(known, ", ")));
  }
  if (std::optional<std::string> tasks = Lookup(config, "tasks.max")) {
    int n = 0;
    if (!absl::SimpleAtoi(*tasks, &n) || n < 1) error("tasks.max", "must be an integer >= 1");
  }
  if (plugin != nullptr) {
    result.plugin = plugin->name();
    for (const plugin::ConfigDef& def : plugin->config_defs()) {
      const std::optional<std::string> value = Lookup(config, def.name);
      if (!value) {
        if (def.required && !def.default_value) {
          error(def.name, absl::StrCat("is required",
                                       def.doc.empty() ? "" : absl::StrCat(" (", def.doc, ")")));
        }
        continue;
      }
      if (HasReference(*value)) continue;
      if (std::optional<std::string> problem = TypeError(def.type, *value))
        error(def.name, *problem);
    }
  }
  for (const std::string& k : order) result.keys.push_back(std::move(keys[k]));
  return result;
}

}  // namespace sluice::herder
