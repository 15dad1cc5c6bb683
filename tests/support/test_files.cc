#include "tests/support/test_files.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sluice::testing {

std::string BinaryDir() {
  const char* dir = std::getenv("SLUICE_BINARY_DIR");
  return dir != nullptr ? dir : ".";
}

TempDir::TempDir() {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "sluice-plugin-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
  chmod(path_.c_str(), 0700);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& contents, unsigned mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << contents;
  }
  chmod(path.c_str(), mode);
}

void CopyFile(const std::string& from, const std::string& to, unsigned mode) {
  WriteFile(to, ReadFile(from), mode);
}

}  // namespace sluice::testing
