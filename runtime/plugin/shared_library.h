// RAII owner of one dlopen handle.
//
// Loading runs the library's constructors, so callers check the file first (plugin_file_check.h,
// elf_image_check.h).
// The library is opened with RTLD_NOW (an unresolved symbol fails here, not mid-poll) and
// RTLD_LOCAL (its symbols never satisfy another plugin's).
#ifndef SLUICE_RUNTIME_PLUGIN_SHARED_LIBRARY_H_
#define SLUICE_RUNTIME_PLUGIN_SHARED_LIBRARY_H_

#include <string>

#include "absl/status/statusor.h"

namespace sluice::plugin {

class SharedLibrary {
 public:
  // Opens the already-open file `fd` (the plugin's sealed private copy, plugin_image.h) through
  // /proc/self/fd, so what is loaded is what the caller checked; `display_path` names the
  // plugin's file in messages and in path().
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
