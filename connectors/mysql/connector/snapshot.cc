#include "connectors/mysql/connector/snapshot.h"

#include <time.h>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "connectors/mysql/connector/clock.h"
#include "connectors/mysql/connector/progress.h"
#include "connectors/mysql/server/sql_quote.h"
#include "connectors/mysql/connector/text_value.h"
#include "connectors/mysql/connector/table_structure.h"
#include "connectors/mysql/gtid/mysql_gtid_set.h"
#include "connectors/mysql/server/binlog_position.h"

namespace sluice::mysql {
namespace {

using TextRowValues = std::vector<std::optional<std::string>>;

// A row of a snapshot query, in the text protocol, read where the client library holds it.
class TextRow : public RowSource {
 public:
  explicit TextRow(const RowView& row) : row_(row) {}
  absl::StatusOr<sluice_datum> Datum(const TableSchema& schema, size_t field,
                                     Scratch& scratch) override {
    const unsigned column = static_cast<unsigned>(schema.source_columns[field]);
    return DatumFromText(row_[column], row_.is_null(column), schema.defs[field], scratch);
  }
  bool GeometryOf(const TableSchema& schema, size_t field, absl::Span<const uint8_t>* wkb,
                  int32_t* srid) override {
    const unsigned column = static_cast<unsigned>(schema.source_columns[field]);
    const absl::string_view value = row_[column];
    if (row_.is_null(column) || value.size() < 4) return false;
    // The server's own format: a little-endian SRID, then WKB.
    const auto* data = reinterpret_cast<const uint8_t*>(value.data());
    *srid = static_cast<int32_t>(uint32_t{data[0]} | (uint32_t{data[1]} << 8) |
                                 (uint32_t{data[2]} << 16) | (uint32_t{data[3]} << 24));
    *wkb = absl::Span<const uint8_t>(data + 4, value.size() - 4);
    return true;
  }

 private:
  const RowView& row_;
};

}  // namespace

struct Snapshot::Table {
  std::string db, table;
  std::unique_ptr<TableSchema> schema;
  std::string select_list;         // quoted columns, comma-separated
  std::vector<std::string> keys;   // quoted primary-key columns, in key order
  std::vector<int> key_positions;  // their indexes in the select list
  TextRowValues last_key;          // keyset cursor: the last row's key values
  int64_t rows_done = 0;
  int64_t estimate = 0;  // information_schema.TABLES.TABLE_ROWS
  int64_t next_progress = 100000;
};

Snapshot::Snapshot(const Host& host, const ConnectorConfig& config, const Filters& filters,
                   EventBuilders& builder, std::optional<OffsetState> resume,
                   bool resume_committed)
    : host_(host),
      config_(config),
      filters_(filters),
      builder_(builder),
      resume_(std::move(resume)),
      resume_committed_(resume_committed) {}

Snapshot::~Snapshot() { ReleaseLocks(); }

void Snapshot::ReleaseLocks() {
  // Closing the connections would release them too; UNLOCK first says so at once, and a server
  // that went away is not waited for (best effort: the close follows anyway).
  if (holds_global_lock_ && connection_.has_value()) (void)connection_->Execute("UNLOCK TABLES");
  holds_global_lock_ = false;
  if (table_locker_.has_value()) {
    (void)table_locker_->Execute("UNLOCK TABLES");
    table_locker_.reset();
  }
}

absl::Status Snapshot::Begin() {
  absl::StatusOr<Connection> connection = Connection::Open(config_.connection);
  if (!connection.ok()) return connection.status();
  connection_.emplace(std::move(*connection));
  Connection& c = *connection_;
  for (const char* sql : {"SET SESSION time_zone = '+00:00'", "SET NAMES utf8mb4",
                          "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"}) {
    absl::Status status = c.Execute(sql);
    if (!status.ok()) return status;
  }
  absl::Status status = resume_.has_value()                                     ? BeginResumed()
                        : c.is_mariadb() && !config_.snapshot_locking_on_mariadb ? BeginWithoutLock()
                                                                                 : BeginLocked();
  if (!status.ok()) return status;
  // A resumed offset may name its position by `gtids` alone (Debezium's, on a GTID server).
  if (position_.file.empty() && (!resume_.has_value() || position_.gtids.empty())) {
    return absl::FailedPreconditionError(
        "the server reported no binlog position for the snapshot: the binlog is off; set log_bin "
        "in the server configuration and restart it");
  }
  if (!resume_.has_value()) position_.ts_sec = WallClockNanos() / 1000000000;

  absl::StatusOr<std::vector<TableName>> tables = CapturedTables();
  if (!tables.ok()) return tables.status();
  tables_ = std::move(*tables);
  progress_ = position_;
  progress_.snapshot = true;
  if (resume_.has_value()) {
    FindResumePoint();
  } else {
    host_.Log(SLUICE_LOG_INFO,
              absl::StrCat("snapshot of ", tables_.size(), " tables at binlog position ",
                           position_.file, ":", position_.pos, " (gtids '", position_.gtids,
                           "')"));
  }
  // Resuming, the position is mostly committed already; without tables no row can leave.
  position_committed_ = (resume_.has_value() && resume_committed_) || tables_.empty();
  return absl::OkStatus();
}

absl::Status Snapshot::BeginResumed() {
  // The rows still to read are read at a view taken now, and streaming starts at the committed
  // position, where the interrupted snapshot began: each row is emitted as it is now, then every
  // change since that position is replayed, so its last record is its newest state (rows emitted
  // before the interruption get theirs the same way). No position is read, so no lock is needed.
  position_.file = resume_->file;
  position_.pos = resume_->pos;
  position_.gtids = resume_->gtids;
  position_.ts_sec = resume_->ts_sec;
  position_.server_id = resume_->server_id;
  return connection_->Execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
}

void Snapshot::FindResumePoint() {
  // Tables before the resume table in the snapshot's order are done. One that is gone (dropped or
  // renamed since) leaves nothing to go by: every table is read again (duplicates, never a gap).
  const OffsetState& resume = *resume_;
  size_t index = 0;
  while (index < tables_.size() && !(tables_[index].db == resume.snapshot_db &&
                                     tables_[index].table == resume.snapshot_table)) {
    ++index;
  }
  std::string where = "from its first table";
  if (index < tables_.size()) {
    table_index_ = index;
    progress_.snapshot_db = resume.snapshot_db;
    progress_.snapshot_table = resume.snapshot_table;
    std::optional<std::vector<std::string>> key = DecodeSnapshotKey(resume.snapshot_key);
    if (key.has_value() && !resume.snapshot_key.empty()) {
      resume_key_ = std::move(*key);
      progress_.snapshot_key = resume.snapshot_key;
    }
    where = absl::StrCat("at `", resume.snapshot_db, ".", resume.snapshot_table, "` (table ",
                         index + 1, " of ", tables_.size(), "), ",
                         resume_key_.empty() ? "from its first row"
                                             : "after the last committed row");
  } else if (!resume.snapshot_table.empty()) {
    where = absl::StrCat("from its first table (`", resume.snapshot_db, ".",
                         resume.snapshot_table, "`, where it stopped, is no longer captured)");
  }
  host_.Log(SLUICE_LOG_INFO,
            absl::StrCat("resuming the interrupted snapshot ", where,
                         "; streaming will start where it began, at ", PositionText(position_)));
}

absl::StatusOr<std::vector<TableName>> Snapshot::CapturedTables() {
  InformationSchemaCatalog catalog(*connection_);
  absl::StatusOr<std::vector<TableName>> tables = catalog.BaseTables(std::nullopt);
  if (!tables.ok()) return tables.status();
  std::vector<TableName> captured;
  for (TableName& name : *tables) {
    if (filters_.IncludeTable(name.db, name.table)) captured.push_back(std::move(name));
  }
  return captured;
}

absl::Status Snapshot::BeginWithoutLock() {
  Connection& c = *connection_;
  // MariaDB records the binlog position of a consistent snapshot itself: no lock needed.
  host_.Log(SLUICE_LOG_INFO,
            "snapshot lock: none (MariaDB's START TRANSACTION WITH CONSISTENT SNAPSHOT records its "
            "own binlog position)");
  absl::Status status = c.Execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  if (!status.ok()) return status;
  absl::StatusOr<QueryResult> result = c.Query("SHOW STATUS LIKE 'binlog_snapshot_%'");
  if (!result.ok()) return result.status();
  for (const auto& row : result->rows) {
    const std::string name = absl::AsciiStrToLower(row[0].value_or(""));
    if (name == "binlog_snapshot_file") position_.file = row[1].value_or("");
    if (name == "binlog_snapshot_position") {
      (void)absl::SimpleAtoi(row[1].value_or("4"), &position_.pos);
    }
  }
  return ReadMariaDbGtids();
}

absl::Status Snapshot::ReadMariaDbGtids() {
  if (!connection_->is_mariadb() || position_.file.empty()) return absl::OkStatus();
  absl::StatusOr<QueryResult> gtid = connection_->Query(absl::StrCat(
      "SELECT BINLOG_GTID_POS(", SqlString(position_.file), ", ", position_.pos, ")"));
  if (gtid.ok() && !gtid->rows.empty()) position_.gtids = gtid->rows[0][0].value_or("");
  return absl::OkStatus();
}

absl::Status Snapshot::BeginLocked() {
  Connection& c = *connection_;
  // Writes are held off while the snapshot's view and its binlog position are taken, so the two
  // belong to one instant: a global read lock, or — where the account may not take one (no
  // RELOAD, as on managed MySQL) — read locks on the captured tables, as Debezium falls back to.
  SnapshotLock lock = config_.snapshot_locking_mode == "none" ? SnapshotLock::kNone
                                                               : SnapshotLock::kGlobal;
  // LOCK TABLES would end this session's transaction (and START TRANSACTION its locks), so the
  // table locks are held by a second connection while this one starts its view.
  std::optional<Connection> locker;
  // Every way out of here releases the locks at once: a failure while they are held (the position
  // read refused, a lost connection) must not leave the user's writes waiting on a global read
  // lock for as long as the task lives. Closing the locking connection drops its table locks.
  bool global_lock_held = false;
  absl::Cleanup release_locks = [&] {
    if (global_lock_held) (void)c.Execute("UNLOCK TABLES");
    locker.reset();
  };
  if (lock == SnapshotLock::kGlobal) {
    absl::Status status = c.Execute("FLUSH TABLES WITH READ LOCK");
    global_lock_held = status.ok();
    if (absl::IsPermissionDenied(status)) {
      lock = SnapshotLock::kTables;
      absl::StatusOr<std::vector<TableName>> captured = CapturedTables();
      if (!captured.ok()) return captured.status();
      const std::string statement = LockTablesStatement(*captured);
      host_.Log(SLUICE_LOG_INFO,
                absl::StrCat("snapshot lock: FLUSH TABLES WITH READ LOCK is not allowed for ",
                             c.endpoint(), " (", status.message(), "); taking ",
                             statement.empty() ? "no lock (no table is captured)" : statement,
                             " while the binlog position is read instead"));
      if (!statement.empty()) {
        absl::StatusOr<Connection> opened = Connection::Open(config_.connection);
        if (!opened.ok()) return opened.status();
        locker.emplace(std::move(*opened));
        status = locker->Execute(statement);
        if (!status.ok()) {
          return absl::Status(
              status.code(),
              absl::StrCat("the snapshot can take neither a global read lock (RELOAD) nor read "
                           "locks on the captured tables (LOCK TABLES): ",
                           status.message(),
                           ". GRANT RELOAD or LOCK TABLES ON *.* TO the connector's user, or set "
                           "snapshot.locking.mode=none (no consistency guarantee)"));
        }
      }
    } else if (!status.ok()) {
      return status;
    } else {
      host_.Log(SLUICE_LOG_INFO,
                "snapshot lock: FLUSH TABLES WITH READ LOCK (global) while the binlog position "
                "is read");
    }
  } else {
    host_.Log(SLUICE_LOG_INFO,
              "snapshot lock: none (snapshot.locking.mode=none: writes during the position read "
              "may be missed or repeated)");
  }
  if (config_.snapshot_fail_after_lock) {
    return absl::InternalError(
        "the snapshot failed while it held its lock (internal.snapshot.fail.after.lock)");
  }
  absl::Status status = c.Execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  if (!status.ok()) return status;
  // SHOW BINARY LOG STATUS on MySQL 8.2+ (8.4 removed SHOW MASTER STATUS), with MySQL's
  // executed GTID set on one line, as Debezium's offset carries it.
  absl::StatusOr<ServerBinlogPosition> now = ReadServerBinlogPosition(c);
  if (!now.ok()) return now.status();
  position_.file = now->file;
  position_.pos = static_cast<int64_t>(now->position);
  position_.gtids = now->executed_gtids;
  if (config_.snapshot_locking_mode == "extended" && (global_lock_held || locker.has_value())) {
    // Debezium's extended mode: writes stay blocked until the rows are read (ReleaseLocks).
    host_.Log(SLUICE_LOG_INFO,
              "snapshot.locking.mode=extended: the lock is held until the snapshot's rows are read");
    holds_global_lock_ = global_lock_held;
    global_lock_held = false;
    table_locker_ = std::move(locker);
    locker.reset();
    return ReadMariaDbGtids();
  }
  if (global_lock_held) {
    status = c.Execute("UNLOCK TABLES");
    if (!status.ok()) return status;
    global_lock_held = false;
  }
  if (locker.has_value()) {
    status = locker->Execute("UNLOCK TABLES");
    if (!status.ok()) return status;
    locker.reset();
  }
  return ReadMariaDbGtids();
}

void EncodeSnapshotKey(const std::vector<absl::string_view>& values, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->clear();
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out->push_back(',');
    for (unsigned char c : values[i]) {
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    }
  }
}

std::optional<std::vector<std::string>> DecodeSnapshotKey(absl::string_view text) {
  std::vector<std::string> values;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    if (part.size() % 2 != 0) return std::nullopt;
    for (char c : part) {
      if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
    values.push_back(absl::HexStringToBytes(part));
  }
  return values;
}

std::string LockTablesStatement(const std::vector<TableName>& tables) {
  if (tables.empty()) return "";
  std::vector<std::string> locks;
  for (const TableName& name : tables) {
    locks.push_back(absl::StrCat(QuoteTable(name.db, name.table), " READ"));
  }
  return absl::StrCat("LOCK TABLES ", absl::StrJoin(locks, ", "));
}

absl::StatusOr<std::unique_ptr<Snapshot::Table>> Snapshot::Describe(const std::string& db,
                                                                    const std::string& table) {
  InformationSchemaCatalog catalog(*connection_);
  absl::StatusOr<std::vector<CatalogColumnFacts>> columns = ReadColumnFacts(catalog, db, table);
  if (!columns.ok()) return columns.status();
  absl::StatusOr<std::vector<std::string>> keys = catalog.PrimaryKey(db, table);
  if (!keys.ok()) return keys.status();
  auto result = std::make_unique<Table>();
  result->db = db;
  result->table = table;
  absl::StatusOr<std::optional<int64_t>> estimate = catalog.RowEstimate(db, table);
  if (estimate.ok() && estimate->has_value()) result->estimate = **estimate;
  host_.Log(SLUICE_LOG_INFO,
            absl::StrCat("snapshot of `", db, ".", table, "` (table ", table_index_ + 1, " of ",
                         tables_.size(), "): about ", result->estimate, " rows"));
  std::vector<ColumnDef> defs;
  std::vector<int> source_columns;
  std::vector<std::string> select;
  std::vector<std::string> names;
  for (const CatalogColumnFacts& fact : *columns) {
    const CatalogColumn& column = fact.column;
    if (!filters_.IncludeColumn(db, table, column.name)) continue;
    absl::StatusOr<ColumnDef> def = ColumnDefFromCatalog(column, fact.extras, config_);
    if (!def.ok()) {
      return absl::Status(def.status().code(),
                          absl::StrCat("table `", db, ".", table, "`: ", def.status().message()));
    }
    source_columns.push_back(static_cast<int>(select.size()));
    select.push_back(QuoteIdentifier(column.name));
    names.push_back(column.name);
    defs.push_back(std::move(*def));
  }
  std::vector<int> key_fields;
  const std::vector<std::string> message_key = filters_.KeyColumns(db, table);
  for (const std::string& name : message_key) {
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) continue;
    const int position = static_cast<int>(it - names.begin());
    for (size_t f = 0; f < source_columns.size(); ++f) {
      if (source_columns[f] == position) key_fields.push_back(static_cast<int>(f));
    }
  }
  for (const std::string& name : *keys) {
    auto it = std::find(names.begin(), names.end(), name);
    int position;
    if (it == names.end()) {
      // An excluded key column is still read, for the keyset cursor.
      position = static_cast<int>(select.size());
      select.push_back(QuoteIdentifier(name));
      names.push_back(name);
    } else {
      position = static_cast<int>(it - names.begin());
      if (message_key.empty()) {
        for (size_t f = 0; f < source_columns.size(); ++f) {
          if (source_columns[f] == position) key_fields.push_back(static_cast<int>(f));
        }
      }
    }
    result->keys.push_back(QuoteIdentifier(name));
    result->key_positions.push_back(position);
  }
  if (select.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "table `", db, ".", table,
        "`: every column is excluded; exclude the table instead (table.exclude.list)"));
  }
  result->select_list = absl::StrJoin(select, ", ");
  absl::StatusOr<std::unique_ptr<TableSchema>> schema = builder_.tables.Build(
      db, table, std::move(defs), std::move(source_columns), std::move(key_fields));
  if (!schema.ok()) return schema.status();
  result->schema = std::move(*schema);
  return result;
}

absl::StatusOr<bool> Snapshot::AnyRowsAfter(size_t table_index) {
  for (size_t i = table_index + 1; i < tables_.size(); ++i) {
    absl::StatusOr<QueryResult> any =
        connection_->Query(absl::StrCat("SELECT 1 FROM ", QuoteTable(tables_[i].db, tables_[i].table),
                                        " LIMIT 1"));
    if (!any.ok()) return any.status();
    if (!any->rows.empty()) return true;
  }
  return false;
}

absl::StatusOr<bool> Snapshot::Poll(sluice_batch* batch, int64_t deadline_ns,
                                    const std::atomic<bool>& stop, BatchBudget& budget) {
  const sluice_host_api* api = host_.api();
  const size_t fetch = static_cast<size_t>(config_.snapshot_fetch_size);
  if (!ddl_emitted_ && config_.include_schema_changes) {
    // As Debezium does: each captured table's definition to the schema topic, before its rows.
    InformationSchemaCatalog catalog(*connection_);
    for (const auto& [db, table] : tables_) {
      absl::StatusOr<QueryResult> create =
          connection_->Query(absl::StrCat("SHOW CREATE TABLE ", QuoteTable(db, table)));
      if (!create.ok()) return create.status();
      if (create->rows.empty() || create->rows[0].size() < 2) continue;
      SourcePosition source;
      source.file = position_.file;
      source.pos = position_.pos;
      source.ts_sec = position_.ts_sec;
      source.snapshot = "true";
      const OffsetState& offset = progress_;
      absl::StatusOr<std::optional<TableStructure>> structure =
          ReadTableStructure(catalog, db, table);
      if (!structure.ok()) return structure.status();
      const TableChange change{TableChangeType::kCreate, db, table, std::move(*structure)};
      absl::Status status = builder_.schema_changes.SchemaChange(batch, db, create->rows[0][1].value_or(""),
                                                  source, offset, &table, {&change, 1});
      if (!status.ok()) return status;
    }
  }
  ddl_emitted_ = true;
  absl::StatusOr<bool> hold = HoldRowsUntilPositionCommitted(batch);
  if (!hold.ok()) return hold.status();
  if (*hold) return false;
  while (!stop.load(std::memory_order_relaxed)) {
    if (done_) return true;
    if (budget.Full(api, batch)) return false;
    if (api->batch_size(batch) > 0 && MonotonicNanos() >= deadline_ns) return false;
    if (current_ == nullptr) {
      if (table_index_ >= tables_.size()) {
        done_ = true;
        ReleaseLocks();
        connection_.reset();  // ends the snapshot transaction
        return true;
      }
      absl::StatusOr<std::unique_ptr<Table>> described =
          Describe(tables_[table_index_].db, tables_[table_index_].table);
      if (!described.ok()) return described.status();
      current_ = std::move(*described);
      if (!resume_key_.empty()) {
        // The resumed table reads on after its last committed row (a key of another shape, the
        // table changed meanwhile, reads it whole).
        if (resume_key_.size() == current_->keys.size()) {
          for (std::string& value : resume_key_) current_->last_key.emplace_back(std::move(value));
        }
        resume_key_.clear();
      }
      ReportProgress();  // before the first chunk: a table without a key may take long to start
    }
    Table& table = *current_;
    std::string sql =
        absl::StrCat("SELECT ", table.select_list, " FROM ", QuoteTable(table.db, table.table));
    if (!table.keys.empty()) {
      if (!table.last_key.empty()) {
        std::vector<std::string> values;
        for (const auto& value : table.last_key) values.push_back(SqlString(value.value_or("")));
        absl::StrAppend(&sql, " WHERE (", absl::StrJoin(table.keys, ", "), ") > (",
                        absl::StrJoin(values, ", "), ")");
      }
      absl::StrAppend(&sql, " ORDER BY ", absl::StrJoin(table.keys, ", "), " LIMIT ", fetch + 1);
    } else {
      absl::StrAppend(&sql, " LIMIT ", fetch + 1, " OFFSET ", table.rows_done);
    }
    absl::StatusOr<StoredRows> chunk = connection_->QueryStored(sql);
    if (!chunk.ok()) return chunk.status();
    const bool more = chunk->size() > fetch;
    const size_t count = std::min(chunk->size(), fetch);
    bool last_overall = false;
    if (!more) {
      absl::StatusOr<bool> any = AnyRowsAfter(table_index_);
      if (!any.ok()) return any.status();
      last_overall = !*any;
    }
    // Rows past the poll's byte budget are left for the next poll, which reads on from the last
    // row handed over (the chunk in memory is snapshot.fetch.size rows at most).
    size_t appended = count;
    // Built once per chunk, not per row: they only differ in the snapshot marker.
    SourcePosition source;
    source.file = position_.file;
    source.pos = position_.pos;
    source.ts_sec = position_.ts_sec;
    // Each row's offset: the position and the progress up to this row (its own key; a table
    // without a primary key has none, and a restart reads it whole again).
    row_offset_ = position_;
    row_offset_.snapshot = true;
    row_offset_.snapshot_db = table.db;
    row_offset_.snapshot_table = table.table;
    OffsetState after_snapshot = position_;  // the very last row's: the snapshot is complete
    after_snapshot.snapshot = false;
    std::vector<absl::string_view> key_values(table.key_positions.size());
    for (size_t i = 0; i < count; ++i) {
      const bool last_in_table = !more && i + 1 == count;
      if (last_in_table && last_overall) {
        source.snapshot = "last";
      } else if (first_record_) {
        source.snapshot = "first";
      } else if (table.rows_done == 0 && i == 0) {
        source.snapshot = "first_in_data_collection";
      } else if (last_in_table) {
        source.snapshot = "last_in_data_collection";
      } else {
        source.snapshot = "true";
      }
      first_record_ = false;
      const RowView values = chunk->row(i);
      if (!table.keys.empty()) {
        for (size_t k = 0; k < key_values.size(); ++k) {
          key_values[k] = values[static_cast<unsigned>(table.key_positions[k])];
        }
        EncodeSnapshotKey(key_values, &row_offset_.snapshot_key);
      }
      const OffsetState& offset = last_in_table && last_overall ? after_snapshot : row_offset_;
      TextRow row(values);
      absl::Status status =
          builder_.changes.Change(batch, *table.schema, 'r', nullptr, &row, source, offset, offset);
      if (!status.ok()) return status;
      size_t bytes = 0;
      for (unsigned column = 0; column < values.size(); ++column) bytes += values[column].size();
      budget.Add(bytes);
      if (i + 1 < count && budget.Full(api, batch)) {
        appended = i + 1;
        break;
      }
    }
    table.rows_done += static_cast<int64_t>(appended);
    if (table.rows_done >= table.next_progress) {
      table.next_progress += 100000;
      host_.Log(SLUICE_LOG_INFO,
                absl::StrCat("snapshot of `", table.db, ".", table.table, "`: ", table.rows_done,
                             " of about ", table.estimate, " rows"));
    }
    if (appended > 0) progress_ = row_offset_;  // the last row appended
    if (appended > 0 && !table.keys.empty()) {
      table.last_key.clear();
      const RowView last = chunk->row(appended - 1);
      for (int position : table.key_positions) {
        const auto column = static_cast<unsigned>(position);
        table.last_key.push_back(last.is_null(column)
                                     ? std::nullopt
                                     : std::optional<std::string>(std::string(last[column])));
      }
    }
    if (!more && appended == count) {
      host_.Log(SLUICE_LOG_INFO, absl::StrCat("snapshot of `", table.db, ".", table.table,
                                              "` done: ", table.rows_done, " rows"));
      current_.reset();
      ++table_index_;
    }
    ReportProgress();
    if (config_.snapshot_chunk_delay_ms > 0) {
      timespec pause{static_cast<time_t>(config_.snapshot_chunk_delay_ms / 1000),
                     static_cast<long>(config_.snapshot_chunk_delay_ms % 1000) * 1000000};
      nanosleep(&pause, nullptr);
    }
  }
  return false;
}

absl::StatusOr<bool> Snapshot::HoldRowsUntilPositionCommitted(sluice_batch* batch) {
  if (position_committed_) return false;
  const sluice_host_api* api = host_.api();
  if (!position_sent_) {
    position_sent_ = true;
    if (api->batch_size(batch) == 0) {
      // include.schema.changes is off: a heartbeat carries the position instead.
      absl::Status status = builder_.heartbeats.Heartbeat(batch, progress_);
      if (!status.ok()) return status;
    }
    host_.Log(SLUICE_LOG_INFO,
              absl::StrCat("the snapshot's first rows wait until its position ",
                           PositionText(position_),
                           " is committed, so a restart streams from there"));
    return true;
  }
  // Polled again before the commit: wait a little, not spin (the host tells of commits between
  // polls, so the wait must end for the notice to come).
  timespec pause{0, 20 * 1000000};
  nanosleep(&pause, nullptr);
  return true;
}

void Snapshot::ReportProgress() const {
  const std::string position = BinlogPosition(position_.file, position_.pos);
  const int64_t tables_total = static_cast<int64_t>(tables_.size());
  if (current_ == nullptr) {
    ReportSnapshotProgress(host_, "", -1, -1, static_cast<int64_t>(table_index_), tables_total,
                           position);
    return;
  }
  // TABLE_ROWS is the server's estimate (InnoDB samples it), 0 when it has no statistics yet: then
  // the total is unknown rather than 0.
  ReportSnapshotProgress(host_, absl::StrCat(current_->db, ".", current_->table),
                         current_->rows_done, current_->estimate > 0 ? current_->estimate : -1,
                         static_cast<int64_t>(table_index_), tables_total, position);
}

}  // namespace sluice::mysql
