#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_PARSER_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_PARSER_H_

// The DDL statements that change a table's structure, read into what the schema model applies
// (schema_model_apply.h): CREATE TABLE (IF NOT EXISTS, OR REPLACE, ... LIKE), ALTER TABLE
// (ADD/DROP/MODIFY/CHANGE/RENAME COLUMN with FIRST/AFTER, ALTER COLUMN SET/DROP DEFAULT,
// ADD/DROP PRIMARY KEY, the table's charset, CONVERT TO, RENAME), RENAME TABLE, DROP TABLE and
// TRUNCATE, with MariaDB's IF [NOT] EXISTS forms. A recursive-descent reader of the tokens
// sql_scanner.h makes (the one tokenizer of SQL text); no grammar beyond this subset.
//
// A statement it does not recognise as one of those (CREATE DATABASE, views, routines, indexes,
// temporary tables, DML) is kOther: it changes no table's columns. A statement that is one of
// those but has a part it cannot read (CREATE ... SELECT, system versioning, a column attribute
// it does not know) is an error: the model must not guess (InvalidArgument naming the token).
//
// Column attributes come out as Debezium's DDL parser writes them from the statement's text
// (tests/reference/debezium): an integer written `INT` has no length, `DATETIME(3)` has 3,
// `CURRENT_TIMESTAMP` defaults are "1970-01-01 00:00:00"; type synonyms take the server's name
// (INTEGER is INT, BOOLEAN is TINYINT(1), MariaDB's JSON is LONGTEXT).
//
// Thread-compatible; pure.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/connector/table_structure.h"

namespace sluice::mysql {

struct DdlTableRef {
  std::string db, table;
};

// A column definition as written; `column.position` is left 0 (the model numbers columns).
struct DdlColumn {
  ColumnStructure column;
  bool character = false;  // takes the table's charset when it names none
  bool primary_key = false;  // PRIMARY KEY (or KEY) among its attributes
};

// Where ADD/MODIFY/CHANGE put a column.
struct DdlColumnPlace {
  enum Kind { kUnchanged, kFirst, kAfter };
  Kind kind = kUnchanged;  // ADD without FIRST/AFTER: last
  std::string after;
};

// One ALTER TABLE specification that changes the structure.
struct DdlAlterSpec {
  enum Kind {
    kAddColumn,      // column, place, if_not_exists
    kDropColumn,     // name, if_exists
    kModifyColumn,   // column (its name is the one changed), place, if_exists
    kChangeColumn,   // name (the old one), column, place, if_exists
    kRenameColumn,   // name -> new_name
    kSetDefault,     // name, default_value (nullopt: DEFAULT NULL)
    kDropDefault,    // name
    kAddPrimaryKey,  // key
    kDropPrimaryKey,
    kTableCharset,    // charset
    kConvertCharset,  // charset: the table's and every character column's
    kRenameTable,     // to
  };
  Kind kind = kAddColumn;
  DdlColumn column;
  DdlColumnPlace place;
  bool if_exists = false;  // IF EXISTS (DROP/MODIFY/CHANGE) or IF NOT EXISTS (ADD)
  std::string name, new_name;
  std::optional<std::string> default_value;
  std::vector<std::string> key;
  std::string charset;
  DdlTableRef to;
};

struct DdlStatement {
  enum Kind {
    kOther,
    kCreateTable,
    kCreateLike,
    kAlterTable,
    kRenameTables,
    kDropTables,
    kTruncate,
    kDatabase,  // CREATE/ALTER DATABASE (or SCHEMA) `table.db` [charset]
  };
  Kind kind = kOther;
  DdlTableRef table;  // CREATE, ALTER, TRUNCATE
  bool if_not_exists = false;  // CREATE TABLE IF NOT EXISTS
  bool or_replace = false;     // MariaDB's CREATE OR REPLACE TABLE
  bool if_exists = false;      // ALTER TABLE IF EXISTS, DROP TABLE IF EXISTS
  // CREATE TABLE (...)
  std::vector<DdlColumn> columns;
  std::vector<std::string> primary_key;  // table-level PRIMARY KEY (...)
  std::optional<std::string> charset;    // CHARSET / COLLATE table (or database) options
  DdlTableRef like;                      // CREATE TABLE ... LIKE
  std::vector<DdlAlterSpec> specs;       // ALTER TABLE, in order
  std::vector<std::pair<DdlTableRef, DdlTableRef>> renames;  // RENAME TABLE a TO b, ...
  std::vector<DdlTableRef> drops;                            // DROP TABLE a, b
};

// `current_db` qualifies bare names (a bare name without one is an error); `mariadb`: the
// server's dialect (JSON is LONGTEXT there).
absl::StatusOr<DdlStatement> ParseDdl(absl::string_view sql, absl::string_view current_db,
                                      bool mariadb);

// The character set a collation belongs to ("utf8mb4_general_ci" gives "utf8mb4"); the old
// name utf8 is utf8mb3, as both servers now say.
std::string CharsetOfCollation(absl::string_view collation);
// A charset as the catalog names it ("utf8" is "utf8mb3"), lower case.
std::string CanonicalCharset(absl::string_view charset);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_PARSER_H_
