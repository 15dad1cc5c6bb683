// Building librdkafka configurations from Sluice's defaults plus the user's `producer.*` /
// `consumer.*` / `admin.*` overrides, with errors that name the worker property.
#ifndef SLUICE_RUNTIME_KAFKA_CLIENT_CONFIG_H_
#define SLUICE_RUNTIME_KAFKA_CLIENT_CONFIG_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/kafka/handles.h"

namespace sluice::kafka {

using ClientSettings = std::vector<std::pair<std::string, std::string>>;

// A new conf with the settings every client gets (TCP_NODELAY, as Kafka's Java clients), then
// `defaults`, then `overrides` (user settings; they win). A value librdkafka
// refuses is InvalidArgument "worker config: `<override_prefix><key>`: <librdkafka's reason>".
absl::StatusOr<ConfHandle> BuildConf(const ClientSettings& defaults,
                                     const std::map<std::string, std::string>& overrides,
                                     absl::string_view override_prefix);

// The current value of `key` in `conf` ("" when unset or unknown).
std::string ConfValue(rd_kafka_conf_t* conf, const char* key);

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_CLIENT_CONFIG_H_
