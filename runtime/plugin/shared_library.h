// RAII owner of one dlopen handle.
//
// Loading runs the library's constructors, so callers check the file first (plugin_file_check.h).
// The library is opened with RTLD_NOW (an unresolved symbol fails here, not mid-poll) and
// RTLD_LOCAL (its symbols never satisfy another plugin's).
#ifndef SLUICE_RUNTIME_PLUGIN_SHARED_LIBRARY_H_
#define SLUICE_RUNTIME_PLUGIN_SHARED_LIBRARY_H_

#include <string>

#include "absl/status/statusor.h"

namespace sluice::plugin {

class SharedLibrary {
 public:
  // Opens the file at `path`.
  static absl::StatusOr<SharedLibrary> Open(const std::string& path);

  // Opens the already-open file `fd` through /proc/self/fd, so the file loaded is the file the
  // caller checked even if `display_path` (used in messages) was swapped in between.
  static absl::StatusOr<SharedLibrary> OpenFd(int fd, const std::string& display_path);

  SharedLibrary(SharedLibrary&& other) noexcept;
  SharedLibrary& operator=(SharedLibrary&& other) noexcept;
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  ~SharedLibrary();

  // The address of `name`, or nullptr when the library does not define it.
  void* Symbol(const char* name) const;
  const std::string& path() const { return path_; }

 private:
  SharedLibrary(void* handle, std::string path) : handle_(handle), path_(std::move(path)) {}
  void* handle_ = nullptr;
  std::string path_;
};

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_SHARED_LIBRARY_H_
