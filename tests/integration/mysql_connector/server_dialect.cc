#include "tests/integration/mysql_connector/server_dialect.h"

#include "absl/strings/str_cat.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

bool IsMySql(TestServer server) {
  return server == TestServer::kMySql || server == TestServer::kMySqlScratch;
}

}  // namespace

std::string ServerParamName(const ::testing::TestParamInfo<TestServer>& info) {
  return IsMySql(info.param) ? "MySql" : "MariaDb";
}

void PrintTo(TestServer server, std::ostream* out) {
  *out << (IsMySql(server) ? "MySql" : "MariaDb");
}

absl::Status CheckServicesReachable(TestServer server) {
  absl::Status kafka = CheckServiceReachable("kafka", KafkaPort());
  if (!kafka.ok()) return kafka;
  return CheckServerReachable(server);
}

absl::Status CheckServerReachable(TestServer server) {
  switch (server) {
    case TestServer::kMariaDbScratch:
      return CheckServiceReachable("mariadb_scratch", MariaDbScratchPort());
    case TestServer::kMySql:
      return CheckServiceReachable("mysql", MySqlPort());
    case TestServer::kMySqlScratch:
      return CheckServiceReachable("mysql_scratch", MySqlScratchPort());
    case TestServer::kMariaDb:
      break;
  }
  return CheckServiceReachable("mariadb", MariaDbPort());
}

TestServer ScratchOf(TestServer server) {
  return IsMySql(server) ? TestServer::kMySqlScratch : TestServer::kMariaDbScratch;
}

std::string SequenceTable(TestServer server, int first, int last) {
  if (!IsMySql(server)) return absl::StrCat("seq_", first, "_to_", last);
  return absl::StrCat("(WITH RECURSIVE sequence_rows(seq) AS (SELECT ", first,
                      " UNION ALL SELECT seq + 1 FROM sequence_rows WHERE seq < ", last,
                      ") SELECT seq FROM sequence_rows) AS sequence_table");
}

std::string CdcGrants(TestServer server) {
  return absl::StrCat("RELOAD, ", CdcGrantsWithoutReload(server));
}

std::string CdcGrantsWithoutReload(TestServer server) {
  return absl::StrCat("SELECT, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, ",
                      IsMySql(server) ? "REPLICATION CLIENT" : "BINLOG MONITOR");
}

std::string DebeziumConnectorClass(TestServer server) {
  return IsMySql(server) ? "io.debezium.connector.mysql.MySqlConnector"
                         : "io.debezium.connector.mariadb.MariaDbConnector";
}

std::string SourceConnectorName(TestServer server) { return IsMySql(server) ? "mysql" : "mariadb"; }

std::string GtidPositionQuery(TestServer server) {
  // MySQL breaks a set of several server UUIDs over lines (",\n"); an offset holds it on one.
  return IsMySql(server) ? "SELECT REPLACE(@@GLOBAL.gtid_executed, '\\n', '')"
                         : "SELECT @@GLOBAL.gtid_binlog_pos";
}

}  // namespace sluice::testing
