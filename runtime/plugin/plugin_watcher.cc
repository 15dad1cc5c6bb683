#include "runtime/plugin/plugin_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "runtime/common/string_view_compat.h"

namespace sluice::plugin {
namespace {

// What a file looks like from outside: equal identities mean it did not change in between.
// Empty when the file is gone.
std::string Identity(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return "";
  return StrCat(st.st_dev, ":", st.st_ino, ":", st.st_size, ":", st.st_mtim.tv_sec, ".",
                st.st_mtim.tv_nsec, ":", st.st_ctim.tv_sec, ".", st.st_ctim.tv_nsec);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PluginWatcher>> PluginWatcher::Start(
    PluginRegistry* registry, const std::vector<std::string>& dirs, Report report,
    std::chrono::milliseconds settle) {
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
  std::unique_ptr<PluginWatcher> watcher(
      new PluginWatcher(registry, ifd, wfd, std::move(report), settle));
  for (const std::string& dir : dirs) {
    int wd =
        inotify_add_watch(ifd, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY | IN_ONLYDIR);
    if (wd < 0) {
      return absl::NotFoundError(StrCat("plugin watcher: cannot watch plugin directory ", dir, ": ",
                                        std::strerror(errno)));
    }
    watcher->dirs_by_watch_[wd] = dir;
  }
  watcher->thread_ = std::thread([w = watcher.get()] { w->Run(); });
  return watcher;
}

PluginWatcher::PluginWatcher(PluginRegistry* registry, int inotify_fd, int wake_fd, Report report,
                             std::chrono::milliseconds settle)
    : registry_(registry),
      inotify_fd_(inotify_fd),
      wake_fd_(wake_fd),
      report_(std::move(report)),
      settle_(settle) {}

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
    int n = poll(fds, 2, PollTimeoutMs());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents != 0) HandleEvents();
    LoadSettled();
  }
}

int PluginWatcher::PollTimeoutMs() const {
  if (pending_.empty()) return -1;
  Clock::time_point first = Clock::time_point::max();
  for (const auto& [path, pending] : pending_) first = std::min(first, pending.due);
  auto wait = std::chrono::ceil<std::chrono::milliseconds>(first - Clock::now());
  return static_cast<int>(std::max<int64_t>(0, wait.count()));
}

void PluginWatcher::LoadSettled() {
  const Clock::time_point now = Clock::now();
  for (auto it = pending_.begin(); it != pending_.end();) {
    const std::string path = it->first;
    Pending& pending = it->second;
    if (pending.due > now) {
      ++it;
      continue;
    }
    std::string identity = Identity(path);
    if (identity.empty()) {  // removed (or renamed away) before it settled: nothing to load
      it = pending_.erase(it);
      continue;
    }
    if (identity != pending.identity) {  // still changing: look again after another quiet spell
      pending = {std::move(identity), now + settle_};
      ++it;
      continue;
    }
    absl::StatusOr<std::shared_ptr<const Plugin>> result = registry_->LoadFile(path);
    if (absl::IsUnavailable(result.status())) {  // it changed while it was read
      pending = {Identity(path), now + settle_};
      ++it;
      continue;
    }
    it = pending_.erase(it);
    // A transform library (OK without a connector) was reported by the registry's own log line.
    if (report_ && !(result.ok() && *result == nullptr)) report_(result);
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
      // A write only postpones a candidate; a close or a rename makes one (a file still open for
      // writing is not).
      auto pending = pending_.find(path);
      if ((event->mask & IN_MODIFY) != 0) {
        if (pending != pending_.end()) pending->second.due = Clock::now() + settle_;
        continue;
      }
      pending_[path] = {Identity(path), Clock::now() + settle_};
    }
  }
}

}  // namespace sluice::plugin
