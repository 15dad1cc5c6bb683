// Secrets in connector configs: Kafka Connect's config provider references `${env:NAME}` and
// `${file:/path:key}` (FileConfigProvider: `key` in the properties file at `/path`).
//
// The promise (docs/admin-api.md, "Secrets"):
//   - references are stored and shown as written, and resolved only in the worker's memory when
//     the connector or one of its tasks starts (the connector may need its credentials to check its
//     source, as in Kafka Connect); task configs are reverse-resolved before they are stored;
//   - a literal value of a key the plugin declares secret is never written to the config topic:
//     the worker moves it into a file of its own (`sluice.secrets.dir`, mode 0600) and stores a
//     `${file:...}` reference to it instead; without that directory the literal is refused;
//   - what the API returns shows literal secret values as "********".
#ifndef SLUICE_RUNTIME_HERDER_SECRETS_H_
#define SLUICE_RUNTIME_HERDER_SECRETS_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/plugin/host_api.h"

namespace sluice::herder {

inline constexpr char kMasked[] = "********";

// True when `value` contains at least one `${env:...}` or `${file:...}` reference.
bool HasReference(absl::string_view value);
// True when `value` is nothing but references (and text around them that is not secret is
// impossible to tell apart, so any literal text counts as a literal).
bool IsOnlyReferences(absl::string_view value);

// Every reference in `value` replaced by what it names. The error names the reference (never a
// resolved value): NotFound for a missing variable, file or key; InvalidArgument for a malformed
// one.
absl::StatusOr<std::string> ResolveReferences(absl::string_view value);
// Every value of `config` resolved; errors name the key.
absl::StatusOr<ConfigMap> ResolveConfig(const ConfigMap& config);

// What may be written to the config topic: each value of a key in `secret_keys` that is not
// only references is moved into `<secrets_dir>/<connector>.properties` (created 0600, rewritten
// whole) and replaced by `${file:<that file>:<key>}`. InvalidArgument naming the keys when such a
// literal exists and `secrets_dir` is empty.
absl::StatusOr<ConfigMap> ProtectSecrets(absl::string_view connector,
                                                 const ConfigMap& config,
                                                 const std::set<std::string>& secret_keys,
                                                 const std::string& secrets_dir);

// Task configs as they may be stored: a connector started with resolved values copies them into
// the task configs it generates; every value equal to what a reference in `raw` resolved to goes
// back to that reference (Kafka Connect's reverse transform), so the config topic never holds it.
std::vector<ConfigMap> ReverseResolve(const ConfigMap& raw,
                                              const ConfigMap& resolved,
                                              std::vector<ConfigMap> task_configs);

// `config` as the API shows it: references as written, other values of secret keys masked.
ConfigMap MaskSecrets(const ConfigMap& config,
                              const std::set<std::string>& secret_keys);

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_SECRETS_H_
