#include "runtime/plugin/descriptor_check.h"

#include <cstddef>
#include <string_view>
#include <vector>

#include "absl/strings/str_join.h"
#include "runtime/common/string_view_compat.h"

namespace sluice::plugin {
namespace {

// The ABI 1.0 sizes: a plugin built against 1.0 fills at least this much.
constexpr size_t kDescriptorV1Size =
    offsetof(sluice_connector_descriptor, on_task_destroy) + sizeof(void (*)(void*));
constexpr size_t kConfigDefV1Size = offsetof(sluice_config_def, doc) + sizeof(const char*);

bool NameOk(const char* s) {
  if (s == nullptr || *s == '\0') return false;
  for (const char* p = s; *p != '\0'; ++p) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

absl::Status Refuse(const std::string& path, std::string_view reason) {
  return absl::FailedPreconditionError(StrCat("plugin ", path, " refused: ", reason));
}

}  // namespace

const sluice_config_def* ConfigDefAt(const sluice_connector_descriptor& d, size_t i) {
  const auto* base = reinterpret_cast<const unsigned char*>(d.config_defs);
  size_t stride = d.config_defs->struct_size;
  return reinterpret_cast<const sluice_config_def*>(base + i * stride);
}

size_t AliasCount(const sluice_connector_descriptor& d) {
  if (!SLUICE_HAS_MEMBER(&d, sluice_connector_descriptor, alias_count)) return 0;
  return d.aliases == nullptr ? 0 : d.alias_count;
}

absl::Status CheckDescriptor(const sluice_connector_descriptor* d, const std::string& path) {
  if (d == nullptr) {
    return Refuse(path, StrCat("its entry function returned no descriptor for this worker (ABI ",
                               SLUICE_ABI_MAJOR, ".", SLUICE_ABI_MINOR, ")"));
  }
  // The major is checked before the size: a different major may have a different layout, and
  // abi_major sits at the same place in every version.
  if (d->abi_major != SLUICE_ABI_MAJOR) {
    return Refuse(path, StrCat("built for connector ABI ", d->abi_major, ".", d->abi_minor,
                               ", this worker speaks ABI ", SLUICE_ABI_MAJOR,
                               ".x; rebuild it "
                               "against this worker's sluice/connector.h"));
  }
  if (d->struct_size < kDescriptorV1Size) {
    return Refuse(path, StrCat("descriptor struct_size ", d->struct_size,
                               " is smaller than ABI 1.0's ", kDescriptorV1Size));
  }
  if (!NameOk(d->name)) {
    return Refuse(path, "connector name is missing or has characters outside [A-Za-z0-9._-]");
  }
  if (!NameOk(d->version)) {
    return Refuse(path, "connector version is missing or has characters outside [A-Za-z0-9._-]");
  }
  if (SLUICE_HAS_MEMBER(d, sluice_connector_descriptor, alias_count) && d->alias_count > 0 &&
      d->aliases == nullptr) {
    return Refuse(path, "alias_count > 0 but aliases is NULL");
  }
  for (size_t i = 0; i < AliasCount(*d); ++i) {
    if (!NameOk(d->aliases[i])) {
      return Refuse(path, StrCat("alias ", i,
                                 " is missing or has characters outside [A-Za-z0-9._-]"));
    }
  }
  if (d->kind != SLUICE_CONNECTOR_SOURCE) {
    return Refuse(path, StrCat("connector kind ", d->kind, " is not supported (only source, 1)"));
  }
  std::vector<absl::string_view> missing;
  if (d->on_connector_start == nullptr) missing.push_back("on_connector_start");
  if (d->on_connector_task_configs == nullptr) missing.push_back("on_connector_task_configs");
  if (d->on_connector_destroy == nullptr) missing.push_back("on_connector_destroy");
  if (d->on_task_start == nullptr) missing.push_back("on_task_start");
  if (d->on_task_poll == nullptr) missing.push_back("on_task_poll");
  if (d->on_task_stop == nullptr) missing.push_back("on_task_stop");
  if (d->on_task_destroy == nullptr) missing.push_back("on_task_destroy");
  if (!missing.empty()) {
    return Refuse(path, StrCat("missing required callbacks: ", absl::StrJoin(missing, ", ")));
  }
  if (d->config_def_count > 0) {
    if (d->config_defs == nullptr)
      return Refuse(path, "config_def_count > 0 but config_defs is NULL");
    if (d->config_defs->struct_size < kConfigDefV1Size) {
      return Refuse(path, StrCat("config definition struct_size ", d->config_defs->struct_size,
                                 " is smaller than ABI 1.0's ", kConfigDefV1Size));
    }
    for (size_t i = 0; i < d->config_def_count; ++i) {
      const sluice_config_def* c = ConfigDefAt(*d, i);
      if (c->name == nullptr || *c->name == '\0') {
        return Refuse(path, StrCat("config definition ", i, " has no name"));
      }
      if (c->type < SLUICE_CONFIG_STRING || c->type > SLUICE_CONFIG_PASSWORD) {
        return Refuse(path, StrCat("config key `", c->name, "` has unknown type ", c->type));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace sluice::plugin
