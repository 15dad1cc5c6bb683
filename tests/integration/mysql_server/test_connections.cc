#include "tests/integration/mysql_server/test_connections.h"

#include "connectors/mysql/server/binlog_position.h"
#include "gtest/gtest.h"

namespace sluice::mysql {

ConnectionOptions OptionsFor(const testing::MariaDbAccount& account, SslMode mode) {
  ConnectionOptions options;
  options.host = account.host;
  options.port = account.port;
  options.user = account.user;
  options.password = account.password;
  options.ssl_mode = mode;
  options.connect_timeout = absl::Seconds(10);
  options.read_timeout = absl::Seconds(30);
  return options;
}

Connection MustConnect(const testing::MariaDbAccount& account, SslMode mode) {
  absl::StatusOr<Connection> connection = Connection::Open(OptionsFor(account, mode));
  if (!connection.ok()) {
    ADD_FAILURE() << connection.status();
    std::abort();
  }
  return *std::move(connection);
}

ServerPosition CurrentPosition(Connection& connection) {
  ServerPosition position;
  absl::StatusOr<ServerBinlogPosition> now = ReadServerBinlogPosition(connection);
  EXPECT_TRUE(now.ok()) << now.status();
  if (now.ok()) {
    position.file = now->file;
    position.position = now->position;
  }
  absl::StatusOr<QueryResult> gtids = connection.Query("SELECT @@gtid_binlog_pos");
  EXPECT_TRUE(gtids.ok()) << gtids.status();
  if (gtids.ok() && !gtids->rows.empty()) position.gtids = gtids->rows[0][0].value_or("");
  return position;
}

}  // namespace sluice::mysql
