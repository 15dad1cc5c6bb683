#ifndef SLUICE_TESTS_INTEGRATION_MYSQL_CONNECTOR_SERVER_DIALECT_H_
#define SLUICE_TESTS_INTEGRATION_MYSQL_CONNECTOR_SERVER_DIALECT_H_

// What differs between the test servers, for the suites parameterised over them: the SQL one
// server has and the other spells differently, and the names a server's records carry. One place
// per difference, so a test reads the same on both servers.

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_connector/cdc_run.h"

namespace sluice::testing {

// "MariaDb" or "MySql": the suffix of a test parameterised over servers (`.../MySql`), so a CTest
// registration picks one server's cases with --gtest_filter. INSTANTIATE_TEST_SUITE_P's namer.
std::string ServerParamName(const ::testing::TestParamInfo<TestServer>& info);
// The same for GoogleTest's messages ("where GetParam() = MySql").
void PrintTo(TestServer server, std::ostream* out);

// OK when `server` accepts connections; otherwise Unavailable naming it (CheckServiceReachable).
absl::Status CheckServerReachable(TestServer server);
// The same for Kafka and `server`: the first that does not accept connections, named.
absl::Status CheckServicesReachable(TestServer server);

// The server's scratch instance (fixtures mariadb_scratch, mysql_scratch), for a case that purges
// binlogs or restarts the server: on a shared server that would pull the position from under the
// tests that stop and resume beside it under `ctest -j`. Its users hold the fixture's
// RESOURCE_LOCK.
TestServer ScratchOf(TestServer server);

// A table expression with one column `seq` holding first..last, for INSERT ... SELECT: MariaDB's
// sequence engine (seq_1_to_N); on MySQL a recursive CTE (CdcRun's admin session lifts
// cte_max_recursion_depth for it).
std::string SequenceTable(TestServer server, int first, int last);

// The grants of the shared CDC account (scripts/services/*): MySQL calls MariaDB's BINLOG MONITOR
// (SHOW BINARY LOG STATUS / SHOW MASTER STATUS) REPLICATION CLIENT.
std::string CdcGrants(TestServer server);
// The same without RELOAD (no FLUSH TABLES WITH READ LOCK), as managed servers grant.
std::string CdcGrantsWithoutReload(TestServer server);

// Debezium's connector class for the server, and the `source.connector` its records carry.
std::string DebeziumConnectorClass(TestServer server);
std::string SourceConnectorName(TestServer server);

// A query of one value: the server's GTID position now (MariaDB's gtid_binlog_pos, MySQL's
// gtid_executed set), in the form an offset's `gtids` holds.
std::string GtidPositionQuery(TestServer server);

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_INTEGRATION_MYSQL_CONNECTOR_SERVER_DIALECT_H_
