#include "connectors/mysql/connector/binlog_source.h"

#include <span>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "connectors/mysql/server/binlog_position.h"
#include "connectors/mysql/server/sql_quote.h"

namespace sluice::mysql {

absl::Status BinlogSource::Open(const OffsetState& from,
                                const std::function<absl::Status(bool mariadb)>& before_dump) {
  ConnectionOptions options = config_.connection;
  options.read_timeout = absl::Seconds(30);
  absl::StatusOr<Connection> connection = Connection::Open(options);
  if (!connection.ok()) return connection.status();
  absl::Status ready = before_dump(connection->is_mariadb());
  if (!ready.ok()) return ready;
  BinlogStart start =
      BinlogStart::FromOffset(from.file, static_cast<uint64_t>(from.pos), from.gtids);
  BinlogStreamOptions stream_options;
  stream_options.server_id = config_.server_id;
  stream_options.server_heartbeat_period = absl::Seconds(1);
  stream_options.send_annotate_rows = config_.include_query;  // MariaDB sends them only if asked
  absl::StatusOr<BinlogStream> stream =
      BinlogStream::Open(std::move(*connection), start, stream_options);
  if (!stream.ok()) return stream.status();
  host_.Log(SLUICE_LOG_INFO, absl::StrCat("binlog stream opened at ", stream->start_description()));
  Connected();
  ClosePayload();
  stream_.emplace(std::move(*stream));
  binlog::DecoderOptions decoder_options;
  decoder_options.initial_file = from.file;
  decoder_ = std::make_unique<binlog::BinlogDecoder>(decoder_options);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<binlog::Event>> BinlogSource::NextInPayload() {
  std::shared_ptr<const std::vector<uint8_t>> inner;
  absl::StatusOr<bool> more = payload_reader_->Next(&inner);
  if (!more.ok()) {
    const binlog::EventContext& at = payload_event_->context;
    return absl::Status(more.status().code(),
                        absl::StrCat("TRANSACTION_PAYLOAD_EVENT at ", at.file ? *at.file : "?", ":",
                                     at.position, ": ", more.status().message()));
  }
  if (!*more) return std::optional<binlog::Event>();
  absl::StatusOr<binlog::Event> event = decoder_->DecodeEmbedded(inner, *payload_event_);
  if (!event.ok()) return event.status();
  event->header.log_pos = payload_event_->header.log_pos;
  return std::optional<binlog::Event>(*std::move(event));
}

absl::StatusOr<binlog::Event> BinlogSource::Next() {
  if (payload_reader_ != nullptr) {
    absl::StatusOr<std::optional<binlog::Event>> inner = NextInPayload();
    if (!inner.ok()) return inner.status();
    if (inner->has_value()) return **std::move(inner);
    ClosePayload();
  }
  absl::StatusOr<absl::Span<const uint8_t>> bytes = stream_->Next();
  if (!bytes.ok()) {
    if (!IsBinlogPurged(bytes.status()) && IsServerIdCollision(bytes.status())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "another replica connected to the server with database.server.id=", config_.server_id,
          " and took over the binlog stream; give this connector a database.server.id no "
          "other replica uses. Server said: ",
          bytes.status().message()));
    }
    return bytes.status();
  }
  absl::StatusOr<binlog::Event> event =
      decoder_->Decode(std::span<const uint8_t>(bytes->data(), bytes->size()));
  if (!event.ok()) return event;
  const auto* payload = event->As<binlog::TransactionPayloadEvent>();
  if (payload == nullptr) return event;
  payload_event_ = std::make_unique<binlog::Event>(*std::move(event));
  payload_reader_ = std::make_unique<binlog::PayloadReader>(
      *payload_event_->As<binlog::TransactionPayloadEvent>());
  return Next();
}

absl::Status BinlogSource::Lost(absl::Status cause, const OffsetState& at, bool gtids_complete) {
  if (stream_.has_value()) {
    ReopenAt(at, gtids_complete);
    host_.Log(SLUICE_LOG_WARN,
              absl::StrCat("connection to the server lost (", cause.message(),
                           "); the stream reopens at ", PositionText(at), " on a later poll"));
  }
  Close();
  ++failed_attempts_;
  const std::string server = absl::StrCat(config_.connection.host, ":", config_.connection.port);
  const int64_t limit = config_.errors_max_retries;
  if (limit >= 0 && failed_attempts_ > limit) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot reach the database server at ", server, ": ", failed_attempts_,
        " attempt(s) in a row failed (errors.max.retries=", limit, "); last error: ",
        cause.message(), ". Check database.hostname and database.port, and that the server runs"));
  }
  // The phase is unknown while connecting: the report says what the task waits for instead.
  connecting_ = absl::StrCat("connecting to ", server, " (attempt ", failed_attempts_,
                             limit >= 0 ? absl::StrCat(" of ", limit + 1) : "",
                             ", last error: ", cause.message(), ")");
  if (connecting_.size() > SLUICE_TASK_PROGRESS_MAX_TEXT) {
    connecting_.resize(SLUICE_TASK_PROGRESS_MAX_TEXT);
  }
  sluice_task_progress progress = sluice_task_progress_init(SLUICE_TASK_PHASE_UNKNOWN);
  progress.position = Str(connecting_);
  host_.ReportProgress(progress);
  return cause;
}

absl::Status BinlogSource::DeferFailureAfterRecords(absl::Status status, bool appended) {
  if (!status.ok() && appended) {
    deferred_failure_ = std::move(status);
    return absl::OkStatus();
  }
  return status;
}

absl::Status BinlogSource::TakeDeferredFailure() {
  return std::exchange(deferred_failure_, absl::OkStatus());
}

absl::StatusOr<OffsetState> ServerStartOffset(Connection& connection, SnapshotMode mode) {
  OffsetState start;
  std::string executed_gtids;
  if (mode == SnapshotMode::kNever) {
    absl::StatusOr<std::string> oldest = ReadOldestBinlogFile(connection);
    if (!oldest.ok()) return oldest.status();
    start.file = *oldest;
    start.pos = 4;
  } else {
    absl::StatusOr<ServerBinlogPosition> now = ReadServerBinlogPosition(connection);
    if (!now.ok()) return now.status();
    start.file = now->file;
    start.pos = static_cast<int64_t>(now->position);
    executed_gtids = now->executed_gtids;
  }
  if (connection.is_mariadb()) {
    absl::StatusOr<QueryResult> gtid = connection.Query(
        absl::StrCat("SELECT BINLOG_GTID_POS(", SqlString(start.file), ", ", start.pos, ")"));
    if (gtid.ok() && !gtid->rows.empty()) start.gtids = gtid->rows[0][0].value_or("");
  } else if (mode == SnapshotMode::kNoData) {
    // MySQL: the transactions before the current position are the executed set shown with it.
    start.gtids = executed_gtids;
  } else {
    // MySQL: the transactions before the oldest binlog are the purged ones.
    absl::StatusOr<std::string> purged = connection.GlobalVariable("gtid_purged");
    if (purged.ok()) start.gtids = *purged;
  }
  return start;
}

absl::Status PurgedPositionError(const OffsetState& from, const absl::Status& cause) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the committed position ", PositionText(from),
      " is no longer on the server (its binlog was purged while the connector was stopped), so "
      "the changes made since then cannot be read. Take a new snapshot: set snapshot.mode="
      "when_needed, or reset the connector's offset; keep binlogs longer "
      "(binlog_expire_logs_seconds) to avoid this. Server said: ",
      cause.message()));
}

}  // namespace sluice::mysql
