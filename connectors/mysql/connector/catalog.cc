#include "connectors/mysql/connector/catalog.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "connectors/mysql/server/sql_quote.h"
#include "connectors/mysql/connector/sql_scanner.h"

namespace sluice::mysql {
namespace {

// " WHERE TABLE_SCHEMA = 'db' AND TABLE_NAME = 'table'".
std::string WhereTable(const std::string& db, const std::string& table) {
  return absl::StrCat(" WHERE TABLE_SCHEMA = ", SqlString(db), " AND TABLE_NAME = ",
                      SqlString(table));
}

int32_t IntOrZero(const std::optional<std::string>& text) {
  int32_t value = 0;
  if (text.has_value()) (void)absl::SimpleAtoi(*text, &value);
  return value;
}

// The first column of every row, NULLs left out.
std::vector<std::string> FirstColumn(const QueryResult& result) {
  std::vector<std::string> values;
  for (const auto& row : result.rows) {
    if (row[0].has_value()) values.push_back(*row[0]);
  }
  return values;
}

}  // namespace

bool InformationSchemaCatalog::mariadb() const { return connection_.is_mariadb(); }

absl::StatusOr<std::vector<TableName>> InformationSchemaCatalog::BaseTables(
    const std::optional<std::string>& db) {
  absl::StatusOr<QueryResult> tables = connection_.Query(absl::StrCat(
      "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = "
      "'BASE TABLE'",
      db.has_value() ? absl::StrCat(" AND TABLE_SCHEMA = ", SqlString(*db)) : std::string(),
      " ORDER BY TABLE_SCHEMA, TABLE_NAME"));
  if (!tables.ok()) return tables.status();
  std::vector<TableName> names;
  for (const auto& row : tables->rows) {
    if (!row[0].has_value() || !row[1].has_value()) continue;
    names.push_back(TableName{*row[0], *row[1]});
  }
  return names;
}

absl::StatusOr<std::vector<CatalogColumn>> InformationSchemaCatalog::Columns(
    const std::string& db, const std::string& table) {
  absl::StatusOr<QueryResult> result = connection_.Query(absl::StrCat(
      "SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, "
      "CHARACTER_SET_NAME, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, COLUMN_DEFAULT, "
      "EXTRA FROM information_schema.COLUMNS",
      WhereTable(db, table), " ORDER BY ORDINAL_POSITION"));
  if (!result.ok()) return result.status();
  std::vector<CatalogColumn> columns;
  columns.reserve(result->rows.size());
  for (const auto& row : result->rows) {
    CatalogColumn column;
    column.name = row[0].value_or("");
    column.position = IntOrZero(row[1]);
    column.data_type = row[2].value_or("");
    column.column_type = row[3].value_or("");
    column.nullable = row[4].value_or("YES") == "YES";
    column.charset = row[5];
    column.numeric_precision = IntOrZero(row[6]);
    column.numeric_scale = IntOrZero(row[7]);
    column.datetime_precision = IntOrZero(row[8]);
    column.column_default = row[9];
    column.extra = row[10].value_or("");
    columns.push_back(std::move(column));
  }
  return columns;
}

absl::StatusOr<std::vector<std::string>> InformationSchemaCatalog::PrimaryKey(
    const std::string& db, const std::string& table) {
  absl::StatusOr<QueryResult> keys = connection_.Query(
      absl::StrCat("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE",
                   WhereTable(db, table), " AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION"));
  if (!keys.ok()) return keys.status();
  return FirstColumn(*keys);
}

absl::StatusOr<std::vector<std::string>> InformationSchemaCatalog::CheckClauses(
    const std::string& db, const std::string& table) {
  absl::StatusOr<QueryResult> checks = connection_.Query(absl::StrCat(
      "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ",
      SqlString(db), " AND TABLE_NAME = ", SqlString(table)));
  if (!checks.ok()) return checks.status();
  return FirstColumn(*checks);
}

absl::StatusOr<std::optional<std::string>> InformationSchemaCatalog::TableCharset(
    const std::string& db, const std::string& table) {
  absl::StatusOr<QueryResult> charset = connection_.Query(absl::StrCat(
      "SELECT c.CHARACTER_SET_NAME FROM information_schema.TABLES t JOIN "
      "information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION WHERE "
      "t.TABLE_SCHEMA = ",
      SqlString(db), " AND t.TABLE_NAME = ", SqlString(table)));
  if (!charset.ok()) return charset.status();
  if (charset->rows.empty()) return std::nullopt;
  return charset->rows[0][0];
}

absl::StatusOr<std::optional<std::string>> InformationSchemaCatalog::DatabaseCharset(
    const std::string& db) {
  absl::StatusOr<QueryResult> charset = connection_.Query(
      absl::StrCat("SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE "
                   "SCHEMA_NAME = ",
                   SqlString(db)));
  if (!charset.ok()) return charset.status();
  if (charset->rows.empty()) return std::nullopt;
  return charset->rows[0][0];
}

absl::StatusOr<std::optional<int64_t>> InformationSchemaCatalog::RowEstimate(
    const std::string& db, const std::string& table) {
  absl::StatusOr<QueryResult> estimate = connection_.Query(
      absl::StrCat("SELECT TABLE_ROWS FROM information_schema.TABLES", WhereTable(db, table)));
  if (!estimate.ok()) return estimate.status();
  int64_t rows = 0;
  if (estimate->rows.empty() || !estimate->rows[0][0].has_value() ||
      !absl::SimpleAtoi(*estimate->rows[0][0], &rows)) {
    return std::nullopt;
  }
  return rows;
}

std::optional<std::string> JsonValidColumn(absl::string_view check_clause) {
  SqlScanner scan(check_clause, "");
  std::string column;
  if (scan.Accept("json_valid") && scan.AcceptPunct('(') && scan.Identifier(&column) &&
      scan.AcceptPunct(')')) {
    return column;
  }
  return std::nullopt;
}

}  // namespace sluice::mysql
