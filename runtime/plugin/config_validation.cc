#include "runtime/plugin/config_validation.h"

#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace sluice::plugin {
namespace {

// What is wrong with `raw` as a value of `type`, or nullopt.
std::optional<std::string> TypeProblem(ConfigType type, const std::string& raw) {
  const std::string v(absl::StripAsciiWhitespace(raw));
  switch (type) {
    case ConfigType::kInt: {
      int32_t x;
      if (!absl::SimpleAtoi(v, &x)) return "must be a 32-bit integer";
      break;
    }
    case ConfigType::kLong: {
      int64_t x;
      if (!absl::SimpleAtoi(v, &x)) return "must be a 64-bit integer";
      break;
    }
    case ConfigType::kDouble: {
      double x;
      if (!absl::SimpleAtod(v, &x)) return "must be a number";
      break;
    }
    case ConfigType::kBoolean: {
      const std::string lower = absl::AsciiStrToLower(v);
      if (lower != "true" && lower != "false") return "must be true or false";
      break;
    }
    case ConfigType::kString:
    case ConfigType::kList:
    case ConfigType::kPassword:
      break;
  }
  return std::nullopt;
}

// Collects verdicts per key, keeping the config's order.
class Verdicts {
 public:
  explicit Verdicts(const ConfigMap& config) {
    for (const auto& [k, v] : config) {
      if (!keys_.contains(k)) order_.push_back(k);
      keys_[k] = {k, v, {}, {}};
    }
  }
  void Error(const std::string& key, std::string message) {
    if (!keys_.contains(key)) {
      order_.push_back(key);
      keys_[key] = {key, "", {}, {}};
    }
    keys_[key].errors.push_back(std::move(message));
    ++error_count_;
  }
  ConfigValidation Finish(std::string plugin) && {
    ConfigValidation result;
    result.plugin = std::move(plugin);
    result.error_count = error_count_;
    for (const std::string& k : order_) result.keys.push_back(std::move(keys_[k]));
    return result;
  }

 private:
  std::vector<std::string> order_;
  std::map<std::string, KeyValidation> keys_;
  int error_count_ = 0;
};

void CheckTasksMax(const ConfigMap& config, Verdicts& verdicts) {
  if (std::optional<std::string> tasks = Lookup(config, "tasks.max")) {
    int n = 0;
    if (!absl::SimpleAtoi(*tasks, &n) || n < 1) {
      verdicts.Error("tasks.max", absl::StrCat("must be an integer >= 1, not `", *tasks, "`"));
    }
  }
}

void CheckDeclaredKeys(const ConfigMap& config, const Plugin& plugin, ResolvedLater resolved_later,
                       Verdicts& verdicts) {
  for (const ConfigDef& def : plugin.config_defs()) {
    if (def.name.find('<') != std::string::npos) continue;  // a family: KeyMatches
    const std::optional<std::string> value = Lookup(config, def.name);
    if (!value) {
      if (def.required && !def.default_value) {
        verdicts.Error(
            def.name,
            absl::StrCat("is required", def.doc.empty() ? "" : absl::StrCat(" (", def.doc, ")")));
      }
      continue;
    }
    if (resolved_later != nullptr && resolved_later(*value)) continue;
    if (std::optional<std::string> problem = TypeProblem(def.type, *value)) {
      // A secret's value is never echoed.
      const bool secret = def.secret || def.type == ConfigType::kPassword;
      verdicts.Error(def.name, secret ? *problem : absl::StrCat(*problem, ", not `", *value, "`"));
    }
  }
}

}  // namespace

void ConfigValidation::AddError(const std::string& key, std::string error) {
  ++error_count;
  for (KeyValidation& verdict : keys) {
    if (verdict.name == key) {
      verdict.errors.push_back(std::move(error));
      return;
    }
  }
  keys.push_back({key, "", {std::move(error)}, {}});
}

void ConfigValidation::AddWarning(const std::string& key, std::string warning) {
  ++warning_count;
  for (KeyValidation& verdict : keys) {
    if (verdict.name == key) {
      verdict.warnings.push_back(std::move(warning));
      return;
    }
  }
  keys.push_back({key, "", {}, {std::move(warning)}});
}

std::vector<std::string> ConfigValidation::Warnings() const {
  std::vector<std::string> out;
  for (const KeyValidation& key : keys) {
    for (const std::string& warning : key.warnings) {
      out.push_back(absl::StrCat("`", key.name, "`: ", warning));
    }
  }
  return out;
}

absl::Status ConfigValidation::ToStatus(absl::string_view subject) const {
  if (ok()) return absl::OkStatus();
  std::vector<std::string> problems;
  for (const KeyValidation& key : keys) {
    for (const std::string& error : key.errors) {
      problems.push_back(absl::StrCat("`", key.name, "`: ", error));
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(subject, ": invalid config", plugin.empty() ? "" : absl::StrCat(" for ", plugin),
                   ": ", absl::StrJoin(problems, "; ")));
}

ConfigValidation ValidateConfig(const ConfigMap& config, const PluginRegistry& installed,
                                ResolvedLater resolved_later) {
  Verdicts verdicts(config);
  const std::optional<std::string> cls = Lookup(config, "connector.class");
  std::shared_ptr<const Plugin> plugin;
  if (cls && !cls->empty()) plugin = installed.Find(*cls);
  if (!cls || cls->empty()) {
    verdicts.Error("connector.class",
                   "is required: the name of an installed plugin (`sluice plugins list`)");
  } else if (plugin == nullptr) {
    std::vector<std::string> known;
    for (const auto& p : installed.List()) known.push_back(p->name());
    verdicts.Error("connector.class",
                   absl::StrCat("no installed plugin is named `", *cls, "`; installed: ",
                                known.empty() ? "none" : absl::StrJoin(known, ", ")));
  }
  CheckTasksMax(config, verdicts);
  if (plugin == nullptr) return std::move(verdicts).Finish("");
  CheckDeclaredKeys(config, *plugin, resolved_later, verdicts);
  return std::move(verdicts).Finish(plugin->name());
}

ConfigValidation ValidateConfig(const ConfigMap& config, const Plugin& plugin,
                                ResolvedLater resolved_later) {
  Verdicts verdicts(config);
  CheckTasksMax(config, verdicts);
  CheckDeclaredKeys(config, plugin, resolved_later, verdicts);
  return std::move(verdicts).Finish(plugin.name());
}

bool KeyMatches(absl::string_view pattern, absl::string_view key) {
  const size_t open = pattern.find('<');
  if (open == absl::string_view::npos) return pattern == key;
  const size_t close = pattern.find('>', open);
  if (close == absl::string_view::npos) return pattern == key;
  if (key.substr(0, open) != pattern.substr(0, open)) return false;
  const absl::string_view rest = pattern.substr(close + 1);
  // The placeholder takes at least one character; try every split (keys are short).
  for (size_t end = open + 1; end <= key.size(); ++end) {
    if (KeyMatches(rest, key.substr(end))) return true;
  }
  return false;
}

bool Declares(const Plugin& plugin, absl::string_view key) {
  for (const ConfigDef& def : plugin.config_defs()) {
    if (KeyMatches(def.name, key)) return true;
  }
  return false;
}

std::optional<std::string> Lookup(const ConfigMap& config, const std::string& key) {
  std::optional<std::string> found;
  for (const auto& [k, v] : config) {
    if (k == key) found = v;
  }
  return found;
}

}  // namespace sluice::plugin
