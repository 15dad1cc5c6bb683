// The loader refuses every bad plugin file with a message naming the file and the reason, before
// running any of its code where the check allows, and keeps loading the good ones.
#include <elf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/plugin/plugin.h"
#include "runtime/plugin/plugin_registry.h"
#include "tests/support/test_files.h"

namespace sluice::plugin {
namespace {

using ::testing::AllOf;
using testing::CopyFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST(PluginLoader, LoadsTheGeneratorAndReadsItsDescriptor) {
  TempDir dir;
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("generator.so"));
  absl::StatusOr<std::shared_ptr<const Plugin>> p = LoadPlugin(dir.File("generator.so"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->name(), "generator");
  EXPECT_EQ((*p)->version(), "1.0.0");
  EXPECT_EQ((*p)->path(), dir.File("generator.so"));
  ASSERT_FALSE((*p)->config_defs().empty());
  EXPECT_EQ((*p)->config_defs()[0].name, "topic");
  EXPECT_TRUE((*p)->config_defs()[0].required);
  EXPECT_EQ((*p)->config_defs()[1].default_value, "100");
}

TEST(PluginLoader, TwoPluginsLoadedOneAfterTheOtherStayDistinct) {
  // Regression: loading through /proc/self/fd/N reuses N, and the dynamic loader matches by name,
  // so the second load once returned the first library.
  TempDir dir;
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("generator.so"));
  CopyFile(TEST_PLUGIN_BAD_RECORD, dir.File("other.so"));
  auto first = LoadPlugin(dir.File("generator.so"));
  auto second = LoadPlugin(dir.File("other.so"));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ((*first)->name(), "generator");
  EXPECT_EQ((*second)->name(), "test-plugin");
}

TEST(PluginLoader, RefusesAFileThatIsNotElf) {
  TempDir dir;
  WriteFile(dir.File("text.so"), "#!/bin/sh\necho not a library\n", 0755);
  absl::Status s = LoadPlugin(dir.File("text.so")).status();
  EXPECT_THAT(Message(s), AllOf(HasSubstr(dir.File("text.so")), HasSubstr("not a shared object")));
}

TEST(PluginLoader, RefusesAnElfFileForAnotherMachine) {
  TempDir dir;
  std::string bytes = ReadFile(SLUICE_GENERATOR_PATH);
  ASSERT_GT(bytes.size(), sizeof(Elf64_Ehdr));
  uint16_t arm = EM_ARM;
  bytes.replace(offsetof(Elf64_Ehdr, e_machine), sizeof(arm), reinterpret_cast<const char*>(&arm),
                sizeof(arm));
  WriteFile(dir.File("arm.so"), bytes, 0755);
  absl::Status s = LoadPlugin(dir.File("arm.so")).status();
  EXPECT_THAT(Message(s), AllOf(HasSubstr(dir.File("arm.so")), HasSubstr("wrong architecture")));
}

TEST(PluginLoader, RefusesAnElfFileOfTheWrongClass) {
  TempDir dir;
  std::string bytes = ReadFile(SLUICE_GENERATOR_PATH);
  bytes[EI_CLASS] = ELFCLASS32;
  WriteFile(dir.File("elf32.so"), bytes, 0755);
  EXPECT_THAT(Message(LoadPlugin(dir.File("elf32.so")).status()), HasSubstr("wrong architecture"));
}

TEST(PluginLoader, RefusesALibraryWithoutTheEntrySymbol) {
  TempDir dir;
  CopyFile(TEST_PLUGIN_NO_ENTRY, dir.File("noentry.so"));
  absl::Status s = LoadPlugin(dir.File("noentry.so")).status();
  EXPECT_THAT(Message(s), AllOf(HasSubstr(dir.File("noentry.so")),
                                HasSubstr("missing entry symbol `sluice_connector_entry`")));
}

TEST(PluginLoader, RefusesAnAbiMajorMismatch) {
  TempDir dir;
  CopyFile(TEST_PLUGIN_ABI_MAJOR, dir.File("abi99.so"));
  absl::Status s = LoadPlugin(dir.File("abi99.so")).status();
  EXPECT_THAT(Message(s),
              AllOf(HasSubstr(dir.File("abi99.so")), HasSubstr("built for connector ABI 99."),
                    HasSubstr("this worker speaks ABI 1.x")));
}

TEST(PluginLoader, RefusesMissingRequiredCallbacksNamingEach) {
  TempDir dir;
  CopyFile(TEST_PLUGIN_MISSING_CALLBACKS, dir.File("partial.so"));
  absl::Status s = LoadPlugin(dir.File("partial.so")).status();
  EXPECT_THAT(Message(s),
              AllOf(HasSubstr(dir.File("partial.so")),
                    HasSubstr("missing required callbacks: on_task_poll, on_task_stop")));
}

TEST(PluginLoader, RefusesASecondPluginWithTheSameNameAndVersion) {
  TempDir dir;
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("a.so"));
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("b.so"));
  PluginRegistry registry;
  std::vector<absl::Status> refusals = registry.LoadDirectory(dir.path());
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(Message(refusals[0]),
              AllOf(HasSubstr(dir.File("b.so")), HasSubstr("`generator` version 1.0.0"),
                    HasSubstr("already loaded from " + dir.File("a.so"))));
  ASSERT_NE(registry.Find("generator"), nullptr);
  EXPECT_EQ(registry.Find("generator")->path(), dir.File("a.so"));
}

TEST(PluginRegistry, FindsAPluginByItsNameOrAnyOfItsAliases) {
  TempDir dir;
  CopyFile(TEST_PLUGIN_ALIASES, dir.File("aliased.so"));
  PluginRegistry registry;
  ASSERT_TRUE(registry.LoadDirectory(dir.path()).empty());
  std::shared_ptr<const Plugin> by_name = registry.Find("test-plugin");
  ASSERT_NE(by_name, nullptr);
  EXPECT_THAT(by_name->aliases(), ElementsAre("com.example.TestConnector", "test-alias"));
  EXPECT_EQ(registry.Find("com.example.TestConnector"), by_name);
  EXPECT_EQ(registry.Find("test-alias", "0.0.1"), by_name);
  EXPECT_EQ(registry.Find("TestConnector"), nullptr) << "only the declared spellings";
}

TEST(PluginRegistry, RefusesAPluginClaimingAnAliasAnotherAlreadyAnswersTo) {
  TempDir dir;
  CopyFile(TEST_PLUGIN_ALIASES, dir.File("a.so"));
  CopyFile(TEST_PLUGIN_ALIAS_CLASH, dir.File("b.so"));
  PluginRegistry registry;
  std::vector<absl::Status> refusals = registry.LoadDirectory(dir.path());
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(
      Message(refusals[0]),
      AllOf(HasSubstr(dir.File("b.so")), HasSubstr("`test-alias` version 0.0.1"),
            HasSubstr("already loaded from " + dir.File("a.so")), HasSubstr("(as `test-plugin`)")));
  EXPECT_EQ(registry.Find("clash"), nullptr);
  EXPECT_EQ(registry.Find("test-alias")->path(), dir.File("a.so"));
}

TEST(PluginLoader, RefusesAMalformedAlias) {
  TempDir dir;
  CopyFile(TEST_PLUGIN_BAD_ALIAS, dir.File("badalias.so"));
  absl::Status s = LoadPlugin(dir.File("badalias.so")).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Message(s), HasSubstr("alias 0 is missing or has characters outside"));
}

TEST(PluginLoader, APluginBuiltForAbi10HasNoAliasesAndItsTrailingBytesAreNotRead) {
  TempDir dir;
  CopyFile(TEST_PLUGIN_ABI_1_0, dir.File("old.so"));
  absl::StatusOr<std::shared_ptr<const Plugin>> plugin = LoadPlugin(dir.File("old.so"));
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_TRUE((*plugin)->aliases().empty());
  EXPECT_TRUE((*plugin)->AnswersTo("test-plugin"));
}

TEST(PluginRegistry, KeepsLoadingTheGoodFilesAfterARefusal) {
  TempDir dir;
  WriteFile(dir.File("a-broken.so"), "garbage", 0755);
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("b-generator.so"));
  WriteFile(dir.File("notes.txt"), "ignored: not a .so", 0755);
  PluginRegistry registry;
  std::vector<absl::Status> refusals = registry.LoadPluginPath(" " + dir.path() + " , ");
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_THAT(Message(refusals[0]), HasSubstr("a-broken.so"));
  EXPECT_NE(registry.Find("generator", "1.0.0"), nullptr);
  EXPECT_EQ(registry.Find("generator", "2.0.0"), nullptr);
  EXPECT_EQ(registry.List().size(), 1u);
}

TEST(PluginRegistry, AMissingDirectoryIsARefusalNotACrash) {
  PluginRegistry registry;
  std::vector<absl::Status> refusals = registry.LoadPluginPath("/nonexistent/sluice-plugins");
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_THAT(Message(refusals[0]), HasSubstr("/nonexistent/sluice-plugins"));
}

TEST(PluginRegistry, SplitsPluginPathLikeKafkaConnect) {
  EXPECT_THAT(PluginRegistry::SplitPluginPath(" /a ,/b,, "), ElementsAre("/a", "/b"));
}

TEST(PluginRegistry, ComparesVersionsNumerically) {
  EXPECT_LT(CompareVersions("1.9.0", "1.10.0"), 0);
  EXPECT_GT(CompareVersions("2.0", "1.99.99"), 0);
  EXPECT_EQ(CompareVersions("1.0", "1.0.0"), 0);
  EXPECT_LT(CompareVersions("1.0.0-beta", "1.0.1"), 0);
}

}  // namespace
}  // namespace sluice::plugin
