#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_TASK_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_TASK_H_

// The one task of a MySQL/MariaDB connector: checks the server, snapshots when the mode and the
// committed offset say so, then streams the binlog, turning rows into Debezium change events.
//
// Threads: everything runs on the task thread inside Poll, except RequestStop (any thread).
// Memory: one binlog event at a time is held (its rows may span several polls); schemas are
// built once per table version; rows are converted straight into the host's batch arena, at most
// max.batch.size records and about max.queue.size.in.bytes bytes per poll (BatchBudget), so a
// transaction of any size streams through in bounded batches.
// Retries: one policy, the worker's. A poll that cannot reach the server returns Unavailable (the
// worker polls again after its back-off, 100 ms doubling to 10 s) and the next poll reconnects.
// A poll that already appended records returns them with OK and reports the loss on the next.

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "connectors/mysql/connector/batch_budget.h"
#include "connectors/mysql/connector/binlog_source.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/ddl_events.h"
#include "connectors/mysql/connector/ddl_targets.h"
#include "connectors/mysql/connector/event_builders.h"
#include "connectors/mysql/connector/filters.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/offset.h"
#include "connectors/mysql/connector/progress.h"
#include "connectors/mysql/connector/resume_skip.h"
#include "connectors/mysql/connector/schema_cache.h"
#include "connectors/mysql/connector/schema_model.h"
#include "connectors/mysql/connector/sql_scanner.h"
#include "connectors/mysql/connector/stream_position.h"
#include "connectors/mysql/connector/transaction_metadata.h"
#include "connectors/mysql/server/connection.h"
#include "sluice/binlog/decoder.h"

namespace sluice::mysql {

class Snapshot;

class SourceTask {
 public:
  SourceTask(Host host, ConnectorConfig config);
  ~SourceTask();

  // Appends what is available; Unavailable when the server cannot be reached (see above).
  absl::Status Poll(sluice_batch* batch, int64_t timeout_ms);
  void RequestStop() { stop_.store(true, std::memory_order_relaxed); }
  // The host acknowledged records up to `offset` (on_task_acknowledged; the task thread, between
  // polls); `committed`: that offset is durable in the offsets topic.
  void Acknowledged(const sluice_scalar_map& offset, bool committed);

 private:
  enum class Phase { kStart, kSnapshot, kStreaming, kDone };

  absl::Status Start();
  // No committed offset: unless the host says the connector wrote to topics before (its offsets
  // were lost), OK; then offsets.missing.policy says whether to fail or start over (logged).
  absl::Status CheckOffsetsNotLost();
  // Takes the snapshot's view, or carries on with the interrupted one at `resume` (Snapshot's
  // constructor); the phase is kSnapshot from then until it is done or lost.
  absl::Status StartSnapshot(std::optional<OffsetState> resume = std::nullopt,
                             bool resume_committed = true);
  // Streams from `from`; `gtids_complete`: its `gtids` is the server's whole set even when empty
  // (a position the server reported, or the tracker's own state on a reconnect), not an offset
  // that may lack it.
  absl::Status OpenStream(const OffsetState& from, bool gtids_complete);
  // The committed position is gone from the server: snapshot again (when_needed) or fail.
  absl::Status BinlogPurged(const OffsetState& from, const absl::Status& cause);
  absl::Status PollStream(sluice_batch* batch, int64_t deadline_ns);
  // The poll's work in the current phase, until `deadline` (monotonic ns).
  absl::Status PollPhase(sluice_batch* batch, int64_t deadline);
  // The server went away (`cause`, Unavailable): the event in hand is dropped, the stream too, to
  // be reopened at the current position (BinlogSource::Lost). Returns `cause`.
  absl::Status Lost(absl::Status cause);
  // Handles one decoded event; false when the batch is full mid-event (rows remain).
  absl::StatusOr<bool> HandleEvent(sluice_batch* batch);
  absl::StatusOr<bool> EmitRows(sluice_batch* batch);
  // An event the task cannot turn into records (what: why, and the way out): fails the task
  // naming it and its position, or per event.processing.failure.handling.mode logs it and goes on.
  absl::Status Unreadable(const binlog::Event& event, absl::string_view what);
  // A transaction started (StreamPosition said so): nothing of it counted or skipped yet.
  void OnTransactionStart();
  // XA_PREPARE of a two-phase XA transaction that emitted change events: remember it until its
  // XA COMMIT or XA ROLLBACK (XaResolved), which warns about a rollback.
  void XaPrepared(const binlog::XaPrepareEvent& prepare);
  void XaResolved(const XaStatement& xa);
  // The XA transaction `xid` committed while its rows waited: reopens the stream at the offset's
  // GTID set, so the server sends its prepared events again (xa_deferring_).
  absl::StatusOr<bool> ReadCommittedXaAgain(const std::string& xid);
  // The current event committed the transaction: END when provide.transaction.metadata.
  absl::Status Commit(sluice_batch* batch);
  // Marks a Kafka transaction boundary after what `batch` holds (host.h, EndTransaction).
  void EndKafkaTransaction(sluice_batch* batch);
  // provide.transaction.metadata: counts one row of `schema`, `events` change events (two for a
  // key change), and emits BEGIN first when `emit` and none was sent for this transaction.
  absl::Status CountTransactionRow(sluice_batch* batch, const TableSchema& schema, int events,
                                   bool emit);
  // A statement other than BEGIN/COMMIT: a DDL statement's table versions are forgotten, its
  // records built (DdlEvents) unless a restart says they were emitted.
  absl::Status HandleQuery(sluice_batch* batch, const binlog::QueryEvent& query);
  // Reopens query_connection_ when it idled out or the server restarted.
  absl::Status EnsureQueryConnection();
  // Streaming: the binlog purge headroom (binlog_headroom.h) into stream_progress_, measured at
  // most every 10 s.
  void MeasureHeadroomNow();

  Host host_;
  ConnectorConfig config_;
  BatchBudget budget_{config_};  // this poll's hand-over: records and bytes
  Filters filters_;
  EventBuilders builder_;
  SchemaModel model_;    // each table's structure at the position streaming reached
  SchemaCache schemas_;  // the table versions met while streaming
  DdlEvents ddl_;        // a DDL statement's records and the model's advance
  std::atomic<bool> stop_{false};
  Phase phase_ = Phase::kStart;

  std::optional<Connection> query_connection_;
  BinlogSource source_{host_, config_};  // the binlog stream, across lost connections
  std::unique_ptr<Snapshot> snapshot_;  // exactly while phase_ is kSnapshot
  // A snapshot that lost its connection: where the next start carries on (Snapshot::Interrupted).
  std::optional<OffsetState> interrupted_snapshot_;
  bool interrupted_committed_ = false;

  // The event being worked on, and how far its rows got.
  std::optional<binlog::Event> event_;
  std::unique_ptr<binlog::RowReader> rows_;
  binlog::RowChange change_;
  std::vector<std::string> json_texts_;  // whole documents of change_'s partial JSON updates
  int32_t row_index_ = 0;
  int32_t skip_rows_ = 0;
  bool skip_event_ = false;
  const TableSchema* current_schema_ = nullptr;
  SourcePosition row_source_;
  // include.query: the statement of the rows that follow (ANNOTATE_ROWS / ROWS_QUERY), redacted;
  // empty from each transaction's start until one is read.
  std::string statement_query_;
  TransactionMetadata transaction_;  // provide.transaction.metadata

  StreamPosition position_;  // where the stream is: the offset written while streaming
  int64_t last_heartbeat_ns_ = 0;

  // Resuming inside a transaction: skip what the committed offset says was emitted.
  ResumeSkip resume_;

  // XA transactions prepared while streaming whose change events were emitted at XA PREPARE, by
  // xid as the binlog writes it (upper case), until their XA COMMIT or XA ROLLBACK: a rollback is
  // logged as a warning, since its events stand in the topics (docs/mysql-connector.md, "XA
  // transactions"). Memory only; as many entries as the server has prepared XA transactions.
  struct PreparedXa {
    int64_t events = 0;
    std::string at;  // the transaction's id (its GTID, or where it starts)
  };
  std::map<std::string, PreparedXa> prepared_xa_;
  int64_t events_in_transaction_ = 0;  // change events emitted since the transaction began
  // Change events since the last transaction boundary marked for the host (ABI 1.5).
  int64_t records_in_kafka_transaction_ = 0;

  // MySQL with a complete GTID set: an XA transaction's rows wait for its outcome. Read at XA
  // PREPARE, rows of captured tables are not emitted and the transaction's GTID is held back from
  // the offset's `gtids` (so a restart reads it again); its XA COMMIT (or an XA_PREPARE marked
  // one-phase) reopens the stream at the GTID set, which the server answers with the held-back
  // transactions first: the committed one's rows are emitted then, and the offset's
  // `xa_committed` says so until they are. An XA ROLLBACK adds the GTID without emitting.
  bool xa_deferring_ = false;      // the open XA transaction's rows wait
  bool xa_deferred_rows_ = false;  // and some were of captured tables
  std::map<std::string, GtidTracker::MysqlGtid> xa_held_;  // prepared, by upper-case xid

  // Lag and position for the host's progress report (ABI 1.2), its counters and the binlog purge
  // headroom (1.6).
  StreamProgress stream_progress_;
  int64_t headroom_measured_ns_ = 0;  // WallClockNanos of the last measurement, 0: none yet
  int64_t snapshot_started_ns_ = 0;   // when this task began its snapshot
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_TASK_H_
