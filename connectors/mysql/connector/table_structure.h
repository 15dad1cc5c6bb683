#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_STRUCTURE_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_STRUCTURE_H_

// The `tableChanges` of schema-change events: which tables a DDL statement changes, and each
// table's structure as Debezium describes it (io.debezium.connector.schema.Table / Column).
//
// Debezium parses every DDL statement and keeps an in-memory model of each table; Sluice does
// not (DESIGN.md decision 5). The statement is only scanned for the names of the tables it
// creates, alters, renames or drops; the structure itself is read from information_schema when
// the event is handled, and mapped the way Debezium's DDL parser maps the server's own
// SHOW CREATE TABLE text (its snapshot path). docs/mysql-connector.md "Differences" lists where
// this can differ from what Debezium writes.
//
// Thread: whichever thread owns the Connection passed in (the task thread).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
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

// A table a DDL statement names, as the statement's scan found it.
struct DdlTarget {
  enum Kind { kCreate, kAlter, kDrop, kTruncate };
  Kind kind = kAlter;
  std::string db, table;  // db: the statement's, or the session's current database
  // For a DROP TABLE, Debezium's per-table statement ("DROP TABLE IF EXISTS `db`.`t`"): one
  // schema-change event per dropped table. Empty for the other kinds (the whole statement).
  std::string ddl;
};

// The tables `sql` creates, alters (ALTER TABLE, CREATE/DROP INDEX ... ON, RENAME TABLE: the new
// name), drops or truncates. Empty for any other statement (CREATE DATABASE, views, routines,
// temporary tables, statements it does not recognise). `current_db` qualifies bare names.
std::vector<DdlTarget> DdlTargets(absl::string_view sql, absl::string_view current_db);

// A table's structure from information_schema; nullopt when the table does not exist.
absl::StatusOr<std::optional<TableStructure>> ReadTableStructure(Connection& connection,
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

// Debezium's defaultValueExpression for a column's information_schema COLUMN_DEFAULT and EXTRA:
// the literal's value (unquoted), "1970-01-01 00:00:00" for CURRENT_TIMESTAMP (as its DDL parser
// writes it), the expression's text otherwise; nullopt for none or NULL. `mariadb`: the
// server's COLUMN_DEFAULT is MariaDB's (10.2.7+: literals quoted, NULL spelled out).
std::optional<std::string> DefaultValueExpression(const std::optional<std::string>& column_default,
                                                  absl::string_view extra, bool mariadb);

// ---- pieces, exposed for tests ------------------------------------------------------------

// True when a statement names `table` anywhere (as a word or a `quoted` identifier,
// case-insensitively): a deliberately wide net, since a false positive only costs a description.
bool StatementNamesTable(absl::string_view sql, absl::string_view table);

// One row of information_schema.COLUMNS, as ReadTableStructure selects it.
struct InfoSchemaColumnRow {
  std::string name;
  int32_t position = 0;
  std::optional<std::string> column_default;  // COLUMN_DEFAULT, as the server shows it
  bool nullable = true;
  std::string data_type;    // DATA_TYPE: "int", "varchar", ...
  std::string column_type;  // COLUMN_TYPE: "int(10) unsigned", "enum('a','b')", ...
  std::optional<std::string> charset;
  std::string extra;  // EXTRA: "auto_increment", "DEFAULT_GENERATED", "VIRTUAL GENERATED", ...
};
// `mariadb`: COLUMN_DEFAULT is MariaDB's (10.2.7+: literals quoted, NULL spelled out,
// expressions as written) rather than MySQL's (the bare value).
ColumnStructure DescribeColumn(const InfoSchemaColumnRow& row, bool mariadb);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_STRUCTURE_H_
