#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_BINLOG_HEADROOM_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_BINLOG_HEADROOM_H_

// Binlog purge headroom: how much binlog the server still keeps behind the task's position, before
// a purge would take what the task still has to read (a purged position cannot be resumed: a new
// snapshot is the only way on). docs/mysql-connector.md, "Binlog purge headroom".
//
// Bytes: from SHOW BINARY LOGS, the sizes of the files older than the task's file plus the
// position in it: what PURGE BINARY LOGS, max_binlog_total_size or expiry can remove first.
// Seconds: binlog_expire_logs_seconds minus the age of the event at the position. A file is
// expired once its last event is that old, and the file holding the position ends no earlier than
// that event, so this is a lower bound (-1 when the server expires nothing). No SQL statement
// gives a binlog's event times (SHOW BINLOG EVENTS has no time column), and reading the oldest
// file's first event would take a second replication connection with a server id of its own, so
// the seconds come from the setting that purges by time.
//
// Thread: the task thread (it uses the task's query connection).

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::mysql {

struct BinlogHeadroom {
  int64_t bytes = -1;    // 0: the position's file is gone or about to be (it is the oldest)
  int64_t seconds = -1;  // -1: the server expires no binlogs by time
};

// Asks the server (SHOW BINARY LOGS needs BINLOG MONITOR on MariaDB, REPLICATION CLIENT on
// MySQL) for the headroom of `file`:`pos`, whose event happened at `event_unix_sec` (0: unknown,
// then no seconds), as of `now_unix_sec`.
absl::StatusOr<BinlogHeadroom> MeasureBinlogHeadroom(Connection& connection,
                                                     absl::string_view file, int64_t pos,
                                                     int64_t event_unix_sec,
                                                     int64_t now_unix_sec);

// The warning the task shows in its status when the headroom is under a threshold
// (binlog.purge.headroom.warning.bytes / .seconds; 0 turns one off), or "" when it is not.
std::string HeadroomWarning(const BinlogHeadroom& headroom, int64_t warning_bytes,
                            int64_t warning_seconds);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_BINLOG_HEADROOM_H_
