// Which Kafka client settings a connector config may override, and which client settings may
// name a command or a library on this host. Kafka Connect's `connector.client.config.override.policy`
// with its meanings (None, Principal, All), except the default: None here, where Kafka Connect
// 3.0+ defaults to All (KIP-722). A connector config arrives through the admin API from anyone who
// may create connectors; the worker's host is the operator's.
//
// Thread-compatible; pure.
#ifndef SLUICE_RUNTIME_CONFIG_CLIENT_OVERRIDES_H_
#define SLUICE_RUNTIME_CONFIG_CLIENT_OVERRIDES_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sluice::config {

enum class ClientOverridePolicy {
  kNone,       // no `producer.override.*`, `consumer.override.*`, `admin.override.*` at all
  kPrincipal,  // only the settings that name the client's principal (PrincipalSettings)
  kAll,        // any client setting, but those that run code on the host (RunsCodeOnTheHost)
};

// "None", "Principal", "All" (any case), or Kafka Connect's class names for them
// (`org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy`, or the
// class's simple name).
std::optional<ClientOverridePolicy> ParseClientOverridePolicy(absl::string_view value);
absl::string_view PolicyName(ClientOverridePolicy policy);

// What the worker allows of client settings.
struct ClientOverrideRules {
  // `connector.client.config.override.policy`.
  ClientOverridePolicy policy = ClientOverridePolicy::kNone;
  // `sluice.client.host.settings.allowed`: librdkafka setting names (no prefix) that may run code
  // on the host, allowed by name, in the worker's own `producer.*`/`consumer.*`/`admin.*` and
  // (policy All) in connector overrides.
  std::set<std::string> host_settings_allowed;
};

// The librdkafka settings that make the client run a command or load a library on this host:
// `sasl.kerberos.kinit.cmd` (a shell command), `plugin.library.paths`, `ssl.engine.location`,
// `ssl.providers` (OpenSSL modules).
bool RunsCodeOnTheHost(absl::string_view client_setting);

// The settings Principal allows: Kafka Connect's (`security.protocol`, `sasl.mechanism`,
// `sasl.jaas.config`) in librdkafka's words (`sasl.jaas.config` has no librdkafka counterpart;
// `sasl.mechanisms`, `sasl.username`, `sasl.password` say the same).
bool IsPrincipalSetting(absl::string_view client_setting);

// A connector config's client overrides the rules refuse: (key, reason and fix) per key.
std::vector<std::pair<std::string, std::string>> RefusedConnectorOverrides(
    const std::vector<std::pair<std::string, std::string>>& config,
    const ClientOverrideRules& rules);

// The `producer.override.*` settings of a connector config, prefix removed (last one wins).
std::map<std::string, std::string> ProducerOverrides(
    const std::vector<std::pair<std::string, std::string>>& config);

// The worker's own client settings (`<prefix>` + key) that run code on the host and are not
// allowed by name: InvalidArgument naming the first, why, and the fix.
absl::Status CheckWorkerClientSettings(absl::string_view prefix,
                                       const std::map<std::string, std::string>& settings,
                                       const std::set<std::string>& allowed);

}  // namespace sluice::config

#endif  // SLUICE_RUNTIME_CONFIG_CLIENT_OVERRIDES_H_
