#include "connectors/mysql/server/binlog_stream.h"

// clang-format off
#include <mysql.h>  // must precede the headers below, which use its types
#include <errmsg.h>
// ma_tls.h uses Connector/C's `uchar` before ma_pvio.h declares it (the same typedef again).
typedef unsigned char uchar;
#include <ma_tls.h>   // st_ma_pvio_tls: the SSL of a TLS connection
#include <ma_pvio.h>  // st_ma_pvio: Connector/C's read-ahead cache
#include <openssl/ssl.h>
#include <mysqld_error.h>
// clang-format on

#include <poll.h>

#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "connectors/mysql/gtid/mariadb_gtid_position.h"
#include "connectors/mysql/gtid/mysql_gtid_set.h"
#include "connectors/mysql/server/binlog_dump.h"
#include "connectors/mysql/server/error_text.h"

namespace sluice::mysql {
namespace {

// Each event arrives as one packet: an OK byte (0x00), then the event, header first. The end of
// the binlog (with kDumpNonBlock) is an EOF packet: 0xfe and fewer than 9 bytes.
constexpr uint8_t kPacketOk = 0x00;
constexpr uint8_t kPacketEof = 0xfe;
constexpr size_t kEofPacketMaxSize = 8;
constexpr size_t kEventHeaderSize = 19;

absl::Status Mark(absl::Status status, absl::string_view payload_key) {
  status.SetPayload(payload_key, absl::Cord("true"));
  return status;
}

std::string QuoteString(Connection& connection, absl::string_view text) {
  std::string escaped(text.size() * 2 + 1, '\0');
  escaped.resize(
      mysql_real_escape_string(connection.handle(), escaped.data(), text.data(), text.size()));
  return absl::StrCat("'", escaped, "'");
}

// Sends a command built by binlog_dump.h (its first byte is the command) through Connector/C's
// own command path, without waiting for a reply: the reply is the stream Next reads.
absl::Status SendDumpCommand(Connection& connection, const std::vector<uint8_t>& command,
                             absl::string_view description) {
  MYSQL* mysql = connection.handle();
  if (mysql->methods == nullptr || mysql->methods->db_command == nullptr || command.size() < 2) {
    return absl::InternalError("the client library offers no command path for the binlog dump");
  }
  if (mysql->methods->db_command(mysql, static_cast<enum enum_server_command>(command[0]),
                                 reinterpret_cast<const char*>(command.data() + 1),
                                 command.size() - 1, /*skip_check=*/1, nullptr) != 0) {
    return connection.LastError(absl::StrCat("starting the binlog stream at ", description));
  }
  return absl::OkStatus();
}

// A global variable holding a MySQL GTID set (gtid_executed, gtid_purged).
absl::StatusOr<MysqlGtidSet> GtidSetVariable(Connection& connection, absl::string_view name) {
  absl::StatusOr<std::string> text = connection.GlobalVariable(name);
  if (!text.ok()) return text.status();
  absl::StatusOr<MysqlGtidSet> set = MysqlGtidSet::Parse(*text);
  if (!set.ok()) {
    return absl::InternalError(absl::StrCat("the server at ", connection.endpoint(), " reports a ",
                                            name, " Sluice cannot read: ", set.status().message()));
  }
  return set;
}

}  // namespace

bool IsBinlogPurged(const absl::Status& status) {
  return status.GetPayload(kBinlogPurgedPayload).has_value();
}

bool IsServerIdCollision(const absl::Status& status) {
  return status.GetPayload(kServerIdCollisionPayload).has_value();
}

BinlogStream::BinlogStream(Connection connection, std::string start_description, bool checksums,
                           const BinlogStreamOptions& options, bool after_mysql_gtid_set)
    : connection_(std::move(connection)),
      start_description_(std::move(start_description)),
      checksums_(checksums),
      server_id_(options.server_id),
      stop_at_end_(options.stop_at_end),
      after_mysql_gtid_set_(after_mysql_gtid_set) {}
BinlogStream::BinlogStream(BinlogStream&&) noexcept = default;
BinlogStream& BinlogStream::operator=(BinlogStream&&) noexcept = default;
BinlogStream::~BinlogStream() = default;

absl::StatusOr<BinlogStream> BinlogStream::Open(Connection connection, const BinlogStart& start,
                                                const BinlogStreamOptions& options) {
  if (options.server_id == 0) {
    return absl::InvalidArgumentError(
        "database.server.id must be set to a number above 0 that no other replica of the server "
        "uses");
  }
  // A replica must say it understands checksums, or the server refuses to stream a checksummed
  // binlog; accepting the server's own algorithm keeps every event as it is on disk.
  absl::StatusOr<std::string> algorithm = connection.GlobalVariable("binlog_checksum");
  if (!algorithm.ok()) return algorithm.status();
  const bool checksums = !absl::EqualsIgnoreCase(*algorithm, "NONE");
  if (auto status = connection.Execute("SET @master_binlog_checksum = @@global.binlog_checksum");
      !status.ok()) {
    return status;
  }
  // MariaDB: announce a GTID-aware replica, so GTID events are sent as they are.
  if (connection.is_mariadb()) {
    if (auto status = connection.Execute("SET @mariadb_slave_capability = 4"); !status.ok()) {
      return status;
    }
  }
  const int64_t heartbeat_ns = absl::ToInt64Nanoseconds(options.server_heartbeat_period);
  if (heartbeat_ns > 0) {
    if (auto status =
            connection.Execute(absl::StrCat("SET @master_heartbeat_period = ", heartbeat_ns));
        !status.ok()) {
      return status;
    }
  }

  const bool mariadb = connection.is_mariadb();
  uint16_t flags = options.stop_at_end ? kDumpNonBlock : 0;
  std::vector<uint8_t> command;
  std::string description;
  bool use_gtids = !start.gtids.empty() && (mariadb ? start.file.empty() : true);
  if (use_gtids && !mariadb) {
    absl::StatusOr<std::string> mode = connection.GlobalVariable("gtid_mode");
    if (!mode.ok() && !absl::IsNotFound(mode.status())) return mode.status();
    if (!mode.ok() || !absl::EqualsIgnoreCase(*mode, "ON")) {
      if (start.file.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the position to resume from is a GTID set only ('", start.gtids,
            "'), but the server at ", connection.endpoint(),
            " runs with gtid_mode=", mode.ok() ? *mode : "(none)",
            ": set gtid_mode=ON (and enforce_gtid_consistency=ON) on the server, or give the "
            "offset a file and pos"));
      }
      use_gtids = false;  // GTIDs are not kept in this mode: the file position is the position
    }
  }
  if (!use_gtids) {
    if (mariadb && options.send_annotate_rows) flags |= kDumpSendAnnotateRows;
    absl::StatusOr<std::vector<uint8_t>> dump =
        BinlogDumpCommand(flags, options.server_id, start.file, start.position);
    if (!dump.ok()) return dump.status();
    command = std::move(*dump);
    description = absl::StrCat(start.file, ":", start.position);
  } else if (mariadb) {
    absl::StatusOr<MariaDbGtidPosition> position = MariaDbGtidPosition::Parse(start.gtids);
    if (!position.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the GTID position to resume after ('", start.gtids, "') is not one MariaDB at ",
          connection.endpoint(), " understands: ", position.status().message()));
    }
    // MariaDB resumes after the given GTID position when @slave_connect_state is set; the file
    // name must then be empty and the position 4.
    for (const std::string& sql : {absl::StrCat("SET @slave_connect_state = ",
                                                QuoteString(connection, position->ToString())),
                                   std::string("SET @slave_gtid_strict_mode = 1"),
                                   std::string("SET @slave_gtid_ignore_duplicates = 0")}) {
      if (auto status = connection.Execute(sql); !status.ok()) return status;
    }
    if (options.send_annotate_rows) flags |= kDumpSendAnnotateRows;
    absl::StatusOr<std::vector<uint8_t>> dump = BinlogDumpCommand(flags, options.server_id, "", 4);
    if (!dump.ok()) return dump.status();
    command = std::move(*dump);
    description = absl::StrCat("GTID position ", position->ToString());
  } else {
    absl::StatusOr<MysqlGtidSet> set = MysqlGtidSet::Parse(start.gtids);
    if (!set.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the GTID set to resume after ('", start.gtids, "') is not one MySQL at ",
                       connection.endpoint(), " understands: ", set.status().message()));
    }
    absl::StatusOr<MysqlGtidSet> executed = GtidSetVariable(connection, "gtid_executed");
    if (!executed.ok()) return executed.status();
    absl::StatusOr<MysqlGtidSet> purged = GtidSetVariable(connection, "gtid_purged");
    if (!purged.ok()) return purged.status();
    if (absl::Status status =
            CheckGtidStartAvailable(*set, *executed, *purged, connection.endpoint());
        !status.ok()) {
      return Mark(std::move(status), kBinlogPurgedPayload);
    }
    command = BinlogDumpGtidCommand(flags, options.server_id, "", 4, *set);
    description = absl::StrCat("GTID set ", set->ToString());
  }
  if (auto status = SendDumpCommand(connection, command, description); !status.ok()) {
    return status;
  }
  return BinlogStream(std::move(connection), std::move(description), checksums, options,
                      use_gtids && !mariadb);
}

bool BinlogStream::NextEventArrived() {
  pollfd socket{static_cast<int>(mysql_get_socket(connection_.handle())), POLLIN, 0};
  return ::poll(&socket, 1, 0) > 0;
}

bool BinlogStream::AwaitNextEvent(int timeout_ms) {
  MYSQL* mysql = connection_.handle();
  const MARIADB_PVIO* pvio = mysql->net.pvio;
  if (pvio == nullptr || mysql->net.compress) return true;
  // Connector/C reads up to 16 KiB ahead into its cache: bytes there are no longer on the socket.
  if (pvio->cache != nullptr && pvio->cache_pos < pvio->cache + pvio->cache_size) return true;
  // Over TLS, OpenSSL (Debian's Connector/C is built with it) may hold a record read, or bytes
  // of one, that the socket no longer shows.
  if (pvio->ctls != nullptr) {
    const auto* tls = static_cast<const st_ma_pvio_tls*>(pvio->ctls);
    if (tls->ssl == nullptr || SSL_has_pending(static_cast<const SSL*>(tls->ssl)) == 1) return true;
  }
  pollfd socket{static_cast<int>(mysql_get_socket(mysql)), POLLIN, 0};
  return ::poll(&socket, 1, timeout_ms) != 0;  // an error: Next reports it
}

absl::StatusOr<absl::Span<const uint8_t>> BinlogStream::Next() {
  MYSQL* mysql = connection_.handle();
  const unsigned long length = mysql_net_read_packet(mysql);
  if (length != packet_error) {
    const uint8_t* bytes = mysql->net.read_pos;
    if (length <= kEofPacketMaxSize && length > 0 && bytes[0] == kPacketEof) {
      if (stop_at_end_) {
        return absl::OutOfRangeError(absl::StrCat("end of the binlog on ", connection_.endpoint()));
      }
      // A blocking dump has no end: the server ended it (MySQL sends its dump threads an EOF when
      // it shuts down), so the binlog goes on elsewhere in time, like after a dropped connection.
      return absl::UnavailableError(absl::StrCat("the server at ", connection_.endpoint(),
                                                 " ended the binlog stream (from ",
                                                 start_description_, "); it may be shutting down"));
    }
    if (length < 1 + kEventHeaderSize || bytes[0] != kPacketOk) {
      return absl::DataLossError(
          absl::StrCat("the server at ", connection_.endpoint(), " sent a ", length,
                       "-byte packet starting with ", static_cast<int>(bytes[0]),
                       " in the binlog stream (from ", start_description_, "), not an event"));
    }
    return absl::Span<const uint8_t>(bytes + 1, length - 1);
  }
  const unsigned error = mysql_errno(mysql);
  const std::string server_message = mysql_error(connection_.handle());
  if (error == ER_MASTER_FATAL_ERROR_READING_BINLOG) {
    // 1236: the server cannot serve the requested position. Purged files and purged GTIDs are the
    // common causes; the server's text says which.
    const bool purged = MentionsIgnoringCase(server_message, "could not find") ||
                        MentionsIgnoringCase(server_message, "purged") ||
                        MentionsIgnoringCase(server_message, "not in the master's binlog") ||
                        MentionsIgnoringCase(server_message, "no longer");
    absl::Status status = absl::FailedPreconditionError(absl::StrCat(
        "the server at ", connection_.endpoint(), " cannot stream from ", start_description_, ": ",
        server_message,
        purged ? ". The binlog there has been purged: with snapshot.mode=when_needed the "
                 "connector takes a new snapshot; otherwise reset the connector's offsets and "
                 "snapshot again, or raise the server's binlog retention (expire_logs_days / "
                 "binlog_expire_logs_seconds)"
               : ""));
    return purged ? Mark(std::move(status), kBinlogPurgedPayload) : status;
  }
  if (error == ER_SLAVE_SAME_ID || error == ER_CONNECTION_KILLED ||
      MentionsIgnoringCase(server_message, "same server_id") ||
      MentionsIgnoringCase(server_message, "same server id")) {
    return Mark(
        absl::AbortedError(absl::StrCat(
            "the server at ", connection_.endpoint(), " ended this binlog stream (", server_message,
            "): another replica connected with database.server.id ", server_id_,
            ". Give every connector and replica of this server its own "
            "database.server.id")),
        kServerIdCollisionPayload);
  }
  return connection_.LastError("reading the binlog stream");
}

}  // namespace sluice::mysql
