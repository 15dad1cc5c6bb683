// The one connector-config check (worker::CheckConnectorConfig) with the MySQL plugin: what
// validate and create report, key by key.

#include "runtime/worker/connector_check.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "runtime/convert/converter.h"

namespace sluice::worker {
namespace {

class ConnectorCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(plugins_.LoadFile(SLUICE_MYSQL_PLUGIN_PATH).ok());
    worker_.key_converter.class_name = std::string(convert::kJsonConverterClass);
    worker_.value_converter = worker_.key_converter;
  }
  ConfigMap Debezium(ConfigMap extra = {}) const {
    ConfigMap config = {{"name", "shop"},
                        {"connector.class", "io.debezium.connector.mysql.MySqlConnector"},
                        {"database.hostname", "db"},
                        {"database.user", "cdc"},
                        {"database.server.id", "7"},
                        {"topic.prefix", "shop"}};
    config.insert(config.end(), extra.begin(), extra.end());
    return config;
  }
  plugin::ConfigValidation Check(const ConfigMap& config) const {
    return CheckConnectorConfig(config, plugins_, worker_, nullptr, /*trial_start=*/true);
  }
  static std::string Errors(const plugin::ConfigValidation& verdict, const std::string& key) {
    for (const plugin::KeyValidation& k : verdict.keys) {
      if (k.name == key) return absl::StrJoin(k.errors, "; ");
    }
    return "";
  }
  static std::string Warnings(const plugin::ConfigValidation& verdict, const std::string& key) {
    for (const plugin::KeyValidation& k : verdict.keys) {
      if (k.name == key) return absl::StrJoin(k.warnings, "; ");
    }
    return "";
  }

  plugin::PluginRegistry plugins_;
  config::WorkerConfig worker_;
};

TEST_F(ConnectorCheck, AGoodConfigPassesWithoutAWord) {
  const plugin::ConfigValidation verdict = Check(Debezium());
  EXPECT_TRUE(verdict.ok()) << verdict.ToStatus("shop");
  EXPECT_EQ(verdict.warning_count, 0) << absl::StrJoin(verdict.Warnings(), "\n");
}

TEST_F(ConnectorCheck, ValidateReportsTheValueErrorsTheConnectorsStartWould) {
  const plugin::ConfigValidation verdict = Check(Debezium({{"snapshot.mode", "bogus"}}));
  EXPECT_EQ(verdict.error_count, 1);
  EXPECT_TRUE(absl::StrContains(Errors(verdict, "snapshot.mode"), "initial, initial_only"))
      << verdict.ToStatus("shop");
  const plugin::ConfigValidation regex = Check(Debezium({{"table.include.list", "shop\\.(a"}}));
  EXPECT_TRUE(absl::StrContains(Errors(regex, "table.include.list"), "not a valid regular"))
      << regex.ToStatus("shop");
}

TEST_F(ConnectorCheck, RefusedKeysNameTheReasonAndTheFix) {
  const plugin::ConfigValidation verdict =
      Check(Debezium({{"converters", "boolean"}, {"errors.tolerance", "some"}}));
  EXPECT_TRUE(absl::StrContains(Errors(verdict, "errors.tolerance"), "must be none"))
      << verdict.ToStatus("shop");
  // The connector's own check runs once the worker's pass: one at a time, as create reports them.
  const plugin::ConfigValidation converters = Check(Debezium({{"converters", "boolean"}}));
  EXPECT_TRUE(absl::StrContains(Errors(converters, "converters"), "remove `converters`"))
      << converters.ToStatus("shop");
}

TEST_F(ConnectorCheck, TheErrorHandlingKeysAreHonouredAndTheirValuesChecked) {
  const plugin::ConfigValidation all = Check(Debezium({{"errors.tolerance", "all"},
                                                       {"errors.log.enable", "true"},
                                                       {"errors.log.include.messages", "false"}}));
  EXPECT_TRUE(all.ok()) << all.ToStatus("shop");
  EXPECT_EQ(all.warning_count, 0) << "honoured keys are not warned about";
  const plugin::ConfigValidation bad = Check(Debezium({{"errors.log.enable", "yes"}}));
  EXPECT_TRUE(absl::StrContains(Errors(bad, "errors.log.enable"), "must be true or false"))
      << bad.ToStatus("shop");
}

TEST_F(ConnectorCheck, IgnoredKeysAreWarnedAboutByName) {
  const plugin::ConfigValidation verdict = Check(Debezium({{"schema.history.internal.kafka.topic",
                                                            "history"},
                                                           {"tasks.max.enforce", "true"},
                                                           {"snapshot.mdoe", "initial"},
                                                           {"tasks.max", "4"}}));
  EXPECT_TRUE(verdict.ok()) << verdict.ToStatus("shop");
  EXPECT_TRUE(absl::StrContains(Warnings(verdict, "schema.history.internal.kafka.topic"),
                                "no schema history"));
  EXPECT_TRUE(absl::StrContains(Warnings(verdict, "tasks.max.enforce"), "without effect"));
  EXPECT_TRUE(absl::StrContains(Warnings(verdict, "snapshot.mdoe"), "a typo?"));
  EXPECT_TRUE(absl::StrContains(Warnings(verdict, "tasks.max"), "runs 1 task(s)"));
  EXPECT_EQ(verdict.warning_count, 4);
}

TEST_F(ConnectorCheck, ConnectorConvertersAreCheckedAndChosen) {
  const ConfigMap own = Debezium({{"value.converter", std::string(convert::kJsonConverterClass)},
                                  {"value.converter.schemas.enable", "false"}});
  EXPECT_TRUE(Check(own).ok()) << Check(own).ToStatus("shop");
  absl::StatusOr<ConnectorConverters> converters = ConvertersFor(own, worker_);
  ASSERT_TRUE(converters.ok()) << converters.status();
  EXPECT_FALSE(converters->value.schemas_enable);
  EXPECT_TRUE(converters->key.schemas_enable);  // the worker's

  // Settings without their converter: Kafka Connect would drop them silently.
  const plugin::ConfigValidation orphan =
      Check(Debezium({{"key.converter.schemas.enable", "false"}}));
  EXPECT_TRUE(absl::StrContains(Errors(orphan, "key.converter.schemas.enable"),
                                "set `key.converter` too"))
      << orphan.ToStatus("shop");
  const plugin::ConfigValidation avro = Check(
      Debezium({{"value.converter", "io.confluent.connect.avro.AvroConverter"}}));
  EXPECT_TRUE(absl::StrContains(Errors(avro, "value.converter"), "is not supported"))
      << avro.ToStatus("shop");
  const plugin::ConfigValidation bad = Check(Debezium(
      {{"value.converter", std::string(convert::kJsonConverterClass)},
       {"value.converter.schemas.enable", "maybe"}}));
  EXPECT_FALSE(bad.ok());
}

}  // namespace
}  // namespace sluice::worker
