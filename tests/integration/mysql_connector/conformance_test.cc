// The runtime's plugin conformance check, run against the MySQL connector and the real MariaDB:
// lifecycle, poll timing, stop from another thread, and every record checked by the host
// (schemas, datum kinds) without Kafka.
#include "plugin/conformance.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/server/connection.h"
#include "gtest/gtest.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

TEST(MySqlConnectorConformance, EveryPluginNameConformsWithSnapshotRecords) {
  ASSERT_TRUE(CheckServiceReachable("mariadb", MariaDbPort()).ok());
  const std::string db = UniqueName("conform");
  MariaDbAccount admin = MariaDbAdmin();
  mysql::ConnectionOptions options;
  options.host = admin.host;
  options.port = admin.port;
  options.user = admin.user;
  options.password = admin.password;
  absl::StatusOr<mysql::Connection> connection = mysql::Connection::Open(options);
  ASSERT_TRUE(connection.ok()) << connection.status();
  for (const std::string& sql :
       {absl::StrCat("CREATE DATABASE ", db),
        absl::StrCat("CREATE TABLE ", db, ".t (id INT PRIMARY KEY, v VARCHAR(10), d DATETIME(6))"),
        absl::StrCat("INSERT INTO ", db, ".t VALUES (1, 'a', NOW(6)), (2, NULL, NULL)")}) {
    ASSERT_TRUE(connection->Execute(sql).ok()) << sql;
  }
  const std::string plugins = absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/plugins/");
  for (const char* file :
       {"sluice_mysql.so", "sluice_mysql_debezium.so", "sluice_mariadb_debezium.so"}) {
    SCOPED_TRACE(file);
    absl::StatusOr<std::shared_ptr<const plugin::Plugin>> loaded =
        plugin::LoadPlugin(plugins + file);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    MariaDbAccount cdc = MariaDbCdc();
    plugin::ConformanceOptions conformance;
    conformance.connector_config = {
        {"database.hostname", cdc.host}, {"database.port", absl::StrCat(cdc.port)},
        {"database.user", cdc.user},     {"database.password", cdc.password},
        {"database.server.id", "7301"},  {"topic.prefix", "conform"},
        {"database.include.list", db}};
    conformance.polls = 4;
    conformance.poll_timeout_ms = 200;
    plugin::ConformanceResult result;
    absl::Status status = plugin::CheckConformance(
        *loaded, conformance, [](sluice_log_level, std::string_view, std::string_view) {}, &result);
    EXPECT_TRUE(status.ok()) << status;
    EXPECT_EQ(result.records, 3u) << "the table's CREATE TABLE and its two rows";
  }
  (void)connection->Execute(absl::StrCat("DROP DATABASE ", db));
}

}  // namespace
}  // namespace sluice::testing
