// The one connector-config validator, against the generator connector's declared definition:
// every problem named per key, worker keys checked, values resolved later left alone.
#include "runtime/plugin/config_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "tests/support/test_files.h"

namespace sluice::plugin {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Errors per key, for matching.
std::map<std::string, std::vector<std::string>> Errors(const ConfigValidation& v) {
  std::map<std::string, std::vector<std::string>> errors;
  for (const KeyValidation& key : v.keys) errors[key.name] = key.errors;
  return errors;
}

class ConfigValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CopyFile(SLUICE_GENERATOR_PATH, dir_.File("generator.so"));
    absl::StatusOr<std::shared_ptr<const Plugin>> loaded =
        registry_.LoadFile(dir_.File("generator.so"));
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    generator_ = *loaded;
  }

  testing::TempDir dir_;
  PluginRegistry registry_;
  std::shared_ptr<const Plugin> generator_;
};

TEST_F(ConfigValidationTest, NamesEveryBadKeyAndPassesUnknownKeys) {
  const ConfigValidation v = ValidateConfig(
      {{"batch.size", "many"}, {"tasks.max", "2"}, {"not.declared", "x"}}, *generator_);
  EXPECT_EQ(v.plugin, "generator");
  EXPECT_EQ(v.error_count, 2);
  auto errors = Errors(v);
  EXPECT_THAT(errors["batch.size"], ElementsAre("must be a 32-bit integer, not `many`"));
  EXPECT_THAT(errors["topic"], ElementsAre(HasSubstr("is required (Topic the records")));
  EXPECT_THAT(errors["not.declared"], IsEmpty());
  EXPECT_THAT(errors["tasks.max"], IsEmpty());
  // The config's keys in its order, then the missing ones.
  ASSERT_EQ(v.keys.size(), 4u);
  EXPECT_EQ(v.keys[0].name, "batch.size");
  EXPECT_EQ(v.keys[0].value, "many");
  EXPECT_EQ(v.keys[3].name, "topic");

  const absl::Status s = v.ToStatus("connector gen");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              AllOf(HasSubstr("connector gen: invalid config for generator: "),
                    HasSubstr("`topic`: is required"),
                    HasSubstr("`batch.size`: must be a 32-bit integer, not `many`")));
}

TEST_F(ConfigValidationTest, AValidConfigPasses) {
  const ConfigValidation v = ValidateConfig(
      {{"topic", "t"}, {"fail.on.start", "TRUE"}, {"rate.per.sec", " 2.5"}}, *generator_);
  EXPECT_TRUE(v.ok());
  EXPECT_TRUE(v.ToStatus("connector gen").ok());
}

TEST_F(ConfigValidationTest, EachTypeIsChecked) {
  auto errors = Errors(ValidateConfig({{"topic", "t"},
                                       {"batch.size", "4294967296"},
                                       {"key.cardinality", "1.5"},
                                       {"rate.per.sec", "fast"},
                                       {"fail.on.start", "yes"}},
                                      *generator_));
  EXPECT_THAT(errors["batch.size"], ElementsAre(HasSubstr("must be a 32-bit integer")));
  EXPECT_THAT(errors["key.cardinality"], ElementsAre(HasSubstr("must be a 64-bit integer")));
  EXPECT_THAT(errors["rate.per.sec"], ElementsAre(HasSubstr("must be a number")));
  EXPECT_THAT(errors["fail.on.start"], ElementsAre(HasSubstr("must be true or false")));
}

TEST_F(ConfigValidationTest, ConnectorClassMustNameAnInstalledPlugin) {
  auto missing = Errors(ValidateConfig({{"topic", "t"}}, registry_));
  EXPECT_THAT(missing["connector.class"], ElementsAre(HasSubstr("is required")));

  const ConfigValidation unknown = ValidateConfig({{"connector.class", "nope"}}, registry_);
  EXPECT_EQ(unknown.plugin, "");
  EXPECT_THAT(Errors(unknown)["connector.class"],
              ElementsAre("no installed plugin is named `nope`; installed: generator"));
  EXPECT_EQ(unknown.error_count, 1) << "without a plugin, no declared key is checked";

  const ConfigValidation known =
      ValidateConfig({{"connector.class", "generator"}, {"topic", "t"}}, registry_);
  EXPECT_TRUE(known.ok());
  EXPECT_EQ(known.plugin, "generator");
}

TEST_F(ConfigValidationTest, TasksMaxMustBeAPositiveInteger) {
  auto errors = Errors(ValidateConfig(
      {{"connector.class", "generator"}, {"topic", "t"}, {"tasks.max", "0"}}, registry_));
  EXPECT_THAT(errors["tasks.max"], ElementsAre("must be an integer >= 1, not `0`"));
}

TEST_F(ConfigValidationTest, AValueResolvedLaterIsNotTypeChecked) {
  auto reference = [](absl::string_view value) { return value.substr(0, 2) == "${"; };
  const ConfigMap config = {{"topic", "t"}, {"batch.size", "${env:BATCH}"}};
  EXPECT_TRUE(ValidateConfig(config, *generator_, reference).ok());
  EXPECT_FALSE(ValidateConfig(config, *generator_).ok());
}

TEST(ConfigLookup, TheLastValueWins) {
  const ConfigMap config = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
  EXPECT_EQ(Lookup(config, "a"), "3");
  EXPECT_EQ(Lookup(config, "c"), std::nullopt);
}

}  // namespace
}  // namespace sluice::plugin
