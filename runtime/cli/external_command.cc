#include "runtime/cli/external_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/cli/exit_codes.h"

namespace sluice::cli {
namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The directory of the running executable, from /proc/self/exe (symlinks resolved, so a `sluice`
// linked into ~/bin still finds the helpers installed beside the real one); empty if unknown.
std::string SelfDirectory() {
  std::vector<char> buffer(4096);
  const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size());
  if (n <= 0 || static_cast<size_t>(n) >= buffer.size()) return "";
  const std::string self(buffer.data(), static_cast<size_t>(n));
  return self.substr(0, self.rfind('/'));
}

}  // namespace

absl::StatusOr<std::string> FindExternalCommand(std::string_view name, std::string_view self_dir,
                                                std::string_view path) {
  const std::string file = absl::StrCat("sluice-", std::string(name));
  if (!self_dir.empty()) {
    std::string beside = absl::StrCat(std::string(self_dir), "/", file);
    if (IsExecutableFile(beside)) return beside;
  }
  // PATH's directories in order; an empty entry (the current directory) is not searched.
  for (std::string_view rest = path; !rest.empty();) {
    const size_t colon = rest.find(':');
    const std::string_view dir = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
    if (dir.empty()) continue;
    std::string candidate = absl::StrCat(std::string(dir), "/", file);
    if (IsExecutableFile(candidate)) return candidate;
  }
  return absl::NotFoundError(absl::StrCat(
      "`sluice ", std::string(name), "` runs the executable `", file, "`, which is not in ",
      self_dir.empty() ? "the directory of sluice (unknown)"
                       : absl::StrCat(std::string(self_dir), " (beside sluice)"),
      " nor on PATH (", path.empty() ? "empty" : std::string(path), "); install it beside sluice",
      " (the build puts it there: cmake --build build --target ", file, ")"));
}

int RunExternalCommand(std::string_view name, int argc, char** argv, std::ostream& err) {
  const char* path = std::getenv("PATH");
  absl::StatusOr<std::string> executable =
      FindExternalCommand(name, SelfDirectory(), path == nullptr ? "" : path);
  if (!executable.ok()) {
    err << "sluice: " << executable.status().message() << '\n';
    return kExitCommandMissing;
  }
  std::vector<char*> args;
  args.push_back(executable->data());
  for (int i = 0; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  err.flush();
  ::execv(executable->c_str(), args.data());
  err << "sluice: cannot run " << *executable << ": " << std::strerror(errno) << '\n';
  return kExitCommandNotRunnable;
}

}  // namespace sluice::cli
