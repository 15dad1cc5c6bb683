// A connector's or task's configuration as given: keys and values, both strings, in the order
// they came (Kafka Connect's Map<String, String>). The form every part of the runtime passes a
// config in: the worker, the herder, the plugin host and the admin API.
#ifndef SLUICE_RUNTIME_COMMON_CONFIG_MAP_H_
#define SLUICE_RUNTIME_COMMON_CONFIG_MAP_H_

#include <string>
#include <utility>
#include <vector>

namespace sluice {

using ConfigMap = std::vector<std::pair<std::string, std::string>>;

}  // namespace sluice

#endif  // SLUICE_RUNTIME_COMMON_CONFIG_MAP_H_
