#ifndef SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_STREAM_H_
#define SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_STREAM_H_

// The replication stream of a MariaDB server: asks for the binlog from a position (file/offset or
// a GTID position) and hands out each event's raw bytes, for the binlog decoder to parse.
// Thread-compatible: one thread reads a stream. Closing is the destructor (or Close from the
// reading thread); to interrupt a blocked Next from another thread, use Interrupt.

#include <cstdint>
#include <memory>
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

  // The MariaDB GTID position to start after ("domain-server-sequence" list, comma-separated),
  // as Debezium stores it in the offset's `gtids`. Empty: start at file/position instead.
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
// (purged binlog), so the connector can snapshot again (snapshot.mode=when_needed) or say so.
inline constexpr char kBinlogPurgedPayload[] = "sluice.dev/binlog-purged";
bool IsBinlogPurged(const absl::Status& status);

// Marks "another replica with the same server id took over this stream": retrying would only take
// it back and forth, so the connector reports it once and fails.
inline constexpr char kServerIdCollisionPayload[] = "sluice.dev/server-id-collision";
bool IsServerIdCollision(const absl::Status& status);

class BinlogStream {
 public:
  // Starts the dump on `connection` (which the stream then owns). The connection's read timeout
  // must exceed options.server_heartbeat_period.
  static absl::StatusOr<BinlogStream> Open(Connection connection, const BinlogStart& start,
                                           const BinlogStreamOptions& options);

  BinlogStream(BinlogStream&&) noexcept;
  BinlogStream& operator=(BinlogStream&&) noexcept;
  ~BinlogStream();

  // The next event, header first; with checksums on, its last 4 bytes are the CRC32. The bytes are
  // borrowed until the next call to Next or the stream's destruction.
  // OutOfRange at the end of the binlog when stop_at_end is set; Unavailable when the connection
  // drops (reconnect and resume from the last position); FailedPrecondition with
  // kBinlogPurgedPayload when the start position is gone; Aborted with kServerIdCollisionPayload
  // when another replica with this server id took the stream.
  absl::StatusOr<absl::Span<const uint8_t>> Next();

  // Whether events carry a trailing CRC32 (the server's binlog_checksum, which the stream accepts).
  bool checksums() const { return checksums_; }
  const std::string& endpoint() const { return connection_.endpoint(); }

 private:
  struct State;
  BinlogStream(Connection connection, std::unique_ptr<State> state, bool checksums,
               uint32_t server_id);

  Connection connection_;
  std::unique_ptr<State> state_;
  bool checksums_ = false;
  uint32_t server_id_ = 0;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_SERVER_BINLOG_STREAM_H_
