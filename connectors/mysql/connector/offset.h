#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_OFFSET_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_OFFSET_H_

// The connector's source partition and offset in Debezium's format (FORMATS.md "Offsets"): every
// record carries them, and a restart reads the committed one back. The partition is
// {"server": topic.prefix}; the offset says where a restart reads from (`file`/`pos` or `gtids`)
// and how much of that transaction was emitted already (`event`, `row`).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "connectors/mysql/connector/host.h"
#include "sluice/connector.h"

namespace sluice::mysql {

// A Debezium offset, owned.
struct OffsetState {
  std::string file;
  int64_t pos = 0;
  std::string gtids;
  int64_t event = 0;
  int64_t row = 0;
  int64_t ts_sec = 0;
  int64_t server_id = 0;
  bool snapshot = false;  // "snapshot": "INITIAL" while a snapshot runs
  // Sluice's snapshot progress, written only with `snapshot` (docs/mysql-connector.md, "Offsets
  // and resuming"): the table being read (`snapshot_db`, `snapshot_table`; empty before the first
  // table) and the primary key of the last row of it emitted (`snapshot_key`: each key column's
  // text as hex, joined by ","; empty when no row of the table is certain). Every table before it
  // in the snapshot's table order is done. A restart resumes the snapshot there and streams from
  // `file`/`pos` — where the snapshot began — so nothing that changed since is skipped.
  std::string snapshot_db, snapshot_table, snapshot_key;
  // Sluice's own key, not Debezium's: the xid of a committed MySQL XA transaction whose change
  // events are being emitted from its prepared events, read again (docs/mysql-connector.md,
  // "XA transactions"); empty otherwise.
  std::string xa_committed;
  // provide.transaction.metadata: the id of the last transaction a BEGIN was written for, as
  // Debezium keeps it in its offset (`transaction_id`, first); empty otherwise.
  std::string transaction_id;
};

// The connector's source partition {"server": <server_name>} as the ABI's one entry; borrows
// `server_name` (topic.prefix).
sluice_scalar_entry SourcePartition(const std::string& server_name);

// The most entries OffsetEntries writes.
inline constexpr size_t kMaxOffsetEntries = 13;
// The offset as the ABI's flat map, in Debezium's key order, zero counts left out; `entries` must
// have room for kMaxOffsetEntries. The entries borrow `offset`'s strings.
size_t OffsetEntries(const OffsetState& offset, sluice_scalar_entry* entries);
// Reads an offset (a committed one, or one a user sets). InvalidArgument saying what is wrong
// with it, phrased to follow "the offset ": "has `pos` that is not a whole number". Debezium's
// `snapshot_completed: true` means the snapshot is over, whatever `snapshot` says.
absl::StatusOr<OffsetState> ParseOffset(const sluice_scalar_map& map);

// An offset a user sets (on_offset_check) for the connector whose topic.prefix is `server_name`:
// the partition is {"server": server_name}, the offset one ParseOffset reads, and its `gtids`
// (when given) a MariaDB GTID position or a MySQL GTID set. InvalidArgument saying what is wrong
// and what the connector accepts.
absl::Status CheckUserOffset(const std::string& server_name, const sluice_scalar_map& partition,
                             const sluice_scalar_map& offset);

// The offset the host committed for the partition of `server_name` (topic.prefix); none when
// nothing was committed yet. InvalidArgument when it is not a Debezium offset.
absl::StatusOr<std::optional<OffsetState>> ReadCommittedOffset(const Host& host,
                                                                const std::string& server_name);

// A position for messages: "binlog.000003:1234 (gtids '0-1-42')", or "gtids '0-1-42'" alone.
std::string PositionText(const OffsetState& offset);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_OFFSET_H_
