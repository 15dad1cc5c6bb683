#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SNAPSHOT_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SNAPSHOT_H_

// The initial snapshot: the captured tables' rows as of one instant, as `op: r` events, and the
// binlog position of that instant, where streaming starts so nothing is lost in between.
//
// MariaDB: START TRANSACTION WITH CONSISTENT SNAPSHOT and Binlog_snapshot_file/_position, no lock
// at all. MySQL: a brief FLUSH TABLES WITH READ LOCK around the same (unless
// snapshot.locking.mode=none), or, where the account may not take it (no RELOAD, managed MySQL),
// LOCK TABLES ... READ on the captured tables, held by a second connection meanwhile. Rows are read in primary-key order in chunks of
// snapshot.fetch.size inside that one transaction, so memory holds one chunk, never a table.
// Thread: the task thread.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/mysql/connector/batch_budget.h"
#include "connectors/mysql/connector/catalog.h"
#include "connectors/mysql/connector/event_builders.h"
#include "connectors/mysql/connector/filters.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::mysql {

class Snapshot {
 public:
  Snapshot(const Host& host, const ConnectorConfig& config, const Filters& filters,
           EventBuilders& builder);
  ~Snapshot();

  // Connects, takes the consistent view and its binlog position, lists the tables.
  absl::Status Begin();
  // Appends snapshot records until the batch is full (`budget`) or `deadline_ns` passes; true
  // when every table is done (the last record carried the streaming offset).
  absl::StatusOr<bool> Poll(sluice_batch* batch, int64_t deadline_ns,
                            const std::atomic<bool>& stop, BatchBudget& budget);
  // Where streaming continues: the snapshot's binlog position.
  const OffsetState& position() const { return position_; }

 private:
  struct Table;
  // The view and its binlog position: MariaDB's consistent snapshot (no lock), or MySQL's
  // under a global read lock, falling back to read locks on the captured tables.
  absl::Status BeginWithoutLock();
  absl::Status BeginLocked();
  absl::Status ReadMariaDbGtids();
  // The base tables the filters capture, in name order.
  absl::StatusOr<std::vector<TableName>> CapturedTables();
  absl::StatusOr<std::unique_ptr<Table>> Describe(const std::string& db, const std::string& table);
  absl::StatusOr<bool> AnyRowsAfter(size_t table_index);
  // Tells the host which table is being read and how far (ABI 1.2 progress report).
  void ReportProgress() const;

  const Host& host_;
  const ConnectorConfig& config_;
  const Filters& filters_;
  EventBuilders& builder_;
  std::optional<Connection> connection_;
  OffsetState position_;
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

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SNAPSHOT_H_
