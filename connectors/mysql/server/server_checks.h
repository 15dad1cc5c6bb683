#ifndef SLUICE_CONNECTORS_MYSQL_SERVER_SERVER_CHECKS_H_
#define SLUICE_CONNECTORS_MYSQL_SERVER_SERVER_CHECKS_H_

// What the server must be for change data capture to be correct, checked before anything is read.
// Every failure names the setting or grant and gives the statement that fixes it.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::mysql {

// log_bin=ON, binlog_format=ROW, binlog_row_image=FULL, binlog_row_metadata=FULL (the schemas
// come from the binlog's table maps, DESIGN.md decision 5). FailedPrecondition listing every
// setting that is wrong, each with its fix.
absl::Status CheckBinlogSettings(Connection& connection);

// The privileges a statement of SHOW GRANTS grants on *.* (upper case, e.g. "REPLICATION SLAVE";
// "ALL PRIVILEGES" stands for every one). Exposed for tests.
std::vector<std::string> GlobalPrivilegesIn(absl::string_view grant_statement);

// The privileges change data capture needs, beyond SELECT on the captured tables: reading the
// binlog (REPLICATION SLAVE) and its position (BINLOG MONITOR on MariaDB 10.5+, REPLICATION CLIENT
// elsewhere). `for_locking_snapshot` adds RELOAD or LOCK TABLES, which snapshots that lock need
// (a global read lock, or read locks on the captured tables without RELOAD).
// PermissionDenied naming the missing privileges and the GRANT statement that adds them.
absl::Status CheckReplicationGrants(Connection& connection, bool for_locking_snapshot);

// database.server.id must differ from the server's own server_id (and from every other replica's:
// a collision with a live replica shows when the server drops one of the two streams, which
// BinlogStream reports). InvalidArgument when it equals the server's.
absl::Status CheckServerIdDiffers(Connection& connection, uint32_t replica_server_id);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_SERVER_SERVER_CHECKS_H_
