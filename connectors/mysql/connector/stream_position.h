#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_STREAM_POSITION_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_STREAM_POSITION_H_

// Where the binlog stream is, as the offsets written while streaming say it (FORMATS.md
// "Offsets"): the restart position — the current transaction's first event, or just past the last
// completed event outside transactions — plus the events of the transaction completed since then,
// and the offset's `gtids` (completed transactions only, GtidTracker).
//
// Counted as Debezium counts (BinlogOffsetContext): the transaction's first event — MariaDB's GTID
// event, MySQL's BEGIN — is where a restart reads from and is itself event 1. A MySQL GTID event
// comes before BEGIN; its GTID is the transaction's once BEGIN starts it.
//
// The task tells it each event it handles, in binlog order: OnEvent for every event the server
// wrote (not the artificial ones), then what kind of event it was, then EventDone unless the event
// committed. Thread-compatible.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "connectors/mysql/connector/gtid_tracker.h"
#include "connectors/mysql/connector/offset.h"
#include "connectors/mysql/connector/source_block.h"
#include "sluice/binlog/decoder.h"

namespace sluice::mysql {

class StreamPosition {
 public:
  // A stream opens at `from` (a committed offset, the snapshot's position, where a lost stream
  // reopens), read from a MariaDB (`mariadb`) or MySQL server: no transaction is open.
  // `gtids_complete`: `from.gtids` is the server's whole set even when empty (GtidTracker::Reset).
  // InvalidArgument when `from.gtids` is not the server's dialect.
  absl::Status Open(bool mariadb, const OffsetState& from, bool gtids_complete);

  // An event the server wrote (not an artificial one): its time and server are the offset's and
  // the `source` block's.
  void OnEvent(const binlog::EventHeader& header);
  // A rotate, artificial or not: outside a transaction the restart position moves to the next
  // file.
  void Rotate(const binlog::RotateEvent& rotate);
  // MariaDB: the GTID event `event` starts a transaction.
  void BeginMariaDb(const binlog::Event& event, const binlog::MariaGtidEvent& gtid);
  // MySQL: a GTID event; the BEGIN that follows starts its transaction.
  void MysqlGtid(const binlog::MysqlGtidEvent& gtid);
  // The BEGIN statement `event`: starts a transaction unless one is open (MariaDB: its GTID event
  // started it). Whether it started one.
  // `thread`: the BEGIN query's thread id, the transaction's source.thread (MySQL writes BEGIN;
  // MariaDB's transactions start at their GTID event and have none).
  bool Begin(const binlog::Event& event, int64_t thread = -1);
  // A statement other than BEGIN/COMMIT was handled: outside BEGIN/COMMIT (MySQL DDL, XA COMMIT,
  // XA ROLLBACK) it is its GTID's whole transaction.
  void StatementDone();
  // The transaction committed with `event` (COMMIT, XID, XA_PREPARE, or a standalone statement):
  // its GTID is complete, the restart position is just past `event`.
  void Commit(const binlog::Event& event);
  // `event` completed without committing: one more event of the transaction, or outside one the
  // restart position just past it.
  void EventDone(const binlog::Event& event);

  // MySQL with a complete, non-empty GTID set: the open transaction's GTID may be held back from
  // the set (HoldBackGtid), so that a stream started after the set gets the transaction again.
  bool can_hold_back_gtid() const {
    return !gtids_.mariadb() && gtids_.tracking() && !gtids_.text().empty() && in_transaction_ &&
           !gtid_.empty();
  }
  // The pending MySQL GTID, held back from the offset's `gtids` (GtidTracker::HoldBack).
  std::optional<GtidTracker::MysqlGtid> HoldBackGtid() { return gtids_.HoldBack(); }
  // A GTID held back before joins the offset's `gtids`.
  void CompleteGtid(const GtidTracker::MysqlGtid& gtid) { gtids_.Complete(gtid); }
  // The offset's `xa_committed`: the committed XA transaction whose events are being read again.
  const std::string& xa_committed() const { return xa_committed_; }
  void set_xa_committed(std::string xid) { xa_committed_ = std::move(xid); }

  bool in_transaction() const { return in_transaction_; }
  // MariaDB: the open transaction is a single statement that commits by itself (no XID).
  bool standalone() const { return standalone_; }
  // The open transaction's GTID, or empty.
  const std::string& gtid() const { return gtid_; }
  // Events of the open transaction completed so far (the offset's `event`).
  int64_t events_done() const { return events_done_; }
  int64_t ts_sec() const { return ts_sec_; }
  // Whether the offset's `gtids` records completed transactions (GtidTracker::tracking).
  bool gtids_tracking() const { return gtids_.tracking(); }

  // The offset a restart would read from now.
  OffsetState Current() const;
  // Current, into `offset`'s kept strings (no allocation once warm).
  void Fill(OffsetState& offset) const;
  // The offset of the statement `event` (schema change, TRUNCATE) once it is done: inside a
  // transaction it counts itself; outside one (MySQL DDL) the statement is its GTID's whole
  // transaction, so the restart point is past `event` with its GTID completed, and a restart
  // after its records were delivered does not emit them again.
  OffsetState StatementOffset(const binlog::Event& event) const;
  // The transaction's id for its BEGIN/END: its GTID, else where it starts ("file:pos").
  std::string TransactionId() const;
  // The offset's transaction_id from now on: the transaction a BEGIN was just written for.
  void set_transaction_id(const std::string& id) { transaction_id_ = id; }
  // The `source` block's position of `event`: file, pos, time, server and GTID (row unchanged).
  void FillSource(const binlog::Event& event, SourcePosition& source) const;

  // The offsets of the change record for row `index` of the rows event at `source`: `pending`
  // while the row is being delivered (it counts the row), `done` once it is (the row after it).
  struct RowOffsets {
    const OffsetState& pending;
    const OffsetState& done;
  };
  // Valid until the next call; reuses its strings row after row.
  RowOffsets Row(const SourcePosition& source, int32_t index);

 private:
  void StartTransaction(const binlog::Event& event, std::string gtid, int64_t thread = -1);

  std::string restart_file_;
  uint64_t restart_pos_ = 4;
  int64_t events_done_ = 0;  // events of the open transaction completed
  bool in_transaction_ = false;
  bool standalone_ = false;
  std::string gtid_;          // this transaction's, or empty
  int64_t thread_ = -1;       // this transaction's BEGIN's thread id, or -1
  std::string transaction_id_;  // the offset's transaction_id (OffsetState)
  std::string pending_gtid_;  // MySQL: the GTID event before BEGIN
  GtidTracker gtids_;         // the offset's `gtids`: completed transactions
  std::string xa_committed_;  // the offset's `xa_committed`
  int64_t ts_sec_ = 0;
  int64_t server_id_ = 0;
  OffsetState row_pending_, row_done_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_STREAM_POSITION_H_
