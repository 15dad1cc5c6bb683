#ifndef SLUICE_TESTS_SUPPORT_SERVICE_ENDPOINTS_H_
#define SLUICE_TESTS_SUPPORT_SERVICE_ENDPOINTS_H_

// Where the test services listen. CTest's fixtures start them with scripts/services/* and pass
// the same addresses to every test through the environment (cmake/SluiceTesting.cmake); the
// defaults below match the scripts' defaults so a test binary can also be run by hand.

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace sluice::testing {

struct MariaDbAccount {
  std::string host;
  unsigned port = 0;
  std::string user;
  std::string password;
};

// "127.0.0.1:<KAFKA_PORT>".
std::string KafkaBootstrap();

// A second broker (fixture `kafka_scratch`, "127.0.0.1:<KAFKA_SCRATCH_PORT>") that fault tests may
// kill and restart (`scripts/services/kafka restart`); its users hold RESOURCE_LOCK kafka_scratch.
std::string KafkaScratchBootstrap();

// The account with every privilege, for tests that create databases and write rows.
MariaDbAccount MariaDbAdmin();

// The account with only the grants a CDC connector needs (scripts/services/mariadb).
MariaDbAccount MariaDbCdc();

// The same accounts on the scratch server (fixture `mariadb_scratch`): plaintext only, and tests
// may change its global settings.
MariaDbAccount MariaDbScratchAdmin();
MariaDbAccount MariaDbScratchCdc();

// The same accounts on the MySQL 9.7 server (fixture `mysql`, scripts/services/mysql): TLS with
// its own test CA, the server's default authentication (caching_sha2_password).
MariaDbAccount MySqlAdmin();
MariaDbAccount MySqlCdc();
// Files of the MySQL server's TLS folder (ca.pem, client-cert.pem, client-key.pem).
std::string MySqlTlsFile(absl::string_view name);
// The same accounts on the MySQL scratch server (fixture `mysql_scratch`, TLS like the shared
// one): tests may restart it or change its global settings.
MariaDbAccount MySqlScratchAdmin();
MariaDbAccount MySqlScratchCdc();

// The CA that signed the test server's certificate (issued for the name "localhost" only), and a
// client certificate and key it signed.
std::string MariaDbTlsFile(absl::string_view name);

// A loopback port nothing listens on (at the time of asking).
int FreePort();

// A name no earlier run has used: prefix + process id + a counter, for topics and databases.
std::string UniqueName(absl::string_view prefix);

// OK when something accepts TCP connections on 127.0.0.1:port within a second; otherwise an
// Unavailable status naming the service and where its log is, so a dead service fails a test at
// once with a message instead of leaving it waiting.
absl::Status CheckServiceReachable(absl::string_view service, unsigned port);
unsigned KafkaPort();
unsigned MariaDbPort();
unsigned MariaDbScratchPort();
unsigned MySqlPort();
unsigned MySqlScratchPort();
unsigned KafkaScratchPort();

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_SUPPORT_SERVICE_ENDPOINTS_H_
