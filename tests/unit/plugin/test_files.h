// Temporary plugin directories for the plugin tests.
#ifndef SLUICE_TESTS_UNIT_PLUGIN_TEST_FILES_H_
#define SLUICE_TESTS_UNIT_PLUGIN_TEST_FILES_H_

#include <string>

namespace sluice::plugin::testing {

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

std::string ReadFile(const std::string& path);
// Writes `contents` to `path` with `mode`.
void WriteFile(const std::string& path, const std::string& contents, unsigned mode = 0755);
void CopyFile(const std::string& from, const std::string& to, unsigned mode = 0755);

}  // namespace sluice::plugin::testing

#endif  // SLUICE_TESTS_UNIT_PLUGIN_TEST_FILES_H_
