// The runtime's plugin conformance check, run against the MySQL connector and the real MariaDB
// and MySQL (`.../MariaDb`, `.../MySql`): lifecycle, poll timing, stop from another thread, and
// every record checked by the host (schemas, datum kinds) without Kafka.
#include "tests/support/plugin_conformance.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/server/connection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/integration/mysql_connector/server_dialect.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/test_files.h"

namespace sluice::testing {
namespace {

class MySqlConnectorConformance : public ::testing::TestWithParam<TestServer> {};

INSTANTIATE_TEST_SUITE_P(Servers, MySqlConnectorConformance,
                         ::testing::Values(TestServer::kMariaDb, TestServer::kMySql),
                         ServerParamName);

TEST_P(MySqlConnectorConformance, EveryClassNameConformsWithSnapshotRecords) {
  const absl::Status up = CheckServerReachable(GetParam());
  ASSERT_TRUE(up.ok()) << up;
  const std::string db = UniqueName("conform");
  MariaDbAccount admin = AdminAccount(GetParam());
  mysql::ConnectionOptions options;
  options.host = admin.host;
  options.port = admin.port;
  options.user = admin.user;
  options.password = admin.password;
  options.ssl_mode = mysql::SslMode::kRequired;
  absl::StatusOr<mysql::Connection> connection = mysql::Connection::Open(options);
  ASSERT_TRUE(connection.ok()) << connection.status();
  for (const std::string& sql :
       {absl::StrCat("CREATE DATABASE ", db),
        absl::StrCat("CREATE TABLE ", db, ".t (id INT PRIMARY KEY, v VARCHAR(10), d DATETIME(6))"),
        absl::StrCat("INSERT INTO ", db, ".t VALUES (1, 'a', NOW(6)), (2, NULL, NULL)")}) {
    ASSERT_TRUE(connection->Execute(sql).ok()) << sql;
  }
  const std::string file = absl::StrCat(BinaryDir(), "/plugins/sluice_mysql.so");
  absl::StatusOr<std::shared_ptr<const plugin::Plugin>> loaded = plugin::LoadPlugin(file);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->name(), "mysql");
  EXPECT_THAT((*loaded)->aliases(),
              ::testing::ElementsAre("io.debezium.connector.mysql.MySqlConnector",
                                     "io.debezium.connector.mariadb.MariaDbConnector"));
  // One library, every name a Debezium config may give it: each must behave the same.
  for (const char* connector_class :
       {"mysql", "io.debezium.connector.mysql.MySqlConnector",
        "io.debezium.connector.mariadb.MariaDbConnector"}) {
    SCOPED_TRACE(connector_class);
    EXPECT_TRUE((*loaded)->AnswersTo(connector_class));
    MariaDbAccount cdc = CdcAccount(GetParam());
    plugin::ConformanceOptions conformance;
    conformance.connector_config = {
        {"connector.class", connector_class},
        {"database.hostname", cdc.host}, {"database.port", absl::StrCat(cdc.port)},
        {"database.user", cdc.user},     {"database.password", cdc.password},
        {"database.server.id", "7301"},  {"topic.prefix", "conform"},
        {"database.include.list", db}};
    conformance.polls = 4;
    conformance.poll_timeout_ms = 200;
    plugin::ConformanceResult result;
    absl::Status status = plugin::CheckConformance(
        *loaded, conformance, [](LogLevel, std::string_view, std::string_view) {}, &result);
    EXPECT_TRUE(status.ok()) << status;
    EXPECT_EQ(result.records, 3u) << "the table's CREATE TABLE and its two rows";
  }
  (void)connection->Execute(absl::StrCat("DROP DATABASE ", db));
}

}  // namespace
}  // namespace sluice::testing
