// Drop-in plugins: watches plugin directories with inotify and loads a `*.so` as soon as it is
// complete, without a restart.
//
// Only IN_CLOSE_WRITE (a writer closed the file) and IN_MOVED_TO (a file was renamed into the
// directory) trigger a load, so a file still being copied is never loaded half-written. Install
// with `cp` or, better, `install`/`mv` from a temporary name on the same filesystem.
//
// Start the watcher BEFORE the initial scan of plugin.path: a file that lands between the two is
// then seen by one or the other (seeing it twice is reported as AlreadyExists and is harmless).
//
// Thread-safety: Start and the destructor on one thread; `report` runs on the watcher's thread.
#ifndef SLUICE_RUNTIME_PLUGIN_PLUGIN_WATCHER_H_
#define SLUICE_RUNTIME_PLUGIN_PLUGIN_WATCHER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/plugin/plugin_registry.h"

namespace sluice::plugin {

class PluginWatcher {
 public:
  // Called for every file the watcher tried to load: OK with the plugin, or the refusal.
  using Report = std::function<void(const absl::StatusOr<std::shared_ptr<const Plugin>>&)>;

  // Watches `dirs`; `registry` must outlive the watcher. Fails when inotify is unavailable or a
  // directory cannot be watched (the message names it).
  static absl::StatusOr<std::unique_ptr<PluginWatcher>> Start(PluginRegistry* registry,
                                                              const std::vector<std::string>& dirs,
                                                              Report report);

  PluginWatcher(const PluginWatcher&) = delete;
  PluginWatcher& operator=(const PluginWatcher&) = delete;
  // Stops the thread and closes the inotify descriptor.
  ~PluginWatcher();

 private:
  PluginWatcher(PluginRegistry* registry, int inotify_fd, int wake_fd, Report report);
  void Run();
  void HandleEvents();

  PluginRegistry* registry_;
  int inotify_fd_;
  int wake_fd_;  // an eventfd; written by the destructor to end Run()
  Report report_;
  std::map<int, std::string> dirs_by_watch_;  // written before the thread starts, then read-only
  std::thread thread_;
};

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_PLUGIN_WATCHER_H_
