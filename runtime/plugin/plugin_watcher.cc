#include "runtime/plugin/plugin_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "runtime/common/string_view_compat.h"

namespace sluice::plugin {

absl::StatusOr<std::unique_ptr<PluginWatcher>> PluginWatcher::Start(
    PluginRegistry* registry, const std::vector<std::string>& dirs, Report report) {
  int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (ifd < 0) {
    return absl::UnavailableError(StrCat("plugin watcher: inotify_init1: ", std::strerror(errno)));
  }
  int wfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wfd < 0) {
    int err = errno;
    close(ifd);
    return absl::UnavailableError(StrCat("plugin watcher: eventfd: ", std::strerror(err)));
  }
  // From here the watcher owns both descriptors; an early return closes them.
  std::unique_ptr<PluginWatcher> watcher(new PluginWatcher(registry, ifd, wfd, std::move(report)));
  for (const std::string& dir : dirs) {
    int wd = inotify_add_watch(ifd, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR);
    if (wd < 0) {
      return absl::NotFoundError(StrCat("plugin watcher: cannot watch plugin directory ", dir, ": ",
                                        std::strerror(errno)));
    }
    watcher->dirs_by_watch_[wd] = dir;
  }
  watcher->thread_ = std::thread([w = watcher.get()] { w->Run(); });
  return watcher;
}

PluginWatcher::PluginWatcher(PluginRegistry* registry, int inotify_fd, int wake_fd, Report report)
    : registry_(registry), inotify_fd_(inotify_fd), wake_fd_(wake_fd), report_(std::move(report)) {}

PluginWatcher::~PluginWatcher() {
  if (thread_.joinable()) {
    uint64_t one = 1;
    ssize_t ignored = write(wake_fd_, &one, sizeof(one));
    (void)ignored;
    thread_.join();
  }
  close(inotify_fd_);
  close(wake_fd_);
}

void PluginWatcher::Run() {
  for (;;) {
    pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    int n = poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents != 0) HandleEvents();
  }
}

void PluginWatcher::HandleEvents() {
  alignas(inotify_event) char buffer[16 * (sizeof(inotify_event) + NAME_MAX + 1)];
  for (;;) {
    ssize_t len = read(inotify_fd_, buffer, sizeof(buffer));
    if (len <= 0) return;  // EAGAIN: drained
    for (char* p = buffer; p < buffer + len;) {
      auto* event = reinterpret_cast<inotify_event*>(p);
      p += sizeof(inotify_event) + event->len;
      if (event->len == 0) continue;
      std::string name(event->name);
      if (name.size() <= 3 || name.compare(name.size() - 3, 3, ".so") != 0) continue;
      auto dir = dirs_by_watch_.find(event->wd);
      if (dir == dirs_by_watch_.end()) continue;
      std::string path = dir->second + "/" + name;
      absl::StatusOr<std::shared_ptr<const Plugin>> result = registry_->LoadFile(path);
      if (report_) report_(result);
    }
  }
}

}  // namespace sluice::plugin
