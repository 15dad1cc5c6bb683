#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_BINLOG_SOURCE_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_BINLOG_SOURCE_H_

// The task's binlog stream, across lost connections: opens the stream at an offset, hands out
// decoded events, and when the server goes away drops the stream and remembers where a later poll
// reopens it (the position of the last record handed to the worker: nothing is skipped or
// repeated). It also keeps the poll's rule for a loss: a poll that appended records before losing
// the server returns them with OK and the loss is reported by the next poll.
//
// Every loss of the server (a connection that could not be made or was dropped, in any phase) is
// counted here: while the server cannot be reached the task's progress says so ("connecting to
// host:port (attempt N, last error: ...)"), and after `errors.max.retries` failed attempts in a
// row the loss becomes the task's failure (FailedPrecondition naming the server, the attempts and
// the last error). A connection made (Connected, or a stream opened) starts the count over.
//
// Thread: the task thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/offset.h"
#include "connectors/mysql/server/binlog_stream.h"
#include "connectors/mysql/server/connection.h"
#include "sluice/binlog/decoder.h"
#include "sluice/binlog/transaction_payload.h"

namespace sluice::mysql {

class BinlogSource {
 public:
  BinlogSource(Host host, const ConnectorConfig& config) : host_(host), config_(config) {}

  // Opens a stream at `from` on a connection of its own. `before_dump(mariadb)` runs once the
  // server's kind is known and before the dump starts; its error is returned as is. A position the
  // server no longer has: FailedPrecondition that IsBinlogPurged recognises. Unavailable: the
  // server cannot be reached.
  absl::Status Open(const OffsetState& from,
                    const std::function<absl::Status(bool mariadb)>& before_dump);
  bool is_open() const { return stream_.has_value(); }
  // The open stream started after a MySQL GTID set (BinlogStream::after_mysql_gtid_set).
  bool after_mysql_gtid_set() const { return stream_.has_value() && stream_->after_mysql_gtid_set(); }
  // The next event of the open stream. A compressed transaction (MySQL's TRANSACTION_PAYLOAD,
  // binlog_transaction_compression=ON) is handed out as the events inside it, one at a time, each
  // standing at its payload's end position as mysqlbinlog shows them (they carry none of their
  // own), so the task reads them as it reads an uncompressed transaction and a restart inside one
  // reopens at the payload and counts its events again. Unavailable: the server went away (then
  // call Lost);
  // IsBinlogPurged: the position is gone from the server; FailedPrecondition naming
  // database.server.id when another replica took the stream over.
  absl::StatusOr<binlog::Event> Next();
  // Whether the server's next event has (begun to) arrive(d): Next would not wait for the server
  // to write it (BinlogStream::NextEventArrived). False without an open stream.
  bool NextEventArrived() { return stream_.has_value() && stream_->NextEventArrived(); }
  // Waits up to `timeout_ms` for the next event to arrive; true when Next may not block (an
  // event inside an open payload, bytes read ahead or on the socket, no open stream: Next says
  // why), false when nothing came (BinlogStream::AwaitNextEvent).
  bool AwaitNextEvent(int timeout_ms) {
    return payload_reader_ != nullptr || !stream_.has_value() ||
           stream_->AwaitNextEvent(timeout_ms);
  }
  // The open stream's dump thread on the server (for KILL CONNECTION); 0 when none is open.
  uint64_t dump_thread_id() const {
    return stream_.has_value() ? stream_->server_connection_id() : 0;
  }
  // Drops the stream, if any.
  void Close() {
    ClosePayload();
    stream_.reset();
  }

  // The server went away (`cause`, Unavailable): when a stream was open, a later poll reopens it
  // at `at`, the position of the last record handed over (`gtids_complete`: GtidTracker::Reset).
  // The stream is dropped. Returns `cause`, for Poll to report, or once errors.max.retries
  // attempts in a row have failed, FailedPrecondition: the task's failure.
  absl::Status Lost(absl::Status cause, const OffsetState& at, bool gtids_complete);
  // A connection to the server was made: the count of failed attempts starts over.
  void Connected() { failed_attempts_ = 0; }
  // Failed attempts in a row to reach the server (tests and diagnostics).
  int64_t failed_attempts() const { return failed_attempts_; }
  // Where a stream that could not be opened is to be reopened.
  void ReopenAt(const OffsetState& at, bool gtids_complete) {
    reopen_at_ = at;
    reopen_gtids_complete_ = gtids_complete;
  }
  // Where a lost stream reopens; none before the first loss.
  const std::optional<OffsetState>& reopen_at() const { return reopen_at_; }
  bool reopen_gtids_complete() const { return reopen_gtids_complete_; }

  // The poll's rule for a failure (a loss or any other). Records appended before it reach the
  // worker only with an OK (the worker discards the batch of a poll that fails), and a poll reads
  // on past a transaction boundary when the next transaction has arrived, so:
  // at the end of a poll, `status` — or OK when it failed after `appended` records, the failure
  // then kept for the next poll (the changes before it are delivered, and a restart resumes at the
  // event that failed);
  absl::Status DeferFailureAfterRecords(absl::Status status, bool appended);
  // at the start of a poll, the failure the last one kept (reported with nothing appended, so
  // after a loss the worker's back-off passes before the poll that reconnects), or OK.
  absl::Status TakeDeferredFailure();

 private:
  Host host_;
  const ConnectorConfig& config_;
  std::optional<BinlogStream> stream_;
  std::unique_ptr<binlog::BinlogDecoder> decoder_;
  // While a compressed transaction is handed out: its event (viewing the stream's buffer, which
  // stays put until the stream is read again) and the reader of the events inside.
  std::unique_ptr<binlog::Event> payload_event_;
  std::unique_ptr<binlog::PayloadReader> payload_reader_;
  void ClosePayload() {
    payload_reader_.reset();
    payload_event_.reset();
  }
  // The next event inside the open payload; nullopt after its last.
  absl::StatusOr<std::optional<binlog::Event>> NextInPayload();
  std::optional<OffsetState> reopen_at_;
  bool reopen_gtids_complete_ = false;
  absl::Status deferred_failure_;
  int64_t failed_attempts_ = 0;
  std::string connecting_;  // the progress text while the server cannot be reached
};

// Where streaming starts without a committed offset and without a snapshot of rows, as Debezium
// starts: snapshot.mode=never at the binlog's beginning (the oldest file the server still has),
// no_data at the server's current position; with the GTIDs before that point, the whole set.
// FailedPrecondition when the server has no binlog.
absl::StatusOr<OffsetState> ServerStartOffset(Connection& connection, SnapshotMode mode);

// The error for a committed position the server no longer has (its binlog was purged), with the
// way out, when the connector does not take a new snapshot by itself.
absl::Status PurgedPositionError(const OffsetState& from, const absl::Status& cause);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_BINLOG_SOURCE_H_
