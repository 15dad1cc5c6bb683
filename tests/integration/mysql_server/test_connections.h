#ifndef SLUICE_TESTS_INTEGRATION_MYSQL_SERVER_TEST_CONNECTIONS_H_
#define SLUICE_TESTS_INTEGRATION_MYSQL_SERVER_TEST_CONNECTIONS_H_

#include <string>

#include "connectors/mysql/server/connection.h"
#include "tests/support/service_endpoints.h"

namespace sluice::mysql {

ConnectionOptions OptionsFor(const testing::MariaDbAccount& account,
                             SslMode mode = SslMode::kDisabled);

// Opens a connection or fails the test with the status.
Connection MustConnect(const testing::MariaDbAccount& account, SslMode mode = SslMode::kDisabled);

// The binlog file and position the server is writing now.
struct ServerPosition {
  std::string file;
  uint64_t position = 0;
  std::string gtids;  // @@gtid_binlog_pos
};
ServerPosition CurrentPosition(Connection& connection);

}  // namespace sluice::mysql

#endif  // SLUICE_TESTS_INTEGRATION_MYSQL_SERVER_TEST_CONNECTIONS_H_
