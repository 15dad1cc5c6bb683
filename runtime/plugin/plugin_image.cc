#include "runtime/plugin/plugin_image.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/common/string_view_compat.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U  // Linux 6.3: executable even where vm.memfd_noexec says otherwise
#endif

namespace sluice::plugin {
namespace {

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

absl::Status Failed(const std::string& path, std::string_view what) {
  return absl::InternalError(StrCat("plugin ", path, " could not be copied for loading: ", what,
                                    ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::string> ReadPluginFile(int fd, const std::string& path) {
  struct stat before;
  if (fstat(fd, &before) != 0) return Failed(path, "fstat");
  if (static_cast<uint64_t>(before.st_size) > kMaxPluginBytes) {
    return absl::FailedPreconditionError(StrCat("plugin ", path, " refused: ", before.st_size,
                                                " bytes, more than the ", kMaxPluginBytes,
                                                " a plugin may have"));
  }
  std::string image;
  image.resize(static_cast<size_t>(before.st_size));
  size_t done = 0;
  while (done < image.size()) {
    ssize_t n = pread(fd, image.data() + done, image.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Failed(path, "read");
    if (n == 0) break;  // shrunk meanwhile
    done += static_cast<size_t>(n);
  }
  char extra;
  bool grew = pread(fd, &extra, 1, static_cast<off_t>(done)) > 0;
  struct stat after;
  if (fstat(fd, &after) != 0) return Failed(path, "fstat");
  if (done != image.size() || grew || !SameFile(before, after)) {
    return absl::UnavailableError(StrCat("plugin ", path,
                                         " refused: it changed while it was read (still being "
                                         "copied?); it is loaded once it stops changing"));
  }
  return image;
}

absl::StatusOr<UniqueFd> SealedCopy(const std::string& image, const std::string& path) {
  size_t slash = path.rfind('/');
  std::string name =
      StrCat("sluice-plugin:", slash == std::string::npos ? path : path.substr(slash + 1));
  unsigned flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
  UniqueFd fd(memfd_create(name.c_str(), flags | MFD_EXEC));
  if (!fd.valid() && errno == EINVAL) fd = UniqueFd(memfd_create(name.c_str(), flags));  // < 6.3
  if (!fd.valid()) return Failed(path, "memfd_create");
  for (size_t done = 0; done < image.size();) {
    ssize_t n = write(fd.get(), image.data() + done, image.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Failed(path, "write to memfd");
    done += static_cast<size_t>(n);
  }
  if (fcntl(fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    return Failed(path, "seal memfd");
  }
  return fd;
}

}  // namespace sluice::plugin
