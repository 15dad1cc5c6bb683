#include "runtime/plugin/shared_library.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <unistd.h>

#include <vector>

#include "runtime/common/string_view_compat.h"

namespace sluice::plugin {

namespace {

absl::StatusOr<void*> DlOpen(const std::string& load_path, const std::string& display_path) {
  dlerror();  // clear a stale message
  void* handle = dlopen(load_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return absl::FailedPreconditionError(
        StrCat("plugin ", display_path, " could not be loaded: ", why ? why : "dlopen failed"));
  }
  return handle;
}

// Whether a library loaded earlier is known to the dynamic loader by exactly `name`.
bool NameTaken(const std::string& name) {
  void* h = dlopen(name.c_str(), RTLD_LAZY | RTLD_LOCAL | RTLD_NOLOAD);
  if (h == nullptr) return false;
  link_map* map = nullptr;
  bool taken = dlinfo(h, RTLD_DI_LINKMAP, &map) == 0 && map != nullptr && map->l_name != nullptr &&
               name == map->l_name;
  dlclose(h);
  return taken;
}

}  // namespace

absl::StatusOr<SharedLibrary> SharedLibrary::OpenFd(int fd, const std::string& display_path) {
  // The dynamic loader recognises an already-loaded library by name before it looks at the file,
  // and fd numbers are reused: /proc/self/fd/5 may still name a plugin loaded earlier from
  // another file. Move to a descriptor number whose name is free, then load.
  std::vector<int> spare;
  int current = fd;
  std::string name = StrCat("/proc/self/fd/", current);
  while (NameTaken(name)) {
    int next = fcntl(fd, F_DUPFD_CLOEXEC, current + 1);
    if (next < 0 || spare.size() > 1024) {
      for (int s : spare) close(s);
      return absl::ResourceExhaustedError(
          StrCat("plugin ", display_path, " could not be loaded: no free descriptor name"));
    }
    spare.push_back(next);
    current = next;
    name = StrCat("/proc/self/fd/", current);
  }
  absl::StatusOr<void*> handle = DlOpen(name, display_path);
  for (int s : spare) close(s);  // the mapping outlives the descriptor
  if (!handle.ok()) return handle.status();
  return SharedLibrary(*handle, display_path);
}

SharedLibrary::SharedLibrary(SharedLibrary&& other) noexcept
    : handle_(other.handle_), path_(std::move(other.path_)) {
  other.handle_ = nullptr;
}

SharedLibrary& SharedLibrary::operator=(SharedLibrary&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) dlclose(handle_);
    handle_ = other.handle_;
    path_ = std::move(other.path_);
    other.handle_ = nullptr;
  }
  return *this;
}

SharedLibrary::~SharedLibrary() {
  if (handle_ != nullptr) dlclose(handle_);
}

void* SharedLibrary::Symbol(const char* name) const {
  return handle_ == nullptr ? nullptr : dlsym(handle_, name);
}

}  // namespace sluice::plugin
