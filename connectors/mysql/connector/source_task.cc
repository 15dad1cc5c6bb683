#include "connectors/mysql/connector/source_task.h"

#include <time.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "connectors/mysql/connector/binlog_headroom.h"
#include "connectors/mysql/connector/catalog.h"
#include "connectors/mysql/connector/sql_secrets.h"
#include "connectors/mysql/connector/clock.h"
#include "connectors/mysql/connector/ddl_targets.h"
#include "connectors/mysql/connector/snapshot.h"
#include "connectors/mysql/connector/sql_scanner.h"
#include "connectors/mysql/connector/unreadable_events.h"
#include "connectors/mysql/server/server_checks.h"
#include "sluice/binlog/json_diff.h"

namespace sluice::mysql {
namespace {

// An xid as the binlog's XA statements write it: X'<gtrid hex>',X'<bqual hex>',<formatID>.
std::string XidText(const binlog::XaPrepareEvent& prepare) {
  const auto hex = [](std::string_view bytes) {
    return absl::AsciiStrToUpper(
        absl::BytesToHexString(absl::string_view(bytes.data(), bytes.size())));
  };
  return absl::StrCat("X'", hex(prepare.gtrid), "',X'", hex(prepare.bqual), "',",
                      prepare.format_id);
}

}  // namespace

SourceTask::SourceTask(Host host, ConnectorConfig config)
    : host_(host),
      config_(std::move(config)),
      filters_(config_),
      builder_(host_, config_),
      schemas_(config_, filters_, builder_.tables,
               [this]() -> absl::StatusOr<std::unique_ptr<Catalog>> {
                 absl::Status connected = EnsureQueryConnection();
                 if (!connected.ok()) return connected;
                 return std::make_unique<InformationSchemaCatalog>(*query_connection_);
               }),
      ddl_(host_, config_, filters_, builder_, schemas_, model_,
           [this]() -> absl::StatusOr<Connection*> {
             absl::Status connected = EnsureQueryConnection();
             if (!connected.ok()) return connected;
             return &*query_connection_;
           }),
      transaction_(builder_.transactions) {
  schemas_.CheckMapsWith([this](const binlog::TableMap& map) {
    SourcePosition source;
    if (event_.has_value()) position_.FillSource(*event_, source);
    return ddl_.CheckTableMap(map, absl::StrCat(source.file, ":", source.pos));
  });
}

SourceTask::~SourceTask() {
  host_.Log(SLUICE_LOG_INFO,
            absl::StrCat("largest hand-over to the worker: ", budget_.peak_records(),
                         " records, about ", budget_.peak_bytes(),
                         " bytes (bounds: max.batch.size=", config_.max_batch_size,
                         ", max.queue.size.in.bytes=", budget_.max_bytes(), ")"));
  // The server's dump thread notices a closed stream only when it next writes (the heartbeat, up
  // to a second later); a connector started again meanwhile with the same server id waited about
  // 100 ms for the server to end that thread before its first event (docs/benchmarks.md,
  // restart). Ending it here leaves nothing behind; one's own connection needs no privilege to
  // kill. Best effort, and without waiting for the answer: a stop never hangs on a server that
  // went away (then the server ends the thread itself).
  if (!source_.is_open() || !query_connection_.has_value()) return;
  const uint64_t dump_thread = source_.dump_thread_id();
  source_.Close();
  (void)query_connection_->SendLast(absl::StrCat("KILL CONNECTION ", dump_thread));
  query_connection_.reset();
}

absl::Status SourceTask::Poll(sluice_batch* batch, int64_t timeout_ms) {
  budget_.Reset();
  builder_.StartPoll();
  // A failure after records were appended is reported by the next poll (BinlogSource).
  absl::Status deferred = source_.TakeDeferredFailure();
  if (!deferred.ok()) return deferred;
  absl::Status status = PollPhase(batch, MonotonicNanos() + timeout_ms * 1000000);
  return source_.DeferFailureAfterRecords(std::move(status), host_.api()->batch_size(batch) > 0);
}

absl::Status SourceTask::PollPhase(sluice_batch* batch, int64_t deadline) {
  if (phase_ == Phase::kStart) {
    absl::Status status = Start();
    if (absl::IsUnavailable(status)) {
      // The server cannot be reached (yet): the worker polls again after its back-off, and the
      // next poll starts over.
      query_connection_.reset();
      return Lost(status);
    }
    if (!status.ok()) return status;
    source_.Connected();
  }
  if (phase_ == Phase::kSnapshot) {
    absl::StatusOr<bool> done = snapshot_->Poll(batch, deadline, stop_, budget_);
    // A snapshot is no source transaction: each poll's rows are one Kafka transaction, so its
    // position record (whose commit the snapshot waits for) and its progress commit as it goes.
    if (done.ok()) EndKafkaTransaction(batch);
    if (absl::IsUnavailable(done.status())) {
      // The snapshot's transaction is gone with its connection: a later poll carries on after
      // the last row handed over, streaming from the same position, as a restart would (a new
      // position would skip the changes made meanwhile to rows already sent).
      host_.Log(SLUICE_LOG_WARN,
                absl::StrCat("the snapshot's connection to the server was lost (",
                             done.status().message(), "); the snapshot will resume"));
      interrupted_snapshot_ = snapshot_->Interrupted();
      interrupted_committed_ = snapshot_->position_committed();
      snapshot_.reset();
      query_connection_.reset();
      phase_ = Phase::kStart;
      return Lost(done.status());
    }
    if (!done.ok()) {
      // A failed snapshot lets go of its connections and any lock it holds (extended) now, not
      // when the failed task is destroyed.
      snapshot_.reset();
      phase_ = Phase::kStart;
      return done.status();
    }
    if (!*done) return absl::OkStatus();
    const OffsetState position = snapshot_->position();
    snapshot_.reset();
    stream_progress_.OnSnapshotCompleted((WallClockNanos() - snapshot_started_ns_) / 1000000);
    phase_ = Phase::kStreaming;
    host_.Log(SLUICE_LOG_INFO,
              absl::StrCat("snapshot done; streaming from ", position.file, ":", position.pos));
    if (config_.snapshot_mode == SnapshotMode::kInitialOnly) {
      phase_ = Phase::kDone;
      return absl::OkStatus();
    }
    // The snapshot read the server's GTIDs with its position.
    absl::Status status = OpenStream(position, /*gtids_complete=*/true);
    if (absl::IsUnavailable(status)) {
      source_.ReopenAt(position, /*gtids_complete=*/true);
      phase_ = Phase::kStreaming;
      return Lost(status);
    }
    return status;
  }
  if (phase_ == Phase::kDone) {
    // initial_only: nothing more to do; idle without spinning.
    host_.ReportProgress(sluice_task_progress_init(SLUICE_TASK_PHASE_IDLE));
    timespec pause{0, 100 * 1000000};
    nanosleep(&pause, nullptr);
    return absl::OkStatus();
  }
  absl::Status status = PollStream(batch, deadline);
  if (phase_ == Phase::kStreaming) {
    MeasureHeadroomNow();
    stream_progress_.Report(host_, budget_.room_records());
  }
  return status;
}

void SourceTask::MeasureHeadroomNow() {
  constexpr int64_t kEveryNanos = int64_t{10} * 1000000000;  // one small query per 10 s
  const int64_t now = WallClockNanos();
  if (headroom_measured_ns_ != 0 && now - headroom_measured_ns_ < kEveryNanos) return;
  if (stream_progress_.file().empty()) return;
  headroom_measured_ns_ = now;
  // A failure leaves the last figures: the headroom is news for the operator, never a reason
  // to stop streaming.
  if (!EnsureQueryConnection().ok()) return;
  absl::StatusOr<BinlogHeadroom> headroom = MeasureBinlogHeadroom(
      *query_connection_, stream_progress_.file(), static_cast<int64_t>(stream_progress_.pos()),
      stream_progress_.event_ms() / 1000, now / 1000000000);
  if (!headroom.ok()) return;
  stream_progress_.SetHeadroom(
      headroom->bytes, headroom->seconds,
      HeadroomWarning(*headroom, config_.purge_warning_bytes, config_.purge_warning_seconds));
}

absl::Status SourceTask::Start() {
  absl::StatusOr<std::optional<OffsetState>> offset =
      ReadCommittedOffset(host_, config_.topic_prefix);
  if (!offset.ok()) return offset.status();
  if (!offset->has_value() && !interrupted_snapshot_.has_value()) {
    absl::Status lost = CheckOffsetsNotLost();
    if (!lost.ok()) return lost;
  }

  ConnectionOptions options = config_.connection;
  absl::StatusOr<Connection> connection = Connection::Open(options);
  if (!connection.ok()) return connection.status();
  query_connection_.emplace(std::move(*connection));
  absl::Status status = CheckBinlogSettings(*query_connection_);
  if (!status.ok()) return status;
  const bool locking = (!query_connection_->is_mariadb() || config_.snapshot_locking_on_mariadb) &&
                       config_.snapshot_locking_mode != "none";
  status = CheckReplicationGrants(*query_connection_, locking);
  if (!status.ok()) return status;
  status = CheckServerIdDiffers(*query_connection_, config_.server_id);
  if (!status.ok()) return status;

  const SnapshotMode mode = config_.snapshot_mode;
  if (offset->has_value() && !(*offset)->snapshot) {
    if (mode == SnapshotMode::kInitialOnly) {
      host_.Log(SLUICE_LOG_INFO, "snapshot.mode=initial_only and the snapshot is done: idle");
      phase_ = Phase::kDone;
      return absl::OkStatus();
    }
    host_.Log(SLUICE_LOG_INFO,
              absl::StrCat("resuming from the committed offset ", PositionText(**offset),
                           " (event ", (*offset)->event, ", row ", (*offset)->row, ")"));
    return OpenStream(**offset, /*gtids_complete=*/false);
  }
  if (interrupted_snapshot_.has_value()) {
    // This task's snapshot lost its connection (PollPhase); kept until a new attempt begins.
    status = StartSnapshot(interrupted_snapshot_, interrupted_committed_);
    if (status.ok()) interrupted_snapshot_.reset();
    return status;
  }
  if (offset->has_value() && mode != SnapshotMode::kNever && mode != SnapshotMode::kNoData) {
    // A snapshot was interrupted after its position was committed: it carries on from its last
    // committed row, and streaming starts where it began (Snapshot).
    return StartSnapshot(**offset);
  }
  if (mode == SnapshotMode::kNever || mode == SnapshotMode::kNoData) {
    absl::StatusOr<OffsetState> start = ServerStartOffset(*query_connection_, mode);
    if (!start.ok()) return start.status();
    host_.Log(SLUICE_LOG_INFO,
              absl::StrCat("no committed offset and snapshot.mode=",
                           mode == SnapshotMode::kNever ? "never: streaming from the binlog's start "
                                                        : "no_data: streaming from the current position ",
                           start->file, ":", start->pos));
    return OpenStream(*start, /*gtids_complete=*/true);
  }
  return StartSnapshot();
}

absl::Status SourceTask::CheckOffsetsNotLost() {
  if (!config_.active_topics.has_value() || config_.active_topics->empty()) return absl::OkStatus();
  const std::vector<std::string>& topics = *config_.active_topics;
  std::string named = absl::StrJoin(topics.begin(), topics.begin() + std::min<size_t>(topics.size(), 3), ", ");
  if (topics.size() > 3) absl::StrAppend(&named, ", ... (", topics.size(), " in all)");
  const std::string what = absl::StrCat(
      "connector `", config_.connector_name, "` wrote to topics before (", named,
      ") but has no committed offset for {\"server\":\"", config_.topic_prefix,
      "\"}: its offsets were lost (the offsets topic deleted or emptied?). Starting as a new "
      "connector would take a new snapshot and skip every change made since its last committed "
      "position");
  if (config_.missing_offsets == MissingOffsetsPolicy::kStartOver) {
    host_.Log(SLUICE_LOG_WARN,
              absl::StrCat(what, "; offsets.missing.policy=start_over: starting over"));
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      what, ". Restore the offsets (sluice connectors offsets alter), or start over on purpose: "
            "set offsets.missing.policy=start_over, or reset the connector's offsets (sluice "
            "connectors offsets reset NAME, which forgets its topics too)"));
}

absl::Status SourceTask::StartSnapshot(std::optional<OffsetState> resume, bool resume_committed) {
  snapshot_started_ns_ = WallClockNanos();
  auto snapshot = std::make_unique<Snapshot>(host_, config_, filters_, builder_, std::move(resume),
                                             resume_committed);
  absl::Status status = snapshot->Begin();
  if (!status.ok()) return status;
  snapshot_ = std::move(snapshot);
  phase_ = Phase::kSnapshot;
  return absl::OkStatus();
}

absl::Status SourceTask::OpenStream(const OffsetState& from, bool gtids_complete) {
  absl::Status status = source_.Open(from, [&](bool mariadb) {
    return position_.Open(mariadb, from, gtids_complete);
  });
  if (IsBinlogPurged(status)) return BinlogPurged(from, status);
  if (!status.ok()) return status;
  phase_ = Phase::kStreaming;
  event_.reset();
  rows_.reset();
  resume_.Arm(from);
  return absl::OkStatus();
}

absl::Status SourceTask::BinlogPurged(const OffsetState& from, const absl::Status& cause) {
  source_.Close();
  event_.reset();
  rows_.reset();
  if (config_.snapshot_mode != SnapshotMode::kWhenNeeded) return PurgedPositionError(from, cause);
  host_.Log(SLUICE_LOG_WARN,
            absl::StrCat("the committed position ", PositionText(from),
                         " is no longer on the server; snapshot.mode=when_needed: taking a new "
                         "snapshot (", cause.message(), ")"));
  return StartSnapshot();
}

void SourceTask::Acknowledged(const sluice_scalar_map& offset, bool committed) {
  if (!committed || snapshot_ == nullptr) return;
  // Only this snapshot's own records count: a late notice of an earlier attempt or of the stream
  // before a when_needed snapshot says nothing about this one's position.
  absl::StatusOr<OffsetState> parsed = ParseOffset(offset);
  if (parsed.ok()) snapshot_->PositionCommitted(*parsed);
}

void SourceTask::OnTransactionStart() {
  transaction_.Reset();
  resume_.OnTransactionStart();
  events_in_transaction_ = 0;
  xa_deferring_ = false;
  xa_deferred_rows_ = false;
  statement_query_.clear();
}

void SourceTask::XaPrepared(const binlog::XaPrepareEvent& prepare) {
  if (prepare.one_phase || events_in_transaction_ == 0) return;
  prepared_xa_[XidText(prepare)] = {events_in_transaction_, position_.TransactionId()};
}

void SourceTask::XaResolved(const XaStatement& xa) {
  auto it = prepared_xa_.find(absl::AsciiStrToUpper(xa.xid));
  if (it == prepared_xa_.end()) return;
  if (xa.verb == "ROLLBACK") {
    host_.Log(SLUICE_LOG_WARN,
              absl::StrCat("XA transaction ", xa.xid, " (", it->second.at,
                           ") was rolled back after XA PREPARE: its ", it->second.events,
                           it->second.events == 1 ? " change event" : " change events",
                           ", emitted at the prepare as Debezium emits them, stay in the topics "
                           "(docs/mysql-connector.md, \"XA transactions\")"));
  }
  prepared_xa_.erase(it);
}

absl::Status SourceTask::Commit(sluice_batch* batch) {
  position_.Commit(*event_);
  stream_progress_.OnCommit();
  resume_.OnCommit();
  if (config_.provide_transaction_metadata) {
    absl::Status status = transaction_.End(batch, position_.ts_sec() * 1000, position_.Current());
    if (!status.ok()) return status;
  }
  // One source transaction, one Kafka transaction (its END record included).
  EndKafkaTransaction(batch);
  return absl::OkStatus();
}

void SourceTask::EndKafkaTransaction(sluice_batch* batch) {
  host_.EndTransaction(batch);
  records_in_kafka_transaction_ = 0;
}

absl::Status SourceTask::CountTransactionRow(sluice_batch* batch, const TableSchema& schema,
                                             int events, bool emit) {
  if (!config_.provide_transaction_metadata || !position_.in_transaction()) {
    return absl::OkStatus();
  }
  if (!transaction_.begun()) {
    // From BEGIN on, the offset names the transaction (Debezium's transaction_id).
    position_.set_transaction_id(position_.TransactionId());
    OffsetState begin;
    if (emit) {
      begin = position_.Current();
      begin.row = row_index_ - 1;
    }
    absl::Status status = transaction_.Begin(batch, position_.TransactionId(),
                                             position_.ts_sec() * 1000, emit ? &begin : nullptr);
    if (!status.ok()) return status;
  }
  transaction_.Count(absl::StrCat(schema.db, ".", schema.table), events);
  return absl::OkStatus();
}

absl::Status SourceTask::Lost(absl::Status cause) {
  event_.reset();
  rows_.reset();
  return source_.Lost(std::move(cause), position_.Current(), position_.gtids_tracking());
}

absl::Status SourceTask::PollStream(sluice_batch* batch, int64_t deadline_ns) {
  const sluice_host_api* api = host_.api();
  if (!source_.is_open()) {
    const std::optional<OffsetState>& at = source_.reopen_at();
    if (!at.has_value()) return absl::InternalError("streaming without a position");
    host_.Log(SLUICE_LOG_INFO, absl::StrCat("reconnecting at ", at->file, ":", at->pos,
                                            " (event ", at->event, ")"));
    absl::Status status = OpenStream(*at, source_.reopen_gtids_complete());
    if (absl::IsUnavailable(status)) return Lost(status);
    if (!status.ok()) return status;
    if (phase_ != Phase::kStreaming) return absl::OkStatus();
  }
  while (!stop_.load(std::memory_order_relaxed)) {
    if (budget_.Full(api, batch)) break;
    if (event_.has_value()) {
      absl::StatusOr<bool> finished = HandleEvent(batch);
      if (absl::IsUnavailable(finished.status())) return Lost(finished.status());
      if (!finished.ok()) return finished.status();
      if (!*finished) break;  // the batch is full; the rest of this event comes next poll
      event_.reset();
      // At a transaction boundary, hand over what this poll gathered instead of blocking on the
      // stream for more: a committed change reaches Kafka without waiting for the next one. When
      // the next transaction has already arrived (a backlog), read on up to the poll's budget:
      // a hand-over per source transaction cost a poll, and with exactly-once at the default
      // boundary a Kafka transaction, per source transaction (docs/benchmarks.md).
      if (!position_.in_transaction() && api->batch_size(batch) > 0 &&
          !source_.NextEventArrived()) {
        break;
      }
      continue;
    }
    if (MonotonicNanos() >= deadline_ns) break;
    if (config_.heartbeat_interval_ms > 0 && !position_.in_transaction()) {
      const int64_t now = MonotonicNanos();
      if (now - last_heartbeat_ns_ >= config_.heartbeat_interval_ms * 1000000) {
        last_heartbeat_ns_ = now;
        absl::Status status = builder_.heartbeats.Heartbeat(batch, position_.Current());
        if (!status.ok()) return status;
        EndKafkaTransaction(batch);  // between source transactions: its offset commits now
      }
    }
    // Nothing to hand over and nothing has arrived (an idle binlog): wait for the stream only
    // until the poll's deadline, so the worker has its thread back on time (under exactly-once, a
    // commit's outcome is taken between polls) instead of at the server's next heartbeat.
    if (api->batch_size(batch) == 0 && !position_.in_transaction()) {
      const int64_t left_ms = std::max<int64_t>(0, (deadline_ns - MonotonicNanos()) / 1000000);
      if (!source_.AwaitNextEvent(static_cast<int>(left_ms))) break;
    }
    absl::StatusOr<binlog::Event> next = source_.Next();
    if (!next.ok()) {
      if (IsBinlogPurged(next.status())) {
        absl::Status status = BinlogPurged(position_.Current(), next.status());
        if (!status.ok()) return status;
        return absl::OkStatus();
      }
      // What this poll appended so far is delivered (Poll).
      if (absl::IsUnavailable(next.status())) return Lost(next.status());
      return next.status();
    }
    event_.emplace(std::move(*next));
    stream_progress_.OnEvent(*event_);
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> SourceTask::HandleEvent(sluice_batch* batch) {
  const binlog::Event& event = *event_;
  const binlog::EventHeader& header = event.header;
  const bool artificial = (header.flags & binlog::kFlagArtificial) != 0 || header.log_pos == 0;
  if (artificial) {
    if (const auto* rotate = event.As<binlog::RotateEvent>()) position_.Rotate(*rotate);
    return true;
  }
  position_.OnEvent(header);
  if (const auto* gtid = event.As<binlog::MariaGtidEvent>()) {
    position_.BeginMariaDb(event, *gtid);
    OnTransactionStart();
  } else if (const auto* mysql_gtid = event.As<binlog::MysqlGtidEvent>()) {
    position_.MysqlGtid(*mysql_gtid);
  } else if (const auto* query = event.As<binlog::QueryEvent>()) {
    const absl::string_view sql(query->query.data(), query->query.size());
    const std::string word = LeadingKeyword(sql);
    const XaStatement xa = word == "XA" ? ParseXaStatement(sql) : XaStatement();
    if (word == "BEGIN" || xa.starts()) {
      // MySQL writes an XA transaction as GTID, XA START, its rows, XA END, XA_PREPARE: XA START
      // opens it as BEGIN does, XA_PREPARE ends it (below).
      if (position_.Begin(event, query->thread_id)) OnTransactionStart();
      // Its rows wait for the outcome, unless this is the committed one being read again.
      xa_deferring_ = xa.starts() && position_.can_hold_back_gtid() &&
                      source_.after_mysql_gtid_set() &&
                      !absl::EqualsIgnoreCase(xa.xid, position_.xa_committed());
      if (xa_deferring_) resume_.PassOver();
    } else if (word == "COMMIT") {
      absl::Status status = Commit(batch);
      if (!status.ok()) return status;
      return true;
    } else {
      if (xa.verb == "COMMIT" || xa.verb == "ROLLBACK") {
        auto held = xa_held_.find(absl::AsciiStrToUpper(xa.xid));
        if (held != xa_held_.end()) {
          const GtidTracker::MysqlGtid prepared = held->second;
          xa_held_.erase(held);
          if (xa.verb == "COMMIT") return ReadCommittedXaAgain(xa.xid);
          position_.CompleteGtid(prepared);  // rolled back: never emitted, never read again
        }
        XaResolved(xa);
      }
      absl::Status status = HandleQuery(batch, *query);
      if (!status.ok()) return status;
      if (position_.in_transaction() && position_.standalone()) {
        absl::Status commit = Commit(batch);
        if (!commit.ok()) return commit;
        return true;
      }
      position_.StatementDone();
    }
  } else if (event.As<binlog::XidEvent>() != nullptr ||
             (event.As<binlog::XaPrepareEvent>() != nullptr && position_.in_transaction())) {
    // XA_PREPARE ends an XA transaction's events in the binlog, prepared (a later XA COMMIT or
    // XA ROLLBACK, its own GTID, decides) or committed (XA COMMIT ... ONE PHASE). Where its rows
    // could not wait (MariaDB, MySQL without a GTID set) they were emitted as they were read, as
    // Debezium emits them (docs/mysql-connector.md, "XA transactions").
    const auto* prepare = event.As<binlog::XaPrepareEvent>();
    if (prepare != nullptr && xa_deferred_rows_) {
      // Its rows wait: the transaction ends here without its GTID.
      const std::optional<GtidTracker::MysqlGtid> held = position_.HoldBackGtid();
      absl::Status status = Commit(batch);
      if (!status.ok()) return status;
      if (prepare->one_phase) return ReadCommittedXaAgain(XidText(*prepare));
      if (held.has_value()) xa_held_[XidText(*prepare)] = *held;
      return true;
    }
    if (prepare != nullptr) {
      if (absl::EqualsIgnoreCase(XidText(*prepare), position_.xa_committed())) {
        position_.set_xa_committed("");  // read again and emitted: done
      }
      XaPrepared(*prepare);
    }
    absl::Status status = Commit(batch);
    if (!status.ok()) return status;
    return true;
  } else if (const auto* annotate = event.As<binlog::AnnotateRowsEvent>()) {
    if (config_.include_query) {
      statement_query_ = RedactSecrets(absl::string_view(annotate->query.data(), annotate->query.size()));
    }
  } else if (const auto* rows_query = event.As<binlog::RowsQueryEvent>()) {
    if (config_.include_query) {
      statement_query_ =
          RedactSecrets(absl::string_view(rows_query->query.data(), rows_query->query.size()));
    }
  } else if (event.As<binlog::RowsEvent>() != nullptr) {
    absl::StatusOr<bool> finished = EmitRows(batch);
    if (!finished.ok() || !*finished) return finished;
  } else if (const auto* rotate = event.As<binlog::RotateEvent>()) {
    position_.Rotate(*rotate);
    return true;
  } else if (event.As<binlog::HeartbeatEvent>() != nullptr) {
    return true;
  } else if (std::optional<std::string> why = UnreadableEventReason(event)) {
    absl::Status status = Unreadable(event, *why);
    if (!status.ok()) return status;
  }
  position_.EventDone(event);
  return true;
}

absl::StatusOr<bool> SourceTask::ReadCommittedXaAgain(const std::string& xid) {
  // This statement's own GTID stays out of the set too: the server sends it again after the
  // prepared events, and then it completes as any statement does.
  (void)position_.HoldBackGtid();
  position_.set_xa_committed(xid);
  host_.Log(SLUICE_LOG_INFO, absl::StrCat("XA transaction ", xid,
                                          " committed: reading its prepared events again"));
  source_.Close();
  absl::Status status = OpenStream(position_.Current(), /*gtids_complete=*/true);
  if (absl::IsUnavailable(status)) return Lost(status);
  if (!status.ok()) return status;
  return true;  // event_ is gone with the old stream: nothing more of it is read
}

absl::Status SourceTask::Unreadable(const binlog::Event& event, absl::string_view what) {
  switch (config_.failure_mode) {
    case FailureMode::kFail:
      return binlog::AnnotateError(
          absl::FailedPreconditionError(absl::StrCat(
              what, ". The task stops here rather than pass over changes; to log such events and "
                    "go on, set event.processing.failure.handling.mode=warn")),
          event.context);
    case FailureMode::kWarn:
      host_.Log(SLUICE_LOG_WARN,
                binlog::AnnotateError(
                    absl::UnknownError(absl::StrCat(
                        what, "; passed over (event.processing.failure.handling.mode=warn)")),
                    event.context)
                    .message());
      return absl::OkStatus();
    case FailureMode::kSkip:
      break;
  }
  return absl::OkStatus();
}

absl::Status SourceTask::HandleQuery(sluice_batch* batch, const binlog::QueryEvent& query) {
  const absl::string_view sql(query.query.data(), query.query.size());
  const std::string word = LeadingKeyword(sql);
  if (word == "SAVEPOINT" || word == "ROLLBACK" || word == "XA" || word.empty()) {
    return absl::OkStatus();
  }
  const std::string db(query.database);
  const DmlStatement dml = DmlTables(sql, db);
  if (dml.dml) {
    // Statement-based: harmless outside the captured tables, unreadable inside them.
    std::optional<std::string> why = StatementChangeReason(dml, db, sql, filters_);
    return why.has_value() ? Unreadable(*event_, *why) : absl::OkStatus();
  }
  // Only statements that change the structure of databases are schema changes: account
  // statements carry credentials, the rest (FLUSH, CREATE SERVER, ...) concern no database.
  if (ClassifyStatement(sql) != StatementKind::kStructure) return absl::OkStatus();
  // A DDL statement: table versions change with the next table map; what the catalog says about
  // the database's tables (BOOLEAN, MariaDB JSON, column defaults) is read again.
  schemas_.ForgetDatabase(db);
  SourcePosition source;
  position_.FillSource(*event_, source);
  // The schema model follows every statement, also those a restart says were emitted.
  absl::Status advanced = ddl_.AdvanceModel(db, sql, source);
  if (!advanced.ok()) return advanced;
  // After a restart inside this transaction, events the offset counts were emitted already.
  if (resume_.EmittedBefore(position_.events_done())) return absl::OkStatus();
  return ddl_.Statement(batch, db, sql, word, source, position_.StatementOffset(*event_),
                        event_->header.log_pos);
}

absl::Status SourceTask::EnsureQueryConnection() {
  if (query_connection_.has_value() && query_connection_->Execute("DO 1").ok()) {
    return absl::OkStatus();
  }
  // The query connection idled out or the server restarted: open a new one.
  absl::StatusOr<Connection> connection = Connection::Open(config_.connection);
  if (!connection.ok()) return connection.status();
  query_connection_.emplace(std::move(*connection));
  return absl::OkStatus();
}

absl::StatusOr<bool> SourceTask::EmitRows(sluice_batch* batch) {
  const binlog::Event& event = *event_;
  const binlog::RowsEvent& rows = *event.As<binlog::RowsEvent>();
  if (rows_ == nullptr) {
    absl::StatusOr<const TableSchema*> schema = schemas_.SchemaFor(rows.table);
    if (!schema.ok()) return binlog::AnnotateError(schema.status(), event.context);
    current_schema_ = *schema;
    rows_ = std::make_unique<binlog::RowReader>(rows);
    row_index_ = 0;
    skip_rows_ = static_cast<int32_t>(resume_.RowsEmittedBefore(position_.events_done(), &skip_event_));
  }
  if (xa_deferring_) {
    if (current_schema_ != nullptr) xa_deferred_rows_ = true;
    rows_.reset();
    current_schema_ = nullptr;
    return true;
  }
  if (current_schema_ != nullptr) {
    const sluice_host_api* api = host_.api();
    while (true) {
      if (budget_.Full(api, batch)) return false;
      const size_t row_start = rows_->bytes_read();
      absl::StatusOr<bool> more = rows_->Next(change_);
      if (!more.ok()) return more.status();
      if (!*more) break;
      if (rows.partial_json) {
        // binlog_row_value_options=PARTIAL_JSON: JSON columns of the after image may hold only
        // what changed; the record carries the whole document, as a FULL image would.
        absl::Status whole = binlog::ResolveJsonDiffs(*rows.table, change_, &json_texts_);
        if (!whole.ok()) return binlog::AnnotateError(whole, event.context);
      }
      const int32_t index = row_index_++;
      stream_progress_.OnRowChange();
      const bool emitted_before = skip_event_ || index < skip_rows_;
      if (emitted_before && !config_.provide_transaction_metadata) continue;
      char op = 'c';
      BinlogRow before(change_.before), after(change_.after);
      RowSource* before_row = nullptr;
      RowSource* after_row = nullptr;
      switch (rows.kind) {
        case binlog::RowsKind::kWrite:
          if (config_.skip_create) continue;
          after_row = &after;
          break;
        case binlog::RowsKind::kUpdate:
          if (config_.skip_update) continue;
          op = 'u';
          before_row = &before;
          after_row = &after;
          break;
        case binlog::RowsKind::kDelete:
          if (config_.skip_delete) continue;
          op = 'd';
          before_row = &before;
          break;
      }
      if (config_.provide_transaction_metadata) {
        absl::Status status = CountTransactionRow(
            batch, *current_schema_,
            ChangeEvents::EventCount(*current_schema_, op, before_row, after_row),
            !emitted_before);
        if (!status.ok()) return status;
      }
      if (emitted_before) continue;  // counted above: the transaction's orders stay right
      // Reused row after row: assigning into kept strings allocates nothing once warm.
      SourcePosition& source = row_source_;
      position_.FillSource(event, source);
      source.row = index;
      source.query = statement_query_.empty() ? nullptr : &statement_query_;
      source.transaction = config_.provide_transaction_metadata && position_.in_transaction()
                               ? transaction_.info()
                               : nullptr;
      const StreamPosition::RowOffsets offsets = position_.Row(source, index);
      absl::Status status = builder_.changes.Change(batch, *current_schema_, op, before_row,
                                                    after_row, source, offsets.pending,
                                                    offsets.done);
      if (!status.ok()) return binlog::AnnotateError(status, event.context);
      budget_.Add(rows_->bytes_read() - row_start);
      ++events_in_transaction_;
      // A source transaction too large for one Kafka transaction is split after this row: the
      // row's offset (the transaction's start plus event and row skip counts) resumes right after
      // it, so each part is still delivered exactly once.
      if (++records_in_kafka_transaction_ >= config_.transaction_max_records) {
        EndKafkaTransaction(batch);
      }
    }
  }
  rows_.reset();
  current_schema_ = nullptr;
  return true;
}

}  // namespace sluice::mysql
