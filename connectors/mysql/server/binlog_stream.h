#ifndef SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_STREAM_H_
#define SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_STREAM_H_

// The replication stream of a MariaDB or MySQL server: asks for the binlog from a position (a file
// offset, a MariaDB GTID position or a MySQL GTID set) and hands out each event's raw bytes, for
// the binlog decoder to parse. The dump commands are built by binlog_dump.h and sent on the
// connection's command path; the stream is read packet by packet, undecoded (not through
// Connector/C's mariadb_rpl, which refuses events the decoder reads: README.md says why).
// Thread-compatible: one thread reads a stream. Closing is the destructor.

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::mysql {

struct BinlogStart {
  static BinlogStart AtFilePosition(std::string file, uint64_t position) {
    BinlogStart start;
    start.file = std::move(file);
    start.position = position;
    return start;
  }
  static BinlogStart AfterGtids(std::string gtids) {
    BinlogStart start;
    start.gtids = std::move(gtids);
    return start;
  }
  // A committed offset's position: both forms, for the stream to choose (see `gtids`).
  static BinlogStart FromOffset(std::string file, uint64_t position, std::string gtids) {
    BinlogStart start = AtFilePosition(std::move(file), position);
    start.gtids = std::move(gtids);
    return start;
  }

  // The transactions to start after, as Debezium's offset stores them in `gtids`: on MariaDB a
  // GTID position ("domain-server-sequence" list), on MySQL a GTID set ("uuid:1-5,..."). Empty:
  // start at file/position. With both a file and GTIDs, MariaDB starts at the file position and
  // MySQL with gtid_mode=ON after the GTID set (through COM_BINLOG_DUMP_GTID, as Debezium does);
  // MySQL without gtid_mode=ON uses the file position, and fails when there is none.
  std::string gtids;
  std::string file;
  uint64_t position = 4;  // the first event of a binlog file follows its 4-byte magic
};

struct BinlogStreamOptions {
  // This reader's replica id (database.server.id). Unique among the server's replicas: a second
  // reader with the same id makes the server drop the first.
  uint32_t server_id = 0;
  // How often the server sends a heartbeat event on an idle stream, so the reader can tell a quiet
  // server from a dead one. Keep it well under the connection's read timeout.
  absl::Duration server_heartbeat_period = absl::Seconds(15);
  // Stop at the end of the binlog (Next returns OutOfRange) instead of waiting for new events.
  bool stop_at_end = false;
  // Ask the server to also send ANNOTATE_ROWS events (the statement text) for include.query.
  bool send_annotate_rows = false;
};

// Status payload key marking an error as "the requested position is no longer on the server"
// (purged binlog; on MySQL also a GTID set the server cannot serve: purged transactions, or ones
// it never executed), so the connector can snapshot again (snapshot.mode=when_needed) or say so.
inline constexpr char kBinlogPurgedPayload[] = "sluice.dev/binlog-purged";
bool IsBinlogPurged(const absl::Status& status);

// Marks "another replica with the same server id took over this stream": retrying would only take
// it back and forth, so the connector reports it once and fails.
inline constexpr char kServerIdCollisionPayload[] = "sluice.dev/server-id-collision";
bool IsServerIdCollision(const absl::Status& status);

class BinlogStream {
 public:
  // Starts the dump on `connection` (which the stream then owns). The connection's read timeout
  // must exceed options.server_heartbeat_period. A MySQL GTID start is checked against the
  // server's gtid_executed and gtid_purged first (FailedPrecondition with kBinlogPurgedPayload);
  // GTIDs that do not parse in the server's dialect are InvalidArgument.
  static absl::StatusOr<BinlogStream> Open(Connection connection, const BinlogStart& start,
                                           const BinlogStreamOptions& options);

  BinlogStream(BinlogStream&&) noexcept;
  BinlogStream& operator=(BinlogStream&&) noexcept;
  ~BinlogStream();

  // The next event, header first; with checksums on, its last 4 bytes are the CRC32. The bytes are
  // borrowed until the next call to Next or the stream's destruction.
  // OutOfRange at the end of the binlog when stop_at_end is set; Unavailable when the connection
  // drops or, without stop_at_end, the server ends the stream itself (MySQL does so when it shuts
  // down): reconnect and resume from the last position; FailedPrecondition with
  // kBinlogPurgedPayload when the start position is gone; Aborted with kServerIdCollisionPayload
  // when another replica with this server id took the stream.
  absl::StatusOr<absl::Span<const uint8_t>> Next();

  // Whether bytes the server sent after the last event have arrived and wait to be read (the
  // socket is readable, or closed): Next then has them, or the next event's start, without
  // waiting for the server to write. Does not read; false when nothing has arrived yet. Data
  // already in Connector/C's read-ahead but not on the socket reads as false (a caller that hands
  // over when nothing more is here then hands over a little early, never late).
  bool NextEventArrived();

  // Waits up to `timeout_ms` for bytes of the next event: true when Next has something to read
  // without waiting for the server (Connector/C's read-ahead holds bytes, or the socket is
  // readable or closed; over TLS, OpenSSL holds bytes), false when the time passed with nothing.
  // Where it cannot see what is buffered (the compressed protocol) it says true at once, so a
  // caller blocks in Next as it would without it, and never leaves an event unread that already
  // arrived.
  bool AwaitNextEvent(int timeout_ms);

  // Whether events carry a trailing CRC32 (the server's binlog_checksum, which the stream accepts).
  bool checksums() const { return checksums_; }
  const std::string& endpoint() const { return connection_.endpoint(); }
  // Which dialect the stream's GTIDs are in.
  bool is_mariadb() const { return connection_.is_mariadb(); }
  // Where the stream started, for messages: "binlog.000003:4", "GTID position 0-1-42", ...
  const std::string& start_description() const { return start_description_; }
  // Whether it started after a MySQL GTID set (COM_BINLOG_DUMP_GTID): the server sends every
  // transaction outside the set, so one left out of it is sent again.
  bool after_mysql_gtid_set() const { return after_mysql_gtid_set_; }
  // The server's id of the stream's connection: its dump thread, for KILL.
  uint64_t server_connection_id() const { return connection_.server_connection_id(); }

 private:
  BinlogStream(Connection connection, std::string start_description, bool checksums,
               const BinlogStreamOptions& options, bool after_mysql_gtid_set);

  Connection connection_;
  std::string start_description_;
  bool checksums_ = false;
  uint32_t server_id_ = 0;
  bool stop_at_end_ = false;
  bool after_mysql_gtid_set_ = false;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_STREAM_H_
