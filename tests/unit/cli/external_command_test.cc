#include "runtime/cli/external_command.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;

// A directory under the test's temporary one, with `sluice-foo` in it (executable or not).
std::string DirectoryWithHelper(const std::string& name, bool executable) {
  const std::string dir = ::testing::TempDir() + "/" + name;
  std::filesystem::create_directories(dir);
  const std::string helper = dir + "/sluice-foo";
  std::ofstream(helper) << "#!/bin/sh\n";
  ::chmod(helper.c_str(), executable ? 0755 : 0644);
  return dir;
}

TEST(ExternalCommand, FoundBesideSluiceFirstThenInPathOrder) {
  const std::string self = DirectoryWithHelper("ext-self", true);
  const std::string on_path = DirectoryWithHelper("ext-path", true);
  const std::string not_executable = DirectoryWithHelper("ext-plain", false);
  EXPECT_EQ(*FindExternalCommand("foo", self, "/nonexistent:" + on_path), self + "/sluice-foo");
  EXPECT_EQ(*FindExternalCommand("foo", "/nonexistent", "::" + on_path + ":" + self),
            on_path + "/sluice-foo");
  EXPECT_EQ(*FindExternalCommand("foo", not_executable, not_executable + ":" + on_path),
            on_path + "/sluice-foo");
  EXPECT_EQ(*FindExternalCommand("foo", "", on_path), on_path + "/sluice-foo");
}

TEST(ExternalCommand, MissingSaysEveryPlaceItLooked) {
  const std::string plain = DirectoryWithHelper("ext-missing", false);
  absl::StatusOr<std::string> found = FindExternalCommand("foo", plain, "/a:/b");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(found.status().message(), HasSubstr("`sluice foo` runs the executable `sluice-foo`"));
  EXPECT_THAT(found.status().message(), HasSubstr(plain + " (beside sluice)"));
  EXPECT_THAT(found.status().message(), HasSubstr("PATH (/a:/b)"));
  EXPECT_THAT(FindExternalCommand("foo", "", "").status().message(),
              HasSubstr("the directory of sluice (unknown) nor on PATH (empty)"));
}

}  // namespace
}  // namespace sluice::cli
