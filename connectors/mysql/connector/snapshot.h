#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SNAPSHOT_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SNAPSHOT_H_

// The initial snapshot: the captured tables' rows as of one instant, as `op: r` events, and the
// binlog position of that instant, where streaming starts so nothing is lost in between.
//
// MariaDB: START TRANSACTION WITH CONSISTENT SNAPSHOT and Binlog_snapshot_file/_position, no lock
// at all. MySQL: a brief FLUSH TABLES WITH READ LOCK around the same (unless
// snapshot.locking.mode=none), or, where the account may not take it (no RELOAD, managed MySQL),
// LOCK TABLES ... READ on the captured tables, held by a second connection meanwhile. Every way
// out of Begin — success, a failed statement, the test seam internal.snapshot.fail.after.lock —
// releases those locks before it returns, except that snapshot.locking.mode=extended (Debezium's:
// writes blocked for the whole snapshot) keeps them until the rows are read or the snapshot is
// destroyed, whichever comes first. Rows are read in primary-key order in chunks of
// snapshot.fetch.size inside that one transaction, so memory holds one chunk, never a table.
//
// Crash safety (issue 19): no row leaves before the snapshot's position is committed. The first
// poll hands over only records that carry the position and hold no row — the captured tables'
// schema changes, or one heartbeat record when include.schema.changes is off — and the rows wait
// until the host says an offset was committed (PositionCommitted). Every row's offset then carries
// that position and the snapshot's progress (offset.h: the table, the row's primary key), so a
// restart resumes the snapshot after the last committed row and streams from the first
// snapshot's position: every change since the snapshot began is replayed, none skipped.
// Thread: the task thread.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/connector/batch_budget.h"
#include "connectors/mysql/connector/catalog.h"
#include "connectors/mysql/connector/event_builders.h"
#include "connectors/mysql/connector/filters.h"
#include "connectors/mysql/connector/offset.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::mysql {

class Snapshot {
 public:
  // `resume`: the offset of an interrupted snapshot (`snapshot` set) to carry on from — the
  // committed one after a restart, or `Interrupted()` of an attempt that lost its connection —
  // with whether its position is committed yet; none to take a new one.
  Snapshot(const Host& host, const ConnectorConfig& config, const Filters& filters,
           EventBuilders& builder, std::optional<OffsetState> resume = std::nullopt,
           bool resume_committed = true);
  ~Snapshot();

  // Connects, takes the consistent view and its binlog position, lists the tables. Resuming, the
  // position is the committed one and the view is taken without a lock: rows read at any later
  // view are followed by every change since the position (see docs/mysql-connector.md).
  absl::Status Begin();
  // The host committed `offset` for this task: when it is one of this snapshot's, its position
  // is durable and rows may go.
  void PositionCommitted(const OffsetState& offset) {
    if (offset.snapshot && offset.file == position_.file && offset.pos == position_.pos) {
      position_committed_ = true;
    }
  }
  // Appends snapshot records until the batch is full (`budget`) or `deadline_ns` passes; true
  // when every table is done (the last record carried the streaming offset).
  absl::StatusOr<bool> Poll(sluice_batch* batch, int64_t deadline_ns,
                            const std::atomic<bool>& stop, BatchBudget& budget);
  // Where streaming continues: the snapshot's binlog position.
  const OffsetState& position() const { return position_; }
  // Where a new attempt carries on after this one lost its connection: the offset of the last
  // row handed over (or of the records before the rows), and whether its position is committed.
  const OffsetState& Interrupted() const { return progress_; }
  bool position_committed() const { return position_committed_; }

 private:
  struct Table;
  // The view and its binlog position: MariaDB's consistent snapshot (no lock), or MySQL's
  // under a global read lock, falling back to read locks on the captured tables.
  absl::Status BeginWithoutLock();
  absl::Status BeginLocked();
  absl::Status BeginResumed();
  // Where the resumed snapshot carries on: the resume table's index and its last committed key.
  void FindResumePoint();
  // The records that carry the position before any row (see above); true while rows must wait.
  absl::StatusOr<bool> HoldRowsUntilPositionCommitted(sluice_batch* batch);
  absl::Status ReadMariaDbGtids();
  // The base tables the filters capture, in name order.
  absl::StatusOr<std::vector<TableName>> CapturedTables();
  absl::StatusOr<std::unique_ptr<Table>> Describe(const std::string& db, const std::string& table);
  absl::StatusOr<bool> AnyRowsAfter(size_t table_index);
  // Tells the host which table is being read and how far (ABI 1.2 progress report).
  void ReportProgress() const;
  // snapshot.locking.mode=extended: the lock held since Begin is released (at the end, and on
  // every way out: the destructor).
  void ReleaseLocks();

  const Host& host_;
  const ConnectorConfig& config_;
  const Filters& filters_;
  EventBuilders& builder_;
  std::optional<Connection> connection_;
  // snapshot.locking.mode=extended: connection_ holds FLUSH TABLES WITH READ LOCK, or
  // table_locker_ the captured tables' read locks, until the rows are read.
  bool holds_global_lock_ = false;
  std::optional<Connection> table_locker_;
  OffsetState position_;
  std::optional<OffsetState> resume_;
  bool resume_committed_;
  // The position, `snapshot`, and the progress of the last row handed over (at each chunk's end;
  // the resumed one before the first): the offset of records that hold no row.
  OffsetState progress_;
  bool position_committed_ = false;
  bool position_sent_ = false;  // the records carrying the position were handed over
  std::vector<std::string> resume_key_;  // the resume table's last committed key, decoded
  OffsetState row_offset_;               // reused row after row
  std::vector<TableName> tables_;
  size_t table_index_ = 0;
  std::unique_ptr<Table> current_;
  bool first_record_ = true;
  bool ddl_emitted_ = false;  // the captured tables' CREATE TABLE went to the schema topic
  bool done_ = false;
};

// Which lock a snapshot holds while it takes its view and binlog position.
enum class SnapshotLock { kNone, kGlobal, kTables };

// "LOCK TABLES `db`.`t` READ, ..." for the captured tables (the fallback where FLUSH TABLES WITH
// READ LOCK is not allowed); empty when there are none.
std::string LockTablesStatement(const std::vector<TableName>& tables);

// The offset's `snapshot_key` (offset.h): each value's bytes as hex, joined by ",", into `out`
// (its capacity reused row after row); and back. Decoding fails (nullopt) on anything else.
void EncodeSnapshotKey(const std::vector<absl::string_view>& values, std::string* out);
std::optional<std::vector<std::string>> DecodeSnapshotKey(absl::string_view text);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SNAPSHOT_H_
