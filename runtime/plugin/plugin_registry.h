// The connectors this worker can run, known by name and version.
//
// Filled by scanning plugin.path at start (LoadPluginPath) and, while running, by the drop-in
// watcher (plugin_watcher.h) calling LoadFile. A refused file never stops the worker: each refusal
// comes back as a Status naming the file and the reason, for the caller to log.
//
// Plugins are never unloaded: a running connector holds its Plugin, and replacing a plugin with
// the same name and version needs a restart (the second copy is refused as a duplicate).
//
// Thread-safety: all methods may be called from any thread.
#ifndef SLUICE_RUNTIME_PLUGIN_PLUGIN_REGISTRY_H_
#define SLUICE_RUNTIME_PLUGIN_PLUGIN_REGISTRY_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/common/log.h"
#include "runtime/plugin/plugin.h"

namespace sluice::plugin {

class PluginRegistry {
 public:
  // Loads every `*.so` directly inside each directory of `plugin_path` (comma-separated, Kafka
  // Connect's plugin.path; blanks around entries are ignored). Returns the refusals.
  std::vector<absl::Status> LoadPluginPath(std::string_view plugin_path);
  std::vector<absl::Status> LoadDirectory(const std::string& dir);

  // Loads one file. AlreadyExists when a plugin of the same version already answers to its name
  // or one of its aliases (naming both files), or when this very file is already loaded.
  // A transform library (sluice/transform.h) is loaded and its classes registered with the
  // transform chains (transform_library.h); then the result is OK with nullptr, there being no
  // connector to return, and a line is logged.
  absl::StatusOr<std::shared_ptr<const Plugin>> LoadFile(const std::string& path);

  // Where transform instances' api->log lines and the transform libraries' load lines go
  // (default: stderr). Set before the first load.
  void SetLogSink(LogSink log) { log_ = std::move(log); }

  // The plugin whose name or alias is `name`, at `version`; with an empty version, the highest
  // version known. nullptr when there is none.
  std::shared_ptr<const Plugin> Find(std::string_view name, std::string_view version = "") const;
  std::vector<std::shared_ptr<const Plugin>> List() const;

  // Splits a plugin.path value into directories.
  static std::vector<std::string> SplitPluginPath(std::string_view plugin_path);

 private:
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<const Plugin>> plugins_;  // GUARDED_BY(mu_)
  std::vector<std::string> transform_paths_;            // GUARDED_BY(mu_): libraries loaded
  LogSink log_ = StderrLogSink();
};

// Orders versions component-wise, numerically where both components are numbers ("1.10" > "1.9").
int CompareVersions(std::string_view a, std::string_view b);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_PLUGIN_REGISTRY_H_
