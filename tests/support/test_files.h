// Files for tests: where the build put its binaries, temporary folders, and reading and writing
// whole files. Any thread.
#ifndef SLUICE_TESTS_SUPPORT_TEST_FILES_H_
#define SLUICE_TESTS_SUPPORT_TEST_FILES_H_

#include <string>

namespace sluice::testing {

// The build's top folder (SLUICE_BINARY_DIR, which CTest passes; "." without it): `sluice` is
// at runtime/cli/sluice, the plugins in plugins/.
std::string BinaryDir();

// A fresh directory (mode 0700, ours), removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The whole file; "" when it cannot be read.
std::string ReadFile(const std::string& path);
// Writes `contents` to `path` (replacing it) with `mode`.
void WriteFile(const std::string& path, const std::string& contents, unsigned mode = 0644);
// A copy of `from` at `to` with `mode` (a plugin's, by default).
void CopyFile(const std::string& from, const std::string& to, unsigned mode = 0755);

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_SUPPORT_TEST_FILES_H_
