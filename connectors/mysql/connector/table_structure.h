#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_STRUCTURE_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_STRUCTURE_H_

// The `tableChanges` of schema-change events: which tables a DDL statement changes, and each
// table's structure as Debezium describes it (io.debezium.connector.schema.Table / Column).
//
// While streaming, the structure is the schema model's (schema_model.h), advanced by each DDL
// statement; this file reads it from the catalog, for the snapshot and for a table the model meets
// first, mapped the way Debezium's DDL parser maps the server's own SHOW CREATE TABLE text (its
// snapshot path), and says whether a later statement changed the table since.
//
// Thread: whichever thread owns the Connection passed in (the task thread).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/connector/catalog.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::mysql {

// One column as io.debezium.connector.schema.Column describes it.
struct ColumnStructure {
  std::string name;
  int32_t jdbc_type = 0;  // java.sql.Types
  std::string type_name;  // "INT UNSIGNED", "VARCHAR", ...; also Debezium's typeExpression
  std::optional<std::string> charset;
  std::optional<int32_t> length, scale;
  int32_t position = 0;  // 1-based
  bool optional = true;
  bool auto_incremented = false;  // Debezium's `generated` is the same flag
  std::optional<std::string> default_value;  // defaultValueExpression
  std::vector<std::string> enum_values;      // ENUM/SET members, quoted as in the DDL: 'a'
  // COMMENT '...' as the statement wrote it (the schema model keeps it; events write null, as
  // Debezium 3.6.1 does with include.schema.comments off).
  std::optional<std::string> comment;
};

// One table as io.debezium.connector.schema.Table describes it (`comment` is always null:
// Debezium's include.schema.comments is off by default and not supported).
struct TableStructure {
  std::optional<std::string> default_charset;
  std::vector<std::string> primary_key;  // column names, in key order
  std::vector<ColumnStructure> columns;  // in table order
};

enum class TableChangeType { kCreate, kAlter, kDrop };
const char* TableChangeTypeName(TableChangeType type);

// One element of `tableChanges`.
struct TableChange {
  TableChangeType type = TableChangeType::kAlter;
  std::string db, table;
  // Null for a drop, and for a table that no longer exists when the event is handled.
  std::optional<TableStructure> structure;
};

// A table's structure as the catalog describes it; nullopt when the table does not exist.
absl::StatusOr<std::optional<TableStructure>> ReadTableStructure(Catalog& catalog,
                                                                 const std::string& db,
                                                                 const std::string& table);

// Whether the structure read now is still the one right after a statement: does a statement
// written to the binlog after `file`:`next_pos` (the position after that statement) name
// `table`? Read with SHOW BINARY LOGS / SHOW BINLOG EVENTS, at most `budget` events, so a
// connector far behind the server gets kUnknown instead of a long scan.
enum class LaterStatement { kNone, kNamesTable, kUnknown };
absl::StatusOr<LaterStatement> FindLaterStatement(Connection& connection, const std::string& file,
                                                  uint64_t next_pos, const std::string& table,
                                                  int64_t budget);

// java.sql.Types as Debezium assigns them to a type name (lower case: "int", "varchar", ...);
// 1111 (OTHER) for JSON, the geometry family and names it does not know.
int32_t JdbcTypeOf(absl::string_view data_type);

// ---- pieces, exposed for tests ------------------------------------------------------------

// One catalog column as Debezium's Column describes it. `mariadb`: COLUMN_DEFAULT is MariaDB's
// (10.2.7+: literals quoted, NULL spelled out, expressions as written) rather than MySQL's (the
// bare value).
ColumnStructure DescribeColumn(const CatalogColumn& column, bool mariadb);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_STRUCTURE_H_
