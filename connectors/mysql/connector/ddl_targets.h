#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_TARGETS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_TARGETS_H_

// The tables a DDL statement creates, alters, renames, drops or truncates, as the statement names
// them (sql_scanner.h), and those a statement-based DML statement may write: which tables a
// schema-change event is about (and Debezium's per-table DROP statements), which table a
// TRUNCATE empties. Their structure is the schema model's (ddl_parser.h, schema_model.h).
//
// Thread-compatible; pure.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace sluice::mysql {

// A table a DDL statement names.
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
// temporary tables, statements it does not recognise). `current_db` qualifies bare names; a bare
// name without one is no target.
std::vector<DdlTarget> DdlTargets(absl::string_view sql, absl::string_view current_db);

// What a statement-based INSERT, REPLACE, UPDATE or DELETE (written with binlog_format=STATEMENT
// or MIXED: its rows are not in the binlog) may have written.
struct DmlStatement {
  bool dml = false;     // the statement is one of those (or WITH ..., a CTE before one)
  bool known = false;   // `tables` names every table it may write
  std::vector<std::pair<std::string, std::string>> tables;  // {db, table}
};

// INSERT/REPLACE's target; every table an UPDATE or DELETE names where a table reference starts
// (first, after `,`, FROM, JOIN, USING) before SET, WHERE, ORDER or LIMIT, outside parentheses:
// any of a join's tables may be written, while subqueries only read. `current_db` qualifies bare
// names. `known` is false for WITH and for a statement whose target it cannot read.
DmlStatement DmlTables(absl::string_view sql, absl::string_view current_db);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_TARGETS_H_
