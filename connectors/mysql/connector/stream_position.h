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
  bool Begin(const binlog::Event& event);
  // A statement other than BEGIN/COMMIT was handled: outside BEGIN/COMMIT (MySQL DDL) it is its
  // GTID's whole transaction, unless it is an XA statement (`xa`).
  void StatementDone(bool xa);
  // The transaction committed with `event` (COMMIT, XID, or a standalone statement): its GTID is
  // complete, the restart position is just past `event`.
  void Commit(const binlog::Event& event);
  // `event` completed without committing: one more event of the transaction, or outside one the
  // restart position just past it.
  void EventDone(const binlog::Event& event);

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
  void StartTransaction(const binlog::Event& event, std::string gtid);

  std::string restart_file_;
  uint64_t restart_pos_ = 4;
  int64_t events_done_ = 0;  // events of the open transaction completed
  bool in_transaction_ = false;
  bool standalone_ = false;
  std::string gtid_;          // this transaction's, or empty
  std::string pending_gtid_;  // MySQL: the GTID event before BEGIN
  GtidTracker gtids_;         // the offset's `gtids`: completed transactions
  int64_t ts_sec_ = 0;
  int64_t server_id_ = 0;
  OffsetState row_pending_, row_done_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_STREAM_POSITION_H_
