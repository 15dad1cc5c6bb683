// Where a plugin may come from: a file another user could have written, or could swap through a
// folder or a symlink, is refused before any of its code runs (the constructor marker never
// appears), with the folder or file at fault named.
#include "runtime/plugin/plugin_file_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "runtime/plugin/plugin.h"
#include "runtime/plugin/plugin_registry.h"
#include "tests/support/test_files.h"

namespace sluice::plugin {
namespace {

using ::testing::AllOf;
using testing::CopyFile;
using ::testing::HasSubstr;
using testing::TempDir;

std::string Message(const absl::Status& s) { return std::string(s.message()); }

// Loads with the constructor-marker plugin's marker armed; says whether its code ran.
class ConstructorMarker {
 public:
  ConstructorMarker() : marker_(dir_.File("constructor-ran")) {
    setenv("SLUICE_TEST_CONSTRUCTOR_MARKER", marker_.c_str(), 1);
  }
  ~ConstructorMarker() { unsetenv("SLUICE_TEST_CONSTRUCTOR_MARKER"); }
  bool Ran() const { return std::filesystem::exists(marker_); }

 private:
  TempDir dir_;
  std::string marker_;
};

TEST(PluginFileCheck, TheMarkerPluginLoadsAndRunsItsConstructorFromATrustedFolder) {
  // The control for the refusals below: the marker does appear when the file is trusted.
  ConstructorMarker marker;
  TempDir dir;
  CopyFile(TEST_PLUGIN_CONSTRUCTOR_MARKER, dir.File("marker.so"));
  absl::StatusOr<std::shared_ptr<const Plugin>> p = LoadPlugin(dir.File("marker.so"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(marker.Ran());
}

TEST(PluginFileCheck, RefusesASymlinkToAFileInAWorldWritableFolderBeforeItsCodeRuns) {
  ConstructorMarker marker;
  TempDir root;
  const std::string plugins = root.path() + "/plugins";
  const std::string open = root.path() + "/open";
  ASSERT_EQ(mkdir(plugins.c_str(), 0755), 0);
  ASSERT_EQ(mkdir(open.c_str(), 0755), 0);
  ASSERT_EQ(chmod(open.c_str(), 0777), 0);
  CopyFile(TEST_PLUGIN_CONSTRUCTOR_MARKER, open + "/evil.so");
  ASSERT_EQ(symlink((open + "/evil.so").c_str(), (plugins + "/evil.so").c_str()), 0);

  PluginRegistry registry;
  std::vector<absl::Status> refusals = registry.LoadDirectory(plugins);
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_THAT(Message(refusals[0]),
              AllOf(HasSubstr(plugins + "/evil.so"),
                    HasSubstr("folder " + open + " is writable by group or others"),
                    HasSubstr("through a symlink")));
  EXPECT_FALSE(marker.Ran()) << "the refused file's constructor ran";
  EXPECT_TRUE(registry.List().empty());
}

TEST(PluginFileCheck, RefusesAPluginFolderInsideAWorldWritableFolderBeforeItsCodeRuns) {
  ConstructorMarker marker;
  TempDir root;
  const std::string parent = root.path() + "/shared";
  const std::string plugins = parent + "/plugins";
  ASSERT_EQ(mkdir(parent.c_str(), 0755), 0);
  ASSERT_EQ(mkdir(plugins.c_str(), 0755), 0);
  CopyFile(TEST_PLUGIN_CONSTRUCTOR_MARKER, plugins + "/marker.so");
  ASSERT_EQ(chmod(parent.c_str(), 0777), 0);  // anyone could rename `plugins` and put another there

  absl::Status s = LoadPlugin(plugins + "/marker.so").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Message(s), AllOf(HasSubstr(plugins + "/marker.so"),
                                HasSubstr("folder " + parent + " is writable by group or others")));
  EXPECT_FALSE(marker.Ran()) << "the refused file's constructor ran";
}

TEST(PluginFileCheck, RefusesASymlinkThroughALinkInAWritableFolder) {
  // plugins/a.so -> hop/b.so -> good/b.so: whoever writes `hop` picks the file loaded.
  ConstructorMarker marker;
  TempDir root;
  for (const char* d : {"/plugins", "/hop", "/good"}) {
    ASSERT_EQ(mkdir((root.path() + d).c_str(), 0755), 0);
  }
  CopyFile(TEST_PLUGIN_CONSTRUCTOR_MARKER, root.path() + "/good/b.so");
  ASSERT_EQ(symlink((root.path() + "/good/b.so").c_str(), (root.path() + "/hop/b.so").c_str()), 0);
  ASSERT_EQ(symlink("../hop/b.so", (root.path() + "/plugins/a.so").c_str()), 0);
  ASSERT_EQ(chmod((root.path() + "/hop").c_str(), 0775), 0);
  EXPECT_THAT(Message(LoadPlugin(root.path() + "/plugins/a.so").status()),
              HasSubstr("folder " + root.path() + "/hop is writable by group or others"));
  EXPECT_FALSE(marker.Ran());

  ASSERT_EQ(chmod((root.path() + "/hop").c_str(), 0755), 0);  // the same chain, trusted, loads
  absl::StatusOr<std::shared_ptr<const Plugin>> p = LoadPlugin(root.path() + "/plugins/a.so");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->path(), root.path() + "/plugins/a.so");
  EXPECT_TRUE(marker.Ran());
}

TEST(PluginFileCheck, AStickyWorldWritableFolderAboveThePluginFolderIsAccepted) {
  // The /tmp case (documented in docs/security.md): in a sticky folder only an entry's owner can
  // rename or remove it, so the trusted `plugins` inside cannot be swapped.
  TempDir root;
  const std::string sticky = root.path() + "/sticky";
  const std::string plugins = sticky + "/plugins";
  ASSERT_EQ(mkdir(sticky.c_str(), 0755), 0);
  ASSERT_EQ(mkdir(plugins.c_str(), 0755), 0);
  CopyFile(SLUICE_GENERATOR_PATH, plugins + "/generator.so");
  ASSERT_EQ(chmod(sticky.c_str(), 01777), 0);
  absl::StatusOr<std::shared_ptr<const Plugin>> p = LoadPlugin(plugins + "/generator.so");
  EXPECT_TRUE(p.ok()) << p.status();
}

TEST(PluginFileCheck, AStickyWorldWritablePluginFolderIsRefused) {
  // But not as the plugin's own folder: anyone could add files (or links) to it.
  TempDir dir;
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("generator.so"));
  ASSERT_EQ(chmod(dir.path().c_str(), 01777), 0);
  EXPECT_THAT(Message(LoadPlugin(dir.File("generator.so")).status()),
              HasSubstr("folder " + dir.path() + " is writable by group or others"));
}

TEST(PluginFileCheck, RefusesAFileWritableByGroupOrOthers) {
  TempDir dir;
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("g.so"), 0775);
  EXPECT_THAT(
      Message(LoadPlugin(dir.File("g.so")).status()),
      AllOf(HasSubstr(dir.File("g.so")), HasSubstr("the file is writable by group or others")));
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("o.so"), 0757);
  EXPECT_THAT(Message(LoadPlugin(dir.File("o.so")).status()),
              HasSubstr("writable by group or others"));
}

TEST(PluginFileCheck, RefusesAFileInAWritableFolder) {
  TempDir dir;
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("generator.so"));
  ASSERT_EQ(chmod(dir.path().c_str(), 0777), 0);
  absl::Status s = LoadPlugin(dir.File("generator.so")).status();
  EXPECT_THAT(Message(s), AllOf(HasSubstr(dir.File("generator.so")),
                                HasSubstr("folder " + dir.path() + " is writable")));
}

TEST(PluginFileCheck, RefusesAFileOwnedByAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give a file away";
  TempDir dir;
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("theirs.so"));
  ASSERT_EQ(chown(dir.File("theirs.so").c_str(), 65534, 65534), 0);
  EXPECT_THAT(Message(LoadPlugin(dir.File("theirs.so")).status()),
              AllOf(HasSubstr(dir.File("theirs.so")), HasSubstr("owned by uid 65534")));
}

TEST(PluginFileCheck, RefusesAFolderOwnedByAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give a folder away";
  TempDir root;
  const std::string theirs = root.path() + "/theirs";
  ASSERT_EQ(mkdir(theirs.c_str(), 0755), 0);
  CopyFile(SLUICE_GENERATOR_PATH, theirs + "/generator.so");
  ASSERT_EQ(chown(theirs.c_str(), 65534, 65534), 0);
  EXPECT_THAT(Message(LoadPlugin(theirs + "/generator.so").status()),
              HasSubstr("folder " + theirs + " is owned by uid 65534"));
}

TEST(PluginFileCheck, RefusesAFifoWithoutBlocking) {
  TempDir dir;
  ASSERT_EQ(mkfifo(dir.File("pipe.so").c_str(), 0644), 0);
  EXPECT_THAT(Message(LoadPlugin(dir.File("pipe.so")).status()),
              AllOf(HasSubstr(dir.File("pipe.so")), HasSubstr("not a regular file")));
}

TEST(PluginFileCheck, OpensARelativePathAndADanglingLinkIsNotFound) {
  TempDir dir;
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("generator.so"));
  ASSERT_EQ(symlink("missing.so", dir.File("dangling.so").c_str()), 0);
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof(cwd)), nullptr);
  ASSERT_EQ(chdir(dir.path().c_str()), 0);
  absl::StatusOr<UniqueFd> fd = OpenTrustedPluginFile("./generator.so");
  absl::Status dangling = OpenTrustedPluginFile("dangling.so").status();
  ASSERT_EQ(chdir(cwd), 0);
  EXPECT_TRUE(fd.ok()) << fd.status();
  EXPECT_EQ(dangling.code(), absl::StatusCode::kNotFound) << dangling;
  EXPECT_THAT(Message(dangling), HasSubstr("missing.so"));
}

}  // namespace
}  // namespace sluice::plugin
