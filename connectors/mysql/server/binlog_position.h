#ifndef SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_POSITION_H_
#define SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_POSITION_H_

// Where a server is writing its binlog now, asked the way that server understands: MySQL 8.2
// added SHOW BINARY LOG STATUS and 8.4 removed SHOW MASTER STATUS (a parse error there, 1064),
// while MariaDB and MySQL before 8.2 know SHOW MASTER STATUS. Every caller that needs the current
// position or the oldest binlog file asks here, so no statement is spelled twice.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::mysql {

struct ServerBinlogPosition {
  std::string file;
  uint64_t position = 4;
  // MySQL: Executed_Gtid_Set, normalised to one line ("uuid:1-5,uuid2:1-3"); empty on MariaDB,
  // whose position is @@gtid_binlog_pos (ask the server for that variable).
  std::string executed_gtids;
};

// The statement that reports the current binlog position on a server of this kind and version
// ("9.7.4-2", "8.0.36", "10.11.6-MariaDB-log").
absl::string_view BinlogStatusStatement(bool mariadb, absl::string_view server_version);

// The current position. FailedPrecondition naming the fix when the binlog is off.
absl::StatusOr<ServerBinlogPosition> ReadServerBinlogPosition(Connection& connection);

// The oldest binlog file the server still has (SHOW BINARY LOGS' first row), where a reader that
// wants everything starts. FailedPrecondition naming the fix when the binlog is off.
absl::StatusOr<std::string> ReadOldestBinlogFile(Connection& connection);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_POSITION_H_
