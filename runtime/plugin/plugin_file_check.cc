#include "runtime/plugin/plugin_file_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>
#include <vector>

#include "absl/strings/str_split.h"
#include "runtime/common/string_view_compat.h"

namespace sluice::plugin {
namespace {

constexpr int kMaxLinks = 40;  // as the kernel's MAXSYMLINKS

absl::Status Refuse(const std::string& path, std::string_view reason) {
  return absl::FailedPreconditionError(StrCat("plugin ", path, " refused: ", reason));
}

bool TrustedOwner(uid_t uid) { return uid == 0 || uid == geteuid(); }

// `what` is "the file" or "folder /x". A `passed_through` folder is one the path only crosses:
// for it a sticky bit makes group/other write harmless (see the header).
absl::Status CheckTrusted(const struct stat& st, const std::string& path, const std::string& what,
                          bool passed_through, bool via_link) {
  std::string where = via_link ? " (the path reaches it through a symlink)" : "";
  if (!TrustedOwner(st.st_uid)) {
    return Refuse(
        path, StrCat(what, " is owned by uid ", st.st_uid, ", neither root nor this worker's uid ",
                     geteuid(), where, "; chown it or move the plugin"));
  }
  bool sticky_ok = passed_through && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) != 0;
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && !sticky_ok) {
    return Refuse(path, StrCat(what, " is writable by group or others", where,
                               "; chmod go-w it or move the plugin"));
  }
  return absl::OkStatus();
}

// Walks `path` from `/` one name at a time, as the kernel resolves it, without ever following a
// link implicitly: each folder is opened with O_NOFOLLOW and checked through its descriptor, and
// each symlink is read and its target walked the same way. So every folder the resolution touches
// is checked, and what is opened at the end is what was checked, whatever changes meanwhile.
class TrustedWalk {
 public:
  explicit TrustedWalk(const std::string& path) : path_(path) {}

  absl::StatusOr<UniqueFd> Open() {
    std::string absolute = path_;
    if (absolute.empty() || absolute[0] != '/') {
      char cwd[PATH_MAX];
      if (getcwd(cwd, sizeof(cwd)) == nullptr) return Unresolvable("getcwd");
      absolute = StrCat(cwd, "/", path_);
    }
    if (absl::Status s = Enter(UniqueFd(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)), "");
        !s.ok()) {
      return s;
    }
    std::deque<std::string> todo = Split(absolute);
    if (todo.empty()) return Refuse(path_, "not a regular file");
    int links = 0;
    while (!todo.empty()) {
      std::string name = std::move(todo.front());
      todo.pop_front();
      if (name == ".") continue;
      if (name == "..") {
        if (folders_.size() > 1) folders_.pop_back();
        continue;
      }
      struct stat st;
      if (fstatat(Current(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return Unresolvable(StrCat("cannot stat ", Join(name)));
      }
      if (S_ISLNK(st.st_mode)) {
        // Whoever may write this folder decides where the link points: no sticky exemption here.
        if (absl::Status s = CheckFolder(/*passed_through=*/false); !s.ok()) return s;
        if (++links > kMaxLinks) return Refuse(path_, "too many levels of symbolic links");
        via_link_ = true;
        std::string target(PATH_MAX, '\0');
        ssize_t n = readlinkat(Current(), name.c_str(), target.data(), target.size());
        if (n < 0) return Unresolvable(StrCat("cannot read the link ", Join(name)));
        target.resize(static_cast<size_t>(n));
        std::deque<std::string> rest = Split(target);
        rest.insert(rest.end(), todo.begin(), todo.end());
        todo = std::move(rest);
        if (!target.empty() && target[0] == '/') folders_.resize(1);
        continue;
      }
      if (todo.empty()) return OpenFile(name);
      if (!S_ISDIR(st.st_mode)) return Unresolvable(StrCat(Join(name), " is not a folder"));
      int fd = openat(Current(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) return Changed(Join(name));
      if (absl::Status s = Enter(UniqueFd(fd), name); !s.ok()) return s;
    }
    return Refuse(path_, "names a folder, not a file");
  }

 private:
  struct Folder {
    UniqueFd fd;
    std::string path;
    struct stat st;
  };

  static std::deque<std::string> Split(const std::string& path) {
    std::deque<std::string> parts;
    for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
      parts.emplace_back(part);
    }
    return parts;
  }
  int Current() const { return folders_.back().fd.get(); }
  std::string Join(const std::string& name) const {
    const std::string& dir = folders_.back().path;
    return dir == "/" ? StrCat("/", name) : StrCat(dir, "/", name);
  }
  absl::Status Unresolvable(std::string_view what) const {
    return absl::NotFoundError(
        StrCat("plugin ", path_, " refused: ", what, ": ", std::strerror(errno)));
  }
  absl::Status Changed(const std::string& what) const {
    return Refuse(path_, StrCat(what, " changed while it was being checked; try again"));
  }

  absl::Status Enter(UniqueFd fd, const std::string& name) {
    if (!fd.valid()) return Unresolvable("cannot open /");
    Folder folder;
    folder.path = folders_.empty() ? "/" : Join(name);
    if (fstat(fd.get(), &folder.st) != 0) return Unresolvable(StrCat("cannot stat ", folder.path));
    folder.fd = std::move(fd);
    folders_.push_back(std::move(folder));
    return CheckFolder(/*passed_through=*/true);
  }

  absl::Status CheckFolder(bool passed_through) const {
    const Folder& f = folders_.back();
    return CheckTrusted(f.st, path_, StrCat("folder ", f.path), passed_through, via_link_);
  }

  absl::StatusOr<UniqueFd> OpenFile(const std::string& name) {
    if (absl::Status s = CheckFolder(/*passed_through=*/false); !s.ok()) return s;
    // O_NONBLOCK: a FIFO named *.so must not hang the worker; it is refused below.
    UniqueFd fd(openat(Current(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd.valid()) {
      if (errno == ELOOP) return Changed(Join(name));
      return Unresolvable(StrCat("cannot open ", Join(name)));
    }
    struct stat st;
    if (fstat(fd.get(), &st) != 0) return Unresolvable(StrCat("cannot stat ", Join(name)));
    if (!S_ISREG(st.st_mode)) return Refuse(path_, "not a regular file");
    std::string what = via_link_ ? StrCat("the file ", Join(name)) : std::string("the file");
    if (absl::Status s = CheckTrusted(st, path_, what, false, via_link_); !s.ok()) return s;
    return fd;
  }

  const std::string& path_;
  std::vector<Folder> folders_;  // from `/` to the current folder
  bool via_link_ = false;
};

}  // namespace

absl::StatusOr<UniqueFd> OpenTrustedPluginFile(const std::string& path) {
  return TrustedWalk(path).Open();
}

}  // namespace sluice::plugin
