#include "connectors/mysql/server/binlog_stream.h"

// clang-format off
#include <mysql.h>  // must precede the headers below, which use its types
#include <errmsg.h>
#include <mariadb_rpl.h>
#include <mysqld_error.h>
// clang-format on

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "connectors/mysql/server/error_text.h"

namespace sluice::mysql {
namespace {

// Connector/C hands each event with the protocol's leading OK byte (0x00) in front of the header.
constexpr size_t kPacketOkByte = 1;
constexpr size_t kEventLengthOffset = 9;  // timestamp(4) type(1) server_id(4), then length(4)

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

}  // namespace

bool IsBinlogPurged(const absl::Status& status) {
  return status.GetPayload(kBinlogPurgedPayload).has_value();
}

bool IsServerIdCollision(const absl::Status& status) {
  return status.GetPayload(kServerIdCollisionPayload).has_value();
}

struct BinlogStream::State {
  struct RplCloser {
    void operator()(MARIADB_RPL* rpl) const { mariadb_rpl_close(rpl); }
  };
  struct EventFree {
    void operator()(MARIADB_RPL_EVENT* event) const { mariadb_free_rpl_event(event); }
  };
  std::unique_ptr<MARIADB_RPL, RplCloser> rpl;
  // Connector/C reuses one event's memory for the next fetch; freed with the stream.
  std::unique_ptr<MARIADB_RPL_EVENT, EventFree> event;
  std::string start_description;
};

BinlogStream::BinlogStream(Connection connection, std::unique_ptr<State> state, bool checksums,
                           uint32_t server_id)
    : connection_(std::move(connection)),
      state_(std::move(state)),
      checksums_(checksums),
      server_id_(server_id) {}
BinlogStream::BinlogStream(BinlogStream&&) noexcept = default;
BinlogStream& BinlogStream::operator=(BinlogStream&&) noexcept = default;
BinlogStream::~BinlogStream() {
  // The replication handle refers to the connection: release it first.
  if (state_ != nullptr) {
    state_->event.reset();
    state_->rpl.reset();
  }
}

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

  auto state = std::make_unique<State>();
  std::string file = start.file;
  uint64_t position = start.position;
  if (!start.gtids.empty()) {
    if (!connection.is_mariadb()) {
      return absl::UnimplementedError(
          "starting a MySQL binlog stream from a GTID set is not supported yet; the offset's "
          "file and pos are used instead when present");
    }
    // MariaDB resumes after the given GTID position when @slave_connect_state is set; the file
    // name must then be empty and the position 4.
    if (auto status = connection.Execute(
            absl::StrCat("SET @slave_connect_state = ", QuoteString(connection, start.gtids)));
        !status.ok()) {
      return status;
    }
    if (auto status = connection.Execute("SET @slave_gtid_strict_mode = 1"); !status.ok()) {
      return status;
    }
    if (auto status = connection.Execute("SET @slave_gtid_ignore_duplicates = 0"); !status.ok()) {
      return status;
    }
    file.clear();
    position = 4;
    state->start_description = absl::StrCat("GTID position ", start.gtids);
  } else {
    state->start_description = absl::StrCat(file, ":", position);
  }

  state->rpl.reset(mariadb_rpl_init(connection.handle()));
  if (state->rpl == nullptr) return absl::ResourceExhaustedError("mariadb_rpl_init failed");
  MARIADB_RPL* rpl = state->rpl.get();
  unsigned int flags = 0;
  if (options.stop_at_end) flags |= MARIADB_RPL_BINLOG_DUMP_NON_BLOCK;
  if (options.send_annotate_rows) flags |= MARIADB_RPL_BINLOG_SEND_ANNOTATE_ROWS;
  const uint32_t server_id = options.server_id;
  const unsigned long start_position = static_cast<unsigned long>(position);
  if (mariadb_rpl_optionsv(rpl, MARIADB_RPL_FILENAME, file.c_str(), file.size()) != 0 ||
      mariadb_rpl_optionsv(rpl, MARIADB_RPL_START, start_position) != 0 ||
      mariadb_rpl_optionsv(rpl, MARIADB_RPL_SERVER_ID, server_id) != 0 ||
      mariadb_rpl_optionsv(rpl, MARIADB_RPL_FLAGS, flags) != 0) {
    return absl::InternalError(
        absl::StrCat("setting up the binlog stream failed: ", mariadb_rpl_error(rpl)));
  }
  if (mariadb_rpl_open(rpl) != 0) {
    return connection.LastError(
        absl::StrCat("starting the binlog stream at ", state->start_description));
  }
  return BinlogStream(std::move(connection), std::move(state), checksums, options.server_id);
}

absl::StatusOr<absl::Span<const uint8_t>> BinlogStream::Next() {
  MARIADB_RPL_EVENT* fetched = mariadb_rpl_fetch(state_->rpl.get(), state_->event.get());
  if (fetched != nullptr) {
    state_->event.release();  // the same object when it was reused; owned again just below
    state_->event.reset(fetched);
    const uint8_t* bytes = fetched->raw_data;
    size_t size = fetched->raw_data_size;
    if (size >= kPacketOkByte + kEventLengthOffset + 4 && bytes[0] == 0) {
      bytes += kPacketOkByte;
      size -= kPacketOkByte;
    }
    return absl::Span<const uint8_t>(bytes, size);
  }
  // On the end of the stream and on errors, Connector/C 3.3 frees the event it was handed.
  (void)state_->event.release();
  const unsigned error = mysql_errno(connection_.handle());
  if (error == 0) {
    return absl::OutOfRangeError(absl::StrCat("end of the binlog on ", connection_.endpoint()));
  }
  const std::string server_message = mysql_error(connection_.handle());
  if (error == ER_MASTER_FATAL_ERROR_READING_BINLOG) {
    // 1236: the server cannot serve the requested position. Purged files and purged GTIDs are the
    // common causes; the server's text says which.
    const bool purged = MentionsIgnoringCase(server_message, "could not find") ||
                        MentionsIgnoringCase(server_message, "purged") ||
                        MentionsIgnoringCase(server_message, "not in the master's binlog") ||
                        MentionsIgnoringCase(server_message, "no longer");
    absl::Status status = absl::FailedPreconditionError(absl::StrCat(
        "the server at ", connection_.endpoint(), " cannot stream from ",
        state_->start_description, ": ", server_message,
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
    return Mark(absl::AbortedError(absl::StrCat(
                    "the server at ", connection_.endpoint(), " ended this binlog stream (",
                    server_message, "): another replica connected with database.server.id ",
                    server_id_,
                    ". Give every connector and replica of this server its own "
                    "database.server.id")),
                kServerIdCollisionPayload);
  }
  return connection_.LastError("reading the binlog stream");
}

}  // namespace sluice::mysql
