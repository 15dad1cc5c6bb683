// The private copy of a plugin that is checked and loaded: the file is read once, its bytes are
// checked (elf_image_check.h) and put in a sealed memfd, and that memfd is what the dynamic loader
// maps. A plugin file truncated, rewritten or replaced after it was read can no longer reach the
// worker: the loader never maps the file itself, so there is no page of it to lose (SIGBUS).
#ifndef SLUICE_RUNTIME_PLUGIN_PLUGIN_IMAGE_H_
#define SLUICE_RUNTIME_PLUGIN_PLUGIN_IMAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "runtime/plugin/unique_fd.h"

namespace sluice::plugin {

// Plugins larger than this are refused before being read (the MySQL connector is ~30 MB with
// debug information).
inline constexpr size_t kMaxPluginBytes = size_t{1} << 30;

// Reads the whole of the open regular file `fd` (named `path` in messages) with read(), never
// mmap. Unavailable when the file changed while it was read (a copy still under way: the drop-in
// watcher loads it once it settles); FailedPrecondition when it is larger than kMaxPluginBytes.
absl::StatusOr<std::string> ReadPluginFile(int fd, const std::string& path);

// A memfd holding `image`, sealed against every write, growth and shrinking, and executable.
// Its name (seen in /proc/self/maps) is "sluice-plugin:" and the file's base name.
absl::StatusOr<UniqueFd> SealedCopy(const std::string& image, const std::string& path);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_PLUGIN_IMAGE_H_
