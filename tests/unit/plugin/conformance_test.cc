// The conformance check passes for the generator and for the example in docs/connector-abi.md,
// and fails, naming the check, for a plugin that builds invalid records.
#include "tests/support/plugin_conformance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/test_files.h"

namespace sluice::plugin {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const Plugin> Load(const testing::TempDir& dir, const char* from,
                                   const char* name) {
  testing::CopyFile(from, dir.File(name));
  auto p = LoadPlugin(dir.File(name));
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : nullptr;
}

LogSink Quiet() {
  return [](LogLevel, std::string_view, std::string_view) {};
}

TEST(Conformance, GeneratorConforms) {
  testing::TempDir dir;
  auto p = Load(dir, SLUICE_GENERATOR_PATH, "generator.so");
  ASSERT_NE(p, nullptr);
  ConformanceOptions options;
  options.connector_config = {{"topic", "t"}, {"rate.per.sec", "1000"}};
  ConformanceResult result;
  absl::Status s = CheckConformance(p, options, Quiet(), &result);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_GT(result.records, 0u);
  EXPECT_THAT(result.passed, ::testing::Contains(HasSubstr("ends a poll promptly")));
}

TEST(Conformance, TheGuidesExampleConforms) {
  testing::TempDir dir;
  auto p = Load(dir, TEST_PLUGIN_DOC_EXAMPLE, "example.so");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name(), "example");
  ConformanceOptions options;
  options.connector_config = {{"topic", "t"}};
  ConformanceResult result;
  absl::Status s = CheckConformance(p, options, Quiet(), &result);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(result.records, 5u);  // one record per poll
}

TEST(Conformance, MissingRequiredConfigFailsFirst) {
  testing::TempDir dir;
  auto p = Load(dir, SLUICE_GENERATOR_PATH, "generator.so");
  ASSERT_NE(p, nullptr);
  ConformanceResult result;
  absl::Status s = CheckConformance(p, ConformanceOptions{}, Quiet(), &result);
  EXPECT_THAT(std::string(s.message()), HasSubstr("config validation"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("`topic`: is required"));
}

TEST(Conformance, InvalidRecordsFailNamingThePoll) {
  testing::TempDir dir;
  auto p = Load(dir, TEST_PLUGIN_BAD_RECORD, "bad.so");
  ASSERT_NE(p, nullptr);
  ConformanceResult result;
  absl::Status s = CheckConformance(p, ConformanceOptions{}, Quiet(), &result);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("poll 1: connector `conformance` task 0"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("field `amount` of `test.Bad`"));
}

}  // namespace
}  // namespace sluice::plugin
