#ifndef SLUICE_TESTS_INTEGRATION_ADMIN_MYSQL_TEST_CONFIG_H_
#define SLUICE_TESTS_INTEGRATION_ADMIN_MYSQL_TEST_CONFIG_H_

// What the admin tests of the MySQL connector share: a connection to a test server over TLS, and
// the connector's config capturing one database, whose name is also the topic prefix.

#include <unistd.h>

#include <cstdint>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/server/connection.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {

inline absl::StatusOr<mysql::Connection> OpenOverTls(const MariaDbAccount& account) {
  mysql::ConnectionOptions options;
  options.host = account.host;
  options.port = account.port;
  options.user = account.user;
  options.password = account.password;
  options.ssl_mode = mysql::SslMode::kRequired;
  return mysql::Connection::Open(options);
}

// `server_id_base` keeps the tests' replica ids apart (a process adds its pid).
inline std::map<std::string, std::string> MySqlConnectorConfig(const MariaDbAccount& cdc,
                                                               const std::string& db,
                                                               int server_id_base) {
  return {{"connector.class", "mysql"},
          {"tasks.max", "1"},
          {"database.hostname", cdc.host},
          {"database.port", absl::StrCat(cdc.port)},
          {"database.user", cdc.user},
          {"database.password", cdc.password},
          {"database.server.id", absl::StrCat(server_id_base + getpid() % 10000)},
          {"database.ssl.mode", "required"},
          {"topic.prefix", db},
          {"database.include.list", db}};
}

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_INTEGRATION_ADMIN_MYSQL_TEST_CONFIG_H_
