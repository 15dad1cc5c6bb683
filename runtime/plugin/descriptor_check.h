// The checks a connector's descriptor passes after its entry function returned it: ABI major,
// struct sizes, required callbacks, a usable name and version, a well-formed config definition.
#ifndef SLUICE_RUNTIME_PLUGIN_DESCRIPTOR_CHECK_H_
#define SLUICE_RUNTIME_PLUGIN_DESCRIPTOR_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "sluice/connector.h"

namespace sluice::plugin {

// FailedPrecondition naming `path` and every problem found (all missing callbacks at once).
absl::Status CheckDescriptor(const sluice_connector_descriptor* descriptor,
                             const std::string& path);

// The config definition at index `i`, walked by the elements' own struct_size (ABI convention 3).
const sluice_config_def* ConfigDefAt(const sluice_connector_descriptor& d, size_t i);

// How many aliases the descriptor declares: 0 for a plugin built against ABI 1.0, whose
// descriptor ends before the member.
size_t AliasCount(const sluice_connector_descriptor& d);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_DESCRIPTOR_CHECK_H_
