#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_TARGETS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_TARGETS_H_

// The tables a DDL statement creates, alters, renames, drops or truncates, as the statement names
// them (sql_scanner.h). Sluice keeps no model of tables built from DDL (DESIGN.md decision 5): the
// names say which tables a schema-change event is about and which table a TRUNCATE empties.
//
// Thread-compatible; pure.

#include <string>
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

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_TARGETS_H_
