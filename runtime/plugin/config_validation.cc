#include "runtime/plugin/config_validation.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "runtime/common/string_view_compat.h"

namespace sluice::plugin {
namespace {

const std::string* Lookup(const ConfigMap& config, const std::string& key) {
  const std::string* found = nullptr;
  for (const auto& [k, v] : config) {
    if (k == key) found = &v;  // the last one wins, as in a properties file
  }
  return found;
}

bool Parses(ConfigType type, const std::string& raw) {
  std::string v(absl::StripAsciiWhitespace(raw));
  switch (type) {
    case ConfigType::kInt: {
      int32_t x;
      return absl::SimpleAtoi(v, &x);
    }
    case ConfigType::kLong: {
      int64_t x;
      return absl::SimpleAtoi(v, &x);
    }
    case ConfigType::kDouble: {
      double x;
      return absl::SimpleAtod(v, &x);
    }
    case ConfigType::kBoolean: {
      std::string lower = absl::AsciiStrToLower(v);
      return lower == "true" || lower == "false";
    }
    case ConfigType::kString:
    case ConfigType::kList:
    case ConfigType::kPassword:
      return true;
  }
  return false;
}

std::string_view TypeWord(ConfigType type) {
  switch (type) {
    case ConfigType::kInt:
      return "a 32-bit integer";
    case ConfigType::kLong:
      return "a 64-bit integer";
    case ConfigType::kDouble:
      return "a number";
    case ConfigType::kBoolean:
      return "true or false";
    default:
      return "a string";
  }
}

}  // namespace

absl::Status ValidateConfig(const Plugin& plugin, const ConfigMap& config) {
  std::vector<std::string> problems;
  for (const ConfigDef& def : plugin.config_defs()) {
    const std::string* value = Lookup(config, def.name);
    if (value == nullptr) {
      if (def.required && !def.default_value.has_value()) {
        problems.push_back(StrCat("`", def.name, "` is required (", def.doc, ")"));
      }
      continue;
    }
    if (!Parses(def.type, *value)) {
      if (def.secret) {
        problems.push_back(StrCat("`", def.name, "` must be ", TypeWord(def.type)));
      } else {
        problems.push_back(
            StrCat("`", def.name, "` must be ", TypeWord(def.type), ", not `", *value, "`"));
      }
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(StrCat("config for connector `", plugin.name(), "` ",
                                           plugin.version(), ": ", absl::StrJoin(problems, "; ")));
}

std::string DisplayValue(const Plugin& plugin, const std::string& key, const std::string& value) {
  for (const ConfigDef& def : plugin.config_defs()) {
    if (def.name == key && def.secret) return "********";
  }
  return value;
}

}  // namespace sluice::plugin
