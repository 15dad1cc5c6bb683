#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_CACHE_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_CACHE_H_

// The table versions streaming has met: for each table map, the schema its rows are built with.
// A table version is its captured columns' mapping (from the table map, plus what the catalog
// adds: BOOLEAN, MariaDB JSON, defaults) and its key; versions are built once and kept, so a table
// that goes back and forth between two versions reuses both. The last table map's answer is kept
// with the map itself, so the rows events of one table cost one comparison. The cache holds that
// map: the decoder drops its maps at every FORMAT_DESCRIPTION (each binlog file's first event)
// and a new decoder starts with none, and a map it no longer held could be freed and its address
// given to the next map, of any table, which a comparison by address alone would then answer
// with the old table's version.
//
// Thread: the task thread.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "connectors/mysql/connector/catalog.h"
#include "connectors/mysql/connector/column_def.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/filters.h"
#include "connectors/mysql/connector/table_id.h"
#include "connectors/mysql/connector/table_schema.h"
#include "sluice/binlog/table_map.h"

namespace sluice::mysql {

class SchemaCache {
 public:
  // Opens (or reuses) a catalog to read a table's columns from, the first time it is met.
  using CatalogOpener = std::function<absl::StatusOr<std::unique_ptr<Catalog>>()>;

  // All borrowed; they must outlive the cache.
  SchemaCache(const ConnectorConfig& config, const Filters& filters, TableSchemaBuilder& tables,
              CatalogOpener open_catalog);

  // The schema of the rows of `map`; null when the filters exclude the table. FailedPrecondition
  // when the map carries no column names (binlog_row_metadata is not FULL); the catalog's error
  // (Unavailable when the server went away) when its columns could not be read.
  absl::StatusOr<const TableSchema*> SchemaFor(const std::shared_ptr<const binlog::TableMap>& map);
  // Each table map met (of a captured table, once per map) is first given to `check` (the schema
  // model's cross-check, ddl_events.h); its error is SchemaFor's.
  void CheckMapsWith(std::function<absl::Status(const binlog::TableMap&)> check) {
    check_map_ = std::move(check);
  }
  // A DDL statement ran in `db`: what the catalog says of its tables is read again, and the next
  // table map decides the version.
  void ForgetDatabase(const std::string& db);
  // The latest version met of `db`.`table` (for a TRUNCATE); when streaming has met no table map
  // of it yet (the first TRUNCATE after a snapshot), the version the catalog describes now, as
  // the snapshot built it. Null when the catalog knows no such table (dropped since); the
  // catalog's error when it could not be read.
  absl::StatusOr<const TableSchema*> LatestOrCatalog(const std::string& db,
                                                     const std::string& table);

 private:
  absl::Status LoadExtras(const std::string& db, const std::string& table);
  // The next table map decides its version again, whatever the last one was.
  void ForgetLastMap();

  const ConnectorConfig& config_;
  const Filters& filters_;
  TableSchemaBuilder& tables_;
  CatalogOpener open_catalog_;
  std::function<absl::Status(const binlog::TableMap&)> check_map_;
  // Schemas per table version (their signature).
  absl::flat_hash_map<std::string, std::unique_ptr<TableSchema>> schemas_;
  absl::flat_hash_map<TableId, bool> excluded_tables_;
  // The last table map answered, held so that no other map can take its address, and its answer
  // (null: the filters exclude the table).
  std::shared_ptr<const binlog::TableMap> last_map_;
  const TableSchema* last_schema_ = nullptr;
  absl::flat_hash_map<TableId, const TableSchema*> latest_;
  // What the catalog says per table → column.
  absl::flat_hash_map<TableId, std::map<std::string, ColumnExtras>> extras_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_CACHE_H_
