// on_offset_check (ABI 1.4) through the host's one caller: the MySQL connector refuses an offset
// it cannot read, naming the key, and accepts its own; plugins without the callback (the generator
// leaves it NULL, a plugin built for 1.0 has a descriptor too short to hold it) are not asked.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "runtime/plugin/plugin.h"
#include "runtime/plugin/plugin_calls.h"
#include "tests/support/test_files.h"

namespace sluice::plugin {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::CopyFile;
using testing::TempDir;

LogSink Quiet() {
  return [](LogLevel, std::string_view, std::string_view) {};
}

std::shared_ptr<const Plugin> Load(const TempDir& dir, const char* path, const char* as) {
  CopyFile(path, dir.File(as));
  absl::StatusOr<std::shared_ptr<const Plugin>> plugin = LoadPlugin(dir.File(as));
  EXPECT_TRUE(plugin.ok()) << plugin.status();
  return plugin.ok() ? *plugin : nullptr;
}

const ConfigMap kMySqlConfig = {{"connector.class", "mysql"}, {"topic.prefix", "shop"}};
const offsets::SourcePartition kShop{{"server", std::string("shop")}};

TEST(OffsetCheck, TheMySqlConnectorRefusesWhatItCannotReadAndNamesTheKey) {
  TempDir dir;
  std::shared_ptr<const Plugin> mysql = Load(dir, SLUICE_MYSQL_PATH, "mysql.so");
  ASSERT_NE(mysql, nullptr);
  absl::Status refused = CheckOffset(
      mysql, "orders", kMySqlConfig, kShop,
      offsets::SourceOffset{{"file", std::string("binlog.000001")},
                            {"pos", std::string("notanumber")}},
      Quiet());
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.message()),
              AllOf(HasSubstr("connector `orders`"), HasSubstr("offset check failed"),
                    HasSubstr("`pos` that is not a whole number")));

  refused = CheckOffset(mysql, "orders", kMySqlConfig,
                        offsets::SourcePartition{{"server", std::string("other")}},
                        offsets::SourceOffset{{"gtids", std::string("0-1-42")}}, Quiet());
  EXPECT_THAT(std::string(refused.message()), HasSubstr(R"({"server":"shop"})"));

  EXPECT_TRUE(CheckOffset(mysql, "orders", kMySqlConfig, kShop,
                          offsets::SourceOffset{{"ts_sec", int64_t{1}},
                                                {"file", std::string("binlog.000001")},
                                                {"pos", int64_t{154}},
                                                {"row", int64_t{1}},
                                                {"event", int64_t{2}}},
                          Quiet())
                  .ok());
}

TEST(OffsetCheck, PluginsWithoutTheCallbackAreNotAsked) {
  TempDir dir;
  const offsets::SourceOffset anything{{"pos", std::string("notanumber")}};
  for (auto [path, as] : {std::pair<const char*, const char*>{SLUICE_GENERATOR_PATH, "g.so"},
                          {TEST_PLUGIN_ABI_1_0, "old.so"}}) {
    std::shared_ptr<const Plugin> plugin = Load(dir, path, as);
    ASSERT_NE(plugin, nullptr);
    EXPECT_TRUE(CheckOffset(plugin, "c", {}, kShop, anything, Quiet()).ok()) << as;
  }
}

}  // namespace
}  // namespace sluice::plugin
