// The decoded forms of every event type except rows events (rows_event.h) and table maps
// (table_map.h). String views point into the event's bytes; see decoder.h for their lifetime.
#ifndef SLUICE_BINLOG_EVENTS_H_
#define SLUICE_BINLOG_EVENTS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/binlog/event_type.h"
#include "sluice/binlog/format_description.h"

namespace sluice::binlog {

struct FormatDescriptionEvent {
  FormatDescription format;
};

struct RotateEvent {
  uint64_t position = 0;  // where to start reading in the next file
  std::string_view next_file;
};

struct StopEvent {};

// QUERY_EVENT status variables this library understands; the rest are skipped.
struct QueryStatus {
  std::optional<uint32_t> flags2;
  std::optional<uint64_t> sql_mode;
  std::optional<std::string_view> catalog;
  std::optional<uint16_t> auto_increment_increment, auto_increment_offset;
  // Q_CHARSET_CODE: character_set_client, collation_connection, collation_server.
  std::optional<uint16_t> charset_client, collation_connection, collation_server;
  std::optional<std::string_view> time_zone;
  std::optional<uint16_t> lc_time_names;
  std::optional<uint16_t> collation_database;
  std::optional<uint64_t> table_map_for_update;
  std::optional<std::string_view> invoker_user, invoker_host;
  std::vector<std::string_view> updated_databases;
  std::optional<uint32_t> microseconds;
  std::optional<uint64_t> ddl_xid;  // MySQL Q_DDL_LOGGED_WITH_XID
  std::optional<uint16_t> default_collation_for_utf8mb4;
  std::optional<uint64_t> mariadb_xid;  // MariaDB Q_XID
  // True when a status variable this library does not know stopped parsing early; what was
  // read before it is still valid (its length is unknown, so nothing after it can be read).
  bool stopped_at_unknown = false;
  uint8_t unknown_code = 0;
};

struct QueryEvent {
  uint32_t thread_id = 0;
  uint32_t exec_time = 0;
  uint16_t error_code = 0;
  std::string_view database;
  std::string_view query;
  QueryStatus status;
  bool was_compressed = false;  // MariaDB QUERY_COMPRESSED_EVENT
};

struct XidEvent {
  uint64_t xid = 0;
};

// INTVAR, RAND, USER_VAR: statement-based replication context, not needed for row events.
// They are bounds-checked and passed through raw so an inspect tool can still show them.
struct StatementContextEvent {
  EventType type = EventType::kUnknown;
  std::span<const uint8_t> data;
};

struct IncidentEvent {
  uint16_t incident = 0;  // 1 = LOST_EVENTS
  std::string_view message;
};

struct HeartbeatEvent {
  std::string_view log_file;  // the server's current binlog file; header.log_pos = position
};

// MariaDB GTID_EVENT: starts a transaction (or a standalone DDL).
struct MariaGtidEvent {
  uint64_t sequence = 0;
  uint32_t domain_id = 0;
  uint32_t server_id = 0;  // from the event header
  uint8_t flags = 0;
  std::optional<uint64_t> commit_id;  // FL_GROUP_COMMIT_ID
  // XA transactions (FL_PREPARED_XA / FL_COMPLETED_XA).
  std::optional<uint32_t> xa_format_id;
  std::string_view xa_gtrid, xa_bqual;

  static constexpr uint8_t kStandalone = 1;
  static constexpr uint8_t kGroupCommitId = 2;
  static constexpr uint8_t kTransactional = 4;
  static constexpr uint8_t kAllowParallel = 8;
  static constexpr uint8_t kWaited = 16;
  static constexpr uint8_t kDdl = 32;
  static constexpr uint8_t kPreparedXa = 64;
  static constexpr uint8_t kCompletedXa = 128;
  bool standalone() const { return flags & kStandalone; }
  // "domain-server-sequence", the form MariaDB shows and Debezium stores.
  std::string ToString() const;
};

struct MariaGtid {
  uint32_t domain_id = 0;
  uint32_t server_id = 0;
  uint64_t sequence = 0;
};

struct MariaGtidListEvent {
  uint8_t flags = 0;  // top 4 bits of the count field
  std::vector<MariaGtid> gtids;
  std::string ToString() const;  // "0-1-100,1-2-5"
};

struct BinlogCheckpointEvent {
  std::string_view log_file;
};

struct AnnotateRowsEvent {
  std::string_view query;
};

using Uuid = std::array<uint8_t, 16>;
std::string UuidToString(const Uuid& uuid);

// MySQL GTID_LOG_EVENT / ANONYMOUS_GTID_LOG_EVENT / GTID_TAGGED_LOG_EVENT (8.3+, written for a
// transaction run with `SET gtid_next='AUTOMATIC:tag'` or 'uuid:tag:n'). The tagged event carries
// the same facts in MySQL's serialization format; `tag` is empty for the other two.
struct MysqlGtidEvent {
  bool anonymous = false;
  uint8_t flags = 0;
  Uuid source_id{};
  int64_t gno = 0;
  std::string_view tag;  // a view into the event's bytes
  std::optional<int64_t> last_committed, sequence_number;
  std::optional<uint64_t> immediate_commit_timestamp_us, original_commit_timestamp_us;
  std::optional<uint64_t> transaction_length;
  std::optional<uint32_t> immediate_server_version, original_server_version;
  std::optional<uint64_t> commit_group_ticket;  // tagged events only, when set
  // "3e11fa47-71ca-11e1-9e33-c80aa9429562:23", tagged "3e11fa47-...-c80aa9429562:mytag:23".
  std::string ToString() const;
};

struct GtidInterval {
  int64_t start = 0;  // inclusive
  int64_t end = 0;    // exclusive, as stored
};

// MySQL PREVIOUS_GTIDS_LOG_EVENT, in either encoding (8.3+ writes the tagged one once any tagged
// GTID exists). Sources are in the order the server wrote them: by UUID, then tag.
struct PreviousGtidsEvent {
  struct Source {
    Uuid source_id{};
    std::string_view tag;  // empty: untagged; a view into the event's bytes
    std::vector<GtidInterval> intervals;
  };
  std::vector<Source> sources;
  // MySQL's text form, inclusive ends: "uuid:1-5:7-9:tag:1-3,uuid2:1-3".
  std::string ToString() const;
};

// MySQL XA_PREPARE_LOG_EVENT: ends the events of an XA transaction at XA PREPARE (or at
// XA COMMIT ... ONE PHASE); a later QUERY "XA COMMIT"/"XA ROLLBACK" decides its fate.
struct XaPrepareEvent {
  bool one_phase = false;
  int32_t format_id = 0;
  std::string_view gtrid;  // at most 64 bytes
  std::string_view bqual;  // at most 64 bytes
};

struct RowsQueryEvent {
  std::string_view query;
};

// TRANSACTION_PAYLOAD_EVENT (MySQL 8.0.20+, binlog_transaction_compression=ON): a whole
// transaction's events, compressed. Read them with PayloadReader (transaction_payload.h) and
// decode each with BinlogDecoder::DecodeEmbedded.
struct TransactionPayloadEvent {
  uint64_t compression_type = 0;  // 0 = zstd, 255 = none
  uint64_t payload_size = 0;
  uint64_t uncompressed_size = 0;
  std::span<const uint8_t> payload;  // the compressed bytes, a view into the event
};

// An event this library does not decode: its type is known but carries nothing a CDC reader
// needs (e.g. VIEW_CHANGE, START_ENCRYPTION), or its type is unknown. Unknown
// types are also counted in DecoderStats.
struct SkippedEvent {
  bool unknown_type = false;
  std::span<const uint8_t> data;
};

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_EVENTS_H_
