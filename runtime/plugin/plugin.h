// One loaded connector library: its file, its dlopen handle and its checked descriptor.
//
// A Plugin is immutable after LoadPlugin returns and is shared (shared_ptr) by the registry and by
// every running connector made from it, so the library stays mapped while any of them runs.
#ifndef SLUICE_RUNTIME_PLUGIN_PLUGIN_H_
#define SLUICE_RUNTIME_PLUGIN_PLUGIN_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/plugin/shared_library.h"
#include "sluice/connector.h"

namespace sluice::plugin {

// The numbers are sluice_config_type's.
enum class ConfigType { kString = 1, kInt, kLong, kDouble, kBoolean, kList, kPassword };

// One key of a connector's configuration, copied out of the plugin's static table.
struct ConfigDef {
  std::string name;
  ConfigType type = ConfigType::kString;
  std::optional<std::string> default_value;
  bool required = false;
  bool secret = false;
  std::string doc;
};

class Plugin {
 public:
  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& description() const { return description_; }
  // Further names connector.class may use for it (ABI 1.1), e.g. Debezium's class names.
  const std::vector<std::string>& aliases() const { return aliases_; }
  // Whether connector.class `name` means this plugin: its name or one of its aliases.
  bool AnswersTo(std::string_view name) const;
  // The file it was loaded from.
  const std::string& path() const { return library_.path(); }
  const std::vector<ConfigDef>& config_defs() const { return config_defs_; }
  // ABI 1.5: what the connector says of exactly-once delivery (a sluice_exactly_once_support;
  // NOT_SAID for plugins built before 1.5) and whether it defines transaction boundaries.
  sluice_exactly_once_support exactly_once_support() const;
  bool defines_transaction_boundaries() const;
  // For PluginCalls (plugin_calls.h), the only code that calls into the plugin.
  const sluice_connector_descriptor& descriptor() const { return *descriptor_; }

 private:
  friend absl::StatusOr<std::shared_ptr<const Plugin>> PluginFromLibrary(SharedLibrary library);
  Plugin(SharedLibrary library, const sluice_connector_descriptor* descriptor);

  SharedLibrary library_;
  const sluice_connector_descriptor* descriptor_;
  std::string name_, version_, description_;
  std::vector<std::string> aliases_;
  std::vector<ConfigDef> config_defs_;
};

// Opens `path` through trusted folders only (plugin_file_check.h), reads it once, checks the bytes
// (elf_image_check.h), loads a sealed private copy of them (plugin_image.h), calls its entry
// function and checks the descriptor (descriptor_check.h). No byte of the file runs before the
// first three checks pass. Every refusal names the file and the reason.
absl::StatusOr<std::shared_ptr<const Plugin>> LoadPlugin(const std::string& path);

// LoadPlugin's two halves, for a caller that asks the library what it is before taking it as a
// connector (PluginRegistry: a library may hold transforms instead, transform_library.h). The
// first makes every check and loads the sealed copy; the second calls the connector entry.
absl::StatusOr<SharedLibrary> OpenCheckedLibrary(const std::string& path);
absl::StatusOr<std::shared_ptr<const Plugin>> PluginFromLibrary(SharedLibrary library);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_PLUGIN_H_
