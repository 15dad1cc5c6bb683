#include "connectors/mysql/connector/config.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

std::map<std::string, std::string> Minimal() {
  return {{"database.hostname", "db.example"},
          {"database.user", "cdc"},
          {"database.password", "s3cret"},
          {"database.server.id", "5400"},
          {"topic.prefix", "shop"}};
}

TEST(MySqlConfig, ListsAndKeyColumnsAreSplitOnceHere) {
  std::map<std::string, std::string> raw = Minimal();
  raw["database.include.list"] = " shop , crm_.* ,";
  raw["column.exclude.list"] = "shop\\.orders\\.card_.*";
  raw["message.key.columns"] = "shop\\.orders:id, region ; (.*)\\.audit:seq";
  absl::StatusOr<ConnectorConfig> config = ParseConnectorConfig(raw);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->database_include, (std::vector<std::string>{"shop", "crm_.*"}));
  EXPECT_TRUE(config->database_exclude.empty());
  EXPECT_EQ(config->column_exclude, (std::vector<std::string>{"shop\\.orders\\.card_.*"}));
  ASSERT_EQ(config->message_key_columns.size(), 2u);
  EXPECT_EQ(config->message_key_columns[0].table_pattern, "shop\\.orders");
  EXPECT_EQ(config->message_key_columns[0].columns, (std::vector<std::string>{"id", "region"}));
  EXPECT_EQ(config->message_key_columns[1].table_pattern, "(.*)\\.audit");
  EXPECT_EQ(config->message_key_columns[1].columns, (std::vector<std::string>{"seq"}));
}

TEST(MySqlConfig, DebeziumDefaultsApplyToAMinimalConfig) {
  absl::StatusOr<ConnectorConfig> config = ParseConnectorConfig(Minimal());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->connection.port, 3306u);
  EXPECT_EQ(config->server_id, 5400u);
  EXPECT_EQ(config->snapshot_mode, SnapshotMode::kInitial);
  EXPECT_EQ(config->decimal_mode, DecimalMode::kPrecise);
  EXPECT_EQ(config->time_precision_mode, TimePrecisionMode::kAdaptiveTimeMicroseconds);
  EXPECT_EQ(config->bigint_unsigned_mode, BigintUnsignedMode::kLong);
  EXPECT_EQ(config->binary_mode, BinaryMode::kBytes);
  EXPECT_TRUE(config->tombstones_on_delete);
  EXPECT_TRUE(config->include_schema_changes);
  EXPECT_TRUE(config->skip_truncate) << "Debezium's skipped.operations default is t";
  EXPECT_FALSE(config->skip_delete);
  EXPECT_EQ(config->connection.ssl_mode, SslMode::kPreferred);
  EXPECT_EQ(config->flavor, "mysql");
  EXPECT_EQ(config->max_batch_size, 2048);
}

TEST(MySqlConfig, TheMariaDbClassNameSelectsTheMariaDbFlavor) {
  auto raw = Minimal();
  raw["connector.class"] = "io.debezium.connector.mariadb.MariaDbConnector";
  absl::StatusOr<ConnectorConfig> config = ParseConnectorConfig(raw);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->flavor, "mariadb");
}

void ExpectRefused(std::map<std::string, std::string> raw, const std::string& key,
                   const std::string& hint) {
  absl::StatusOr<ConnectorConfig> config = ParseConnectorConfig(raw);
  ASSERT_FALSE(config.ok()) << key;
  EXPECT_TRUE(absl::IsInvalidArgument(config.status())) << config.status();
  EXPECT_NE(config.status().message().find("`" + key + "`"), absl::string_view::npos)
      << config.status();
  EXPECT_NE(config.status().message().find(hint), absl::string_view::npos) << config.status();
  EXPECT_EQ(config.status().message().find("s3cret"), absl::string_view::npos)
      << "the password never appears in a message";
}

TEST(MySqlConfig, RefusalsNameTheKeyAndTheFix) {
  auto raw = Minimal();
  raw.erase("topic.prefix");
  ExpectRefused(raw, "topic.prefix", "required");
  raw = Minimal();
  raw.erase("database.server.id");
  ExpectRefused(raw, "database.server.id", "no other replica");
  raw = Minimal();
  raw["snapshot.mode"] = "schema_only";
  ExpectRefused(raw, "snapshot.mode", "initial, initial_only, when_needed, never, no_data");
  raw = Minimal();
  raw["decimal.handling.mode"] = "exact";
  ExpectRefused(raw, "decimal.handling.mode", "precise, double, string");
  raw = Minimal();
  raw["database.port"] = "70000";
  ExpectRefused(raw, "database.port", "1 to 65535");
  raw = Minimal();
  raw["table.include.list"] = "shop\\.a";
  raw["table.exclude.list"] = "shop\\.b";
  ExpectRefused(raw, "table.include.list", "only one");
  raw = Minimal();
  raw["column.exclude.list"] = "shop.(orders";
  ExpectRefused(raw, "column.exclude.list", "not a valid regular expression");
  raw = Minimal();
  raw["database.ssl.mode"] = "verify_ca";
  ExpectRefused(raw, "database.ssl.ca", "PEM");
  raw = Minimal();
  raw["skipped.operations"] = "c,x";
  ExpectRefused(raw, "skipped.operations", "c, u, d, t");
  raw = Minimal();
  raw["message.key.columns"] = "shop.orders";
  ExpectRefused(raw, "message.key.columns", "<db.table regex>:<column>");
  raw = Minimal();
  raw["topic.prefix"] = "shop/eu";
  ExpectRefused(raw, "topic.prefix", "letters, digits");
}

TEST(MySqlConfig, ThePasswordIsDeclaredSecret) {
  bool found = false;
  for (size_t i = 0; i < ConfigDefCount(); ++i) {
    const sluice_config_def& def = ConfigDefs()[i];
    if (std::string(def.name) == "database.password") {
      found = true;
      EXPECT_EQ(def.type, SLUICE_CONFIG_PASSWORD);
      EXPECT_NE(def.secret, 0);
    }
  }
  EXPECT_TRUE(found);
}

TEST(MySqlConfig, SkippedOperationsNoneEmitsTruncates) {
  auto raw = Minimal();
  raw["skipped.operations"] = "none";
  absl::StatusOr<ConnectorConfig> config = ParseConnectorConfig(raw);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(config->skip_truncate);
}

// Debezium's snapshot.locking.mode values: minimal, extended and none as Debezium means them (any
// case), and custom refused naming why (it loads a Java class).
TEST(MySqlConfig, SnapshotLockingModesFollowDebeziumAndCustomIsRefused) {
  std::map<std::string, std::string> raw = Minimal();
  for (const char* mode : {"minimal", "Extended", "NONE"}) {
    raw["snapshot.locking.mode"] = mode;
    absl::StatusOr<ConnectorConfig> config = ParseConnectorConfig(raw);
    ASSERT_TRUE(config.ok()) << config.status();
    EXPECT_EQ(config->snapshot_locking_mode, absl::AsciiStrToLower(mode));
  }
  raw["snapshot.locking.mode"] = "custom";
  absl::StatusOr<ConnectorConfig> custom = ParseConnectorConfig(raw);
  EXPECT_TRUE(absl::IsInvalidArgument(custom.status()));
  EXPECT_NE(custom.status().message().find("snapshot.locking.mode.custom.name"),
            std::string::npos)
      << custom.status();
}

// offsets.missing.policy fails by default; the host's active topics arrive split, and their
// absence (a host that cannot tell) stays distinct from an empty list.
TEST(MySqlConfig, MissingOffsetsFailByDefaultAndTheHostsActiveTopicsAreRead) {
  std::map<std::string, std::string> raw = Minimal();
  absl::StatusOr<ConnectorConfig> config = ParseConnectorConfig(raw);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->missing_offsets, MissingOffsetsPolicy::kFail);
  EXPECT_FALSE(config->active_topics.has_value());
  raw[SLUICE_TASK_CONFIG_ACTIVE_TOPICS] = "";
  raw["offsets.missing.policy"] = "start_over";
  config = ParseConnectorConfig(raw);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->missing_offsets, MissingOffsetsPolicy::kStartOver);
  ASSERT_TRUE(config->active_topics.has_value());
  EXPECT_TRUE(config->active_topics->empty());
  raw[SLUICE_TASK_CONFIG_ACTIVE_TOPICS] = "shop,shop.db.orders";
  config = ParseConnectorConfig(raw);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(*config->active_topics, (std::vector<std::string>{"shop", "shop.db.orders"}));
  raw["offsets.missing.policy"] = "ignore";
  EXPECT_TRUE(absl::IsInvalidArgument(ParseConnectorConfig(raw).status()));
}

TEST(MySqlConfig, FailureHandlingAndThePlaceholderTakeDebeziumsNamesAndDefaults) {
  absl::StatusOr<ConnectorConfig> config = ParseConnectorConfig(Minimal());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->failure_mode, FailureMode::kFail);
  EXPECT_EQ(config->unavailable_placeholder, "__debezium_unavailable_value");
  auto raw = Minimal();
  raw["unavailable.value.placeholder"] = "N/A";
  for (const auto& [text, mode] : {std::pair<const char*, FailureMode>{"warn", FailureMode::kWarn},
                                   {"skip", FailureMode::kSkip},
                                   {"ignore", FailureMode::kSkip},
                                   {"fail", FailureMode::kFail}}) {
    raw["event.processing.failure.handling.mode"] = text;
    config = ParseConnectorConfig(raw);
    ASSERT_TRUE(config.ok()) << config.status();
    EXPECT_EQ(config->failure_mode, mode) << text;
    EXPECT_EQ(config->unavailable_placeholder, "N/A");
  }
  raw["event.processing.failure.handling.mode"] = "retry";
  config = ParseConnectorConfig(raw);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("event.processing.failure.handling.mode"),
            std::string::npos)
      << config.status();
}

}  // namespace
}  // namespace sluice::mysql
