#ifndef SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_DUMP_H_
#define SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_DUMP_H_

// The commands that start a replication stream, as bytes, and whether a MySQL server can serve a
// GTID start. Pure: BinlogStream sends what these build (the first byte is the command).
//
// COM_BINLOG_DUMP (MySQL's internals manual; MariaDB's "COM_BINLOG_DUMP" page):
//   int<1> 0x12, int<4> position, int<2> flags, int<4> server_id, string<EOF> file name
// COM_BINLOG_DUMP_GTID (MySQL only; internals manual "COM_BINLOG_DUMP_GTID"):
//   int<1> 0x1e, int<2> flags, int<4> server_id, int<4> file name length, string file name,
//   int<8> position, and with kDumpThroughGtid: int<4> data size, data = MysqlGtidSet::Encode()
// All little-endian.

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/gtid/mysql_gtid_set.h"

namespace sluice::mysql {

inline constexpr uint8_t kComBinlogDump = 0x12;
inline constexpr uint8_t kComBinlogDumpGtid = 0x1e;

// Flags of both commands.
inline constexpr uint16_t kDumpNonBlock =
    0x01;  // at the end of the binlog, an EOF packet instead of waiting
// COM_BINLOG_DUMP to MariaDB: also send ANNOTATE_ROWS events (the statement text).
inline constexpr uint16_t kDumpSendAnnotateRows = 0x02;
// COM_BINLOG_DUMP_GTID: the GTID set follows; the server skips the transactions it holds.
inline constexpr uint16_t kDumpThroughGtid = 0x04;

// COM_BINLOG_DUMP from `file` at `position`. InvalidArgument when the position does not fit the
// command's 4 bytes.
absl::StatusOr<std::vector<uint8_t>> BinlogDumpCommand(uint16_t flags, uint32_t server_id,
                                                       absl::string_view file, uint64_t position);

// COM_BINLOG_DUMP_GTID: every transaction not in `gtids`. kDumpThroughGtid is added to `flags`.
// MySQL starts from the GTID set when `file` is empty and `position` is 4 (what replicas with
// auto-positioning, mysqlbinlog and Debezium send).
std::vector<uint8_t> BinlogDumpGtidCommand(uint16_t flags, uint32_t server_id,
                                           absl::string_view file, uint64_t position,
                                           const MysqlGtidSet& gtids);

// Whether a MySQL server can stream every transaction after `start` (the connector's completed
// set): the server must have executed all of `start` (else the offset belongs to another server,
// or the GTID history was reset) and still hold every transaction `start` lacks (gtid_purged
// inside `start`), the checks Debezium makes. FailedPrecondition naming the missing or unknown
// transactions and what to do; `endpoint` names the server.
absl::Status CheckGtidStartAvailable(const MysqlGtidSet& start, const MysqlGtidSet& executed,
                                     const MysqlGtidSet& purged, absl::string_view endpoint);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_DUMP_H_
