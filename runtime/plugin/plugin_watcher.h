// Drop-in plugins: watches plugin directories with inotify and loads a `*.so` once it is complete
// and has stopped changing, without a restart.
//
// A file becomes a candidate when a writer closes it (IN_CLOSE_WRITE) or it is renamed into the
// directory (IN_MOVED_TO); it is loaded once neither its content nor its identity (size, times,
// inode) changed for `settle`, checked again at the end. A file still being written is never
// loaded, nor is one a deploy script writes in several passes; one that changed while it was read
// waits another `settle`. Install with `install`/`mv` from a temporary name on the same
// filesystem, or `cp`.
//
// Start the watcher BEFORE the initial scan of plugin.path: a file that lands between the two is
// then seen by one or the other (seeing it twice is reported as AlreadyExists and is harmless).
//
// Thread-safety: Start and the destructor on one thread; `report` runs on the watcher's thread.
#ifndef SLUICE_RUNTIME_PLUGIN_PLUGIN_WATCHER_H_
#define SLUICE_RUNTIME_PLUGIN_PLUGIN_WATCHER_H_

#include <chrono>
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

  static constexpr std::chrono::milliseconds kDefaultSettle{1000};

  // Watches `dirs`; `registry` must outlive the watcher. Fails when inotify is unavailable or a
  // directory cannot be watched (the message names it).
  static absl::StatusOr<std::unique_ptr<PluginWatcher>> Start(
      PluginRegistry* registry, const std::vector<std::string>& dirs, Report report,
      std::chrono::milliseconds settle = kDefaultSettle);

  PluginWatcher(const PluginWatcher&) = delete;
  PluginWatcher& operator=(const PluginWatcher&) = delete;
  // Stops the thread and closes the inotify descriptor.
  ~PluginWatcher();

 private:
  using Clock = std::chrono::steady_clock;
  // A candidate waiting to settle: what it looked like when last seen, and when to look again.
  struct Pending {
    std::string identity;
    Clock::time_point due;
  };

  PluginWatcher(PluginRegistry* registry, int inotify_fd, int wake_fd, Report report,
                std::chrono::milliseconds settle);
  void Run();
  void HandleEvents();
  void LoadSettled();
  int PollTimeoutMs() const;

  PluginRegistry* registry_;
  int inotify_fd_;
  int wake_fd_;  // an eventfd; written by the destructor to end Run()
  Report report_;
  std::chrono::milliseconds settle_;
  std::map<std::string, Pending> pending_;    // by path; only the watcher's thread touches it
  std::map<int, std::string> dirs_by_watch_;  // written before the thread starts, then read-only
  std::thread thread_;
};

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_PLUGIN_WATCHER_H_
