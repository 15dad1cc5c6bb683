#include "runtime/herder/secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/config/properties.h"
#include "runtime/herder/config_state.h"

namespace sluice::herder {
namespace {

struct Reference {
  size_t begin = 0;  // index of '$'
  size_t end = 0;    // one past '}'
  absl::string_view provider;
  absl::string_view body;
};

// The next `${provider:body}` at or after `from` whose provider is env or file.
std::optional<Reference> NextReference(absl::string_view value, size_t from) {
  while (true) {
    const size_t begin = value.find("${", from);
    if (begin == absl::string_view::npos) return std::nullopt;
    const size_t close = value.find('}', begin + 2);
    if (close == absl::string_view::npos) return std::nullopt;
    absl::string_view inner = value.substr(begin + 2, close - begin - 2);
    const size_t colon = inner.find(':');
    if (colon != absl::string_view::npos) {
      absl::string_view provider = inner.substr(0, colon);
      if (provider == "env" || provider == "file") {
        return Reference{begin, close + 1, provider, inner.substr(colon + 1)};
      }
    }
    from = begin + 2;
  }
}

absl::StatusOr<std::string> Resolve(const Reference& ref) {
  const std::string shown = absl::StrCat("${", ref.provider, ":", ref.body, "}");
  if (ref.provider == "env") {
    const std::string name(ref.body);
    const char* v = name.empty() ? nullptr : std::getenv(name.c_str());
    if (v == nullptr)
      return absl::NotFoundError(
          absl::StrCat(shown, ": the worker has no environment variable `", name, "`"));
    return std::string(v);
  }
  const size_t colon = ref.body.rfind(':');
  if (colon == absl::string_view::npos || colon == 0 || colon + 1 == ref.body.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(shown, ": expected ${file:/path/to/file.properties:key}"));
  }
  const std::string path(ref.body.substr(0, colon));
  absl::StatusOr<config::Properties> props = config::LoadPropertiesFile(path);
  if (!props.ok()) return absl::NotFoundError(absl::StrCat(shown, ": cannot read `", path, "`"));
  const config::Property* p = props->Find(ref.body.substr(colon + 1));
  if (p == nullptr)
    return absl::NotFoundError(
        absl::StrCat(shown, ": `", path, "` has no key `", ref.body.substr(colon + 1), "`"));
  return p->value;
}

// java.util.Properties escaping, enough for any key and value to read back exactly.
std::string Escape(absl::string_view s, bool is_key) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\f':
        out += "\\f";
        break;
      case '=':
      case ':':
      case '#':
      case '!':
        if (is_key || i == 0) out += '\\';
        out += c;
        break;
      case ' ':
        if (is_key || i == 0) out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

bool HasReference(absl::string_view value) { return NextReference(value, 0).has_value(); }

bool IsOnlyReferences(absl::string_view value) {
  size_t at = 0;
  bool any = false;
  while (at < value.size()) {
    std::optional<Reference> ref = NextReference(value, at);
    if (!ref || ref->begin != at) return false;
    any = true;
    at = ref->end;
  }
  return any;
}

absl::StatusOr<std::string> ResolveReferences(absl::string_view value) {
  std::string out;
  size_t at = 0;
  while (std::optional<Reference> ref = NextReference(value, at)) {
    absl::StatusOr<std::string> resolved = Resolve(*ref);
    if (!resolved.ok()) return resolved.status();
    absl::StrAppend(&out, value.substr(at, ref->begin - at), *resolved);
    at = ref->end;
  }
  absl::StrAppend(&out, value.substr(at));
  return out;
}

absl::StatusOr<ConfigMap> ResolveConfig(const ConfigMap& config) {
  ConfigMap out;
  out.reserve(config.size());
  for (const auto& [k, v] : config) {
    absl::StatusOr<std::string> resolved = ResolveReferences(v);
    if (!resolved.ok()) {
      return absl::Status(resolved.status().code(),
                          absl::StrCat("`", k, "`: ", resolved.status().message()));
    }
    out.emplace_back(k, *std::move(resolved));
  }
  return out;
}

absl::StatusOr<ConfigMap> ProtectSecrets(absl::string_view connector,
                                                 const ConfigMap& config,
                                                 const std::set<std::string>& secret_keys,
                                                 const std::string& secrets_dir) {
  std::vector<std::pair<std::string, std::string>> literals;
  for (const auto& [k, v] : config) {
    if (secret_keys.contains(k) && !v.empty() && !IsOnlyReferences(v)) literals.emplace_back(k, v);
  }
  if (literals.empty()) return config;
  std::vector<std::string> names;
  for (const auto& l : literals) names.push_back(absl::StrCat("`", l.first, "`"));
  if (secrets_dir.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("secret ", absl::StrJoin(names, ", "),
                     " given in clear; write a reference instead (${env:NAME} or "
                     "${file:/path/file.properties:key}), or set `sluice.secrets.dir` in the "
                     "worker properties so the worker "
                     "keeps the value in a file of its own and stores only a reference"));
  }
  if (::mkdir(secrets_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::FailedPreconditionError(absl::StrCat("sluice.secrets.dir `", secrets_dir,
                                                      "`: cannot create: ", std::strerror(errno)));
  }
  const std::string path = absl::StrCat(secrets_dir, "/", connector, ".properties");
  // Keep the secrets of keys not given this time (a patch may change one secret of several).
  ConfigMap kept;
  if (absl::StatusOr<config::Properties> old = config::LoadPropertiesFile(path); old.ok()) {
    for (const config::Property& p : old->entries()) kept.emplace_back(p.key, p.value);
  }
  for (const auto& [k, v] : literals) {
    bool replaced = false;
    for (auto& [kk, kv] : kept) {
      if (kk == k) {
        kv = v;
        replaced = true;
      }
    }
    if (!replaced) kept.emplace_back(k, v);
  }
  std::string text =
      "# Written by the Sluice worker: secrets its connector configs refer to. Keep private.\n";
  for (const auto& [k, v] : kept)
    absl::StrAppend(&text, Escape(k, true), "=", Escape(v, false), "\n");
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write `", temp, "`: ", std::strerror(errno)));
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write `", path, "`: ", std::strerror(errno)));
  }
  ConfigMap out;
  for (const auto& [k, v] : config) {
    const bool literal = secret_keys.contains(k) && !v.empty() && !IsOnlyReferences(v);
    out.emplace_back(k, literal ? absl::StrCat("${file:", path, ":", k, "}") : v);
  }
  return out;
}

std::vector<ConfigMap> ReverseResolve(const ConfigMap& raw,
                                              const ConfigMap& resolved,
                                              std::vector<ConfigMap> task_configs) {
  // (resolved value -> reference), for the keys whose raw value holds a reference; a key's own
  // reference is preferred when the same value came from two references.
  std::map<std::string, std::string> by_key;
  std::map<std::string, std::string> by_value;
  for (size_t i = 0; i < raw.size() && i < resolved.size(); ++i) {
    if (!HasReference(raw[i].second) || resolved[i].second == raw[i].second) continue;
    by_key[raw[i].first] = raw[i].second;
    if (!resolved[i].second.empty()) by_value.emplace(resolved[i].second, raw[i].second);
  }
  for (ConfigMap& task : task_configs) {
    for (auto& [k, v] : task) {
      auto own = by_key.find(k);
      if (own != by_key.end()) {
        for (size_t i = 0; i < raw.size() && i < resolved.size(); ++i) {
          if (raw[i].first == k && resolved[i].second == v) v = own->second;
        }
      }
      if (auto found = by_value.find(v); found != by_value.end()) v = found->second;
    }
  }
  return task_configs;
}

ConfigMap MaskSecrets(const ConfigMap& config,
                              const std::set<std::string>& secret_keys) {
  ConfigMap out;
  out.reserve(config.size());
  for (const auto& [k, v] : config) {
    out.emplace_back(k, secret_keys.contains(k) && !IsOnlyReferences(v) ? std::string(kMasked) : v);
  }
  return out;
}

}  // namespace sluice::herder
