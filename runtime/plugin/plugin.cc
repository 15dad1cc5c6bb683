#include "runtime/plugin/plugin.h"

#include "runtime/common/string_view_compat.h"
#include "runtime/plugin/descriptor_check.h"
#include "runtime/plugin/elf_image_check.h"
#include "runtime/plugin/plugin_file_check.h"
#include "runtime/plugin/plugin_image.h"

namespace sluice::plugin {

Plugin::Plugin(SharedLibrary library, const sluice_connector_descriptor* descriptor)
    : library_(std::move(library)),
      descriptor_(descriptor),
      name_(descriptor->name),
      version_(descriptor->version),
      description_(descriptor->description != nullptr ? descriptor->description : "") {
  for (size_t i = 0; i < AliasCount(*descriptor); ++i)
    aliases_.emplace_back(descriptor->aliases[i]);
  for (size_t i = 0; i < descriptor->config_def_count; ++i) {
    const sluice_config_def* c = ConfigDefAt(*descriptor, i);
    ConfigDef def;
    def.name = c->name;
    def.type = static_cast<ConfigType>(c->type);
    if (c->default_value != nullptr) def.default_value = std::string(c->default_value);
    def.required = c->required != 0;
    def.secret = c->secret != 0 || c->type == SLUICE_CONFIG_PASSWORD;
    def.doc = c->doc != nullptr ? c->doc : "";
    config_defs_.push_back(std::move(def));
  }
}

sluice_exactly_once_support Plugin::exactly_once_support() const {
  if (!SLUICE_HAS_MEMBER(descriptor_, sluice_connector_descriptor, exactly_once_support)) {
    return SLUICE_EXACTLY_ONCE_NOT_SAID;
  }
  switch (descriptor_->exactly_once_support) {
    case SLUICE_EXACTLY_ONCE_SUPPORTED:
      return SLUICE_EXACTLY_ONCE_SUPPORTED;
    case SLUICE_EXACTLY_ONCE_UNSUPPORTED:
      return SLUICE_EXACTLY_ONCE_UNSUPPORTED;
    default:
      return SLUICE_EXACTLY_ONCE_NOT_SAID;
  }
}

bool Plugin::defines_transaction_boundaries() const {
  return SLUICE_HAS_MEMBER(descriptor_, sluice_connector_descriptor, transaction_boundaries) &&
         descriptor_->transaction_boundaries == SLUICE_TRANSACTION_BOUNDARIES_SUPPORTED;
}

bool Plugin::AnswersTo(std::string_view name) const {
  if (name == name_) return true;
  for (const std::string& alias : aliases_) {
    if (name == alias) return true;
  }
  return false;
}

absl::StatusOr<SharedLibrary> OpenCheckedLibrary(const std::string& path) {
  // Nothing of the file runs, and the loader sees none of it, before every check has passed;
  // what is loaded is the copy that was checked, never the file (plugin_image.h).
  absl::StatusOr<UniqueFd> file = OpenTrustedPluginFile(path);
  if (!file.ok()) return file.status();
  absl::StatusOr<std::string> image = ReadPluginFile(file->get(), path);
  if (!image.ok()) return image.status();
  if (absl::Status s = CheckElfImage(*image, path); !s.ok()) return s;
  KeepOnlyLoadedBytes(&*image);
  absl::StatusOr<UniqueFd> copy = SealedCopy(*image, path);
  if (!copy.ok()) return copy.status();
  return SharedLibrary::OpenFd(copy->get(), path);
}

absl::StatusOr<std::shared_ptr<const Plugin>> PluginFromLibrary(SharedLibrary library) {
  const std::string& path = library.path();
  void* entry = library.Symbol(SLUICE_CONNECTOR_ENTRY_SYMBOL);
  if (entry == nullptr) {
    return absl::FailedPreconditionError(
        StrCat("plugin ", path,
               " refused: missing entry symbol `sluice_connector_entry` (not a "
               "Sluice connector, or built without SLUICE_EXPORT)"));
  }
  auto entry_fn = reinterpret_cast<sluice_connector_entry_fn>(entry);
  const sluice_connector_descriptor* descriptor = entry_fn(SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR);
  if (absl::Status s = CheckDescriptor(descriptor, path); !s.ok()) return s;
  return std::shared_ptr<const Plugin>(new Plugin(std::move(library), descriptor));
}

absl::StatusOr<std::shared_ptr<const Plugin>> LoadPlugin(const std::string& path) {
  absl::StatusOr<SharedLibrary> library = OpenCheckedLibrary(path);
  if (!library.ok()) return library.status();
  return PluginFromLibrary(*std::move(library));
}

}  // namespace sluice::plugin
