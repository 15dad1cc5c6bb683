#include "connectors/mysql/connector/table_structure.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/column_def.h"
#include "connectors/mysql/server/sql_quote.h"
#include "connectors/mysql/connector/sql_scanner.h"

namespace sluice::mysql {

// java.sql.Types, as Debezium's MySQL DDL parser assigns them to the server's type names.

int32_t JdbcTypeOf(absl::string_view data_type) {
  struct Entry {
    const char* name;
    int32_t type;
  };
  static constexpr Entry kTypes[] = {
      {"tinyint", 5},      {"smallint", 5},    {"mediumint", 4},   {"int", 4},
      {"integer", 4},      {"bigint", -5},     {"float", 6},       {"double", 8},
      {"real", 8},         {"decimal", 3},     {"numeric", 2},     {"bit", -7},
      {"bool", 16},        {"boolean", 16},    {"date", 91},       {"time", 92},
      {"datetime", 93},    {"timestamp", 2014}, {"year", 4},        {"char", 1},
      {"varchar", 12},     {"tinytext", 12},   {"text", 12},       {"mediumtext", 12},
      {"longtext", 12},    {"binary", -2},     {"varbinary", -3},  {"tinyblob", 2004},
      {"blob", 2004},      {"mediumblob", 2004}, {"longblob", 2004}, {"enum", 1},
      {"set", 1},
  };
  for (const Entry& entry : kTypes) {
    if (data_type == entry.name) return entry.type;
  }
  return 1111;  // OTHER: JSON, the geometry family, and types Debezium does not know
}

namespace {

// The numbers in "(a)" / "(a,b)" right after the type name of COLUMN_TYPE.
void Dimensions(absl::string_view column_type, std::optional<int32_t>* length,
                std::optional<int32_t>* scale) {
  const size_t open = column_type.find('(');
  if (open == absl::string_view::npos) return;
  const size_t close = column_type.find(')', open);
  if (close == absl::string_view::npos) return;
  absl::string_view inside = column_type.substr(open + 1, close - open - 1);
  const size_t comma = inside.find(',');
  int32_t value = 0;
  if (absl::SimpleAtoi(inside.substr(0, comma), &value)) *length = value;
  if (comma != absl::string_view::npos && absl::SimpleAtoi(inside.substr(comma + 1), &value)) {
    *scale = value;
  }
}


}  // namespace

const char* TableChangeTypeName(TableChangeType type) {
  switch (type) {
    case TableChangeType::kCreate:
      return "CREATE";
    case TableChangeType::kAlter:
      return "ALTER";
    case TableChangeType::kDrop:
      return "DROP";
  }
  return "ALTER";
}

absl::StatusOr<LaterStatement> FindLaterStatement(Connection& connection, const std::string& file,
                                                  uint64_t next_pos, const std::string& table,
                                                  int64_t budget) {
  absl::StatusOr<QueryResult> logs = connection.Query("SHOW BINARY LOGS");
  if (!logs.ok()) return logs.status();
  size_t first = logs->rows.size();
  for (size_t i = 0; i < logs->rows.size(); ++i) {
    if (logs->rows[i][0].value_or("") == file) first = i;
  }
  if (first == logs->rows.size()) return LaterStatement::kUnknown;  // purged or renamed
  for (size_t i = first; i < logs->rows.size(); ++i) {
    if (budget <= 0) return LaterStatement::kUnknown;
    const std::string name = logs->rows[i][0].value_or("");
    absl::StatusOr<QueryResult> events = connection.Query(
        absl::StrCat("SHOW BINLOG EVENTS IN ", SqlString(name),
                     i == first ? absl::StrCat(" FROM ", next_pos) : std::string(), " LIMIT ",
                     budget));
    if (!events.ok()) return events.status();
    const int type = events->ColumnIndex("Event_type");
    const int info = events->ColumnIndex("Info");
    if (type < 0 || info < 0) return LaterStatement::kUnknown;
    for (const auto& row : events->rows) {
      if (row[type].value_or("") != "Query") continue;
      if (!row[info].has_value()) continue;
      absl::string_view sql = *row[info];
      // "use `db`; ALTER TABLE ...": the statement after the session's database.
      if (absl::StartsWithIgnoreCase(sql, "use ")) {
        const size_t end = sql.find("; ");
        if (end != absl::string_view::npos) sql.remove_prefix(end + 2);
      }
      if (StatementNamesTable(sql, table)) return LaterStatement::kNamesTable;
    }
    budget -= static_cast<int64_t>(events->rows.size());
  }
  return budget > 0 ? LaterStatement::kNone : LaterStatement::kUnknown;
}

ColumnStructure DescribeColumn(const CatalogColumn& row, bool mariadb) {
  ColumnStructure column;
  column.name = row.name;
  column.position = row.position;
  column.optional = row.nullable;
  column.charset = row.charset;
  const std::string data_type = absl::AsciiStrToLower(row.data_type);
  const std::string column_type = absl::AsciiStrToLower(row.column_type);
  column.jdbc_type = JdbcTypeOf(data_type);
  column.type_name = absl::AsciiStrToUpper(data_type);
  if (absl::StrContains(column_type, " unsigned")) absl::StrAppend(&column.type_name, " UNSIGNED");
  if (absl::StrContains(column_type, " zerofill")) absl::StrAppend(&column.type_name, " ZEROFILL");
  if (data_type == "enum" || data_type == "set") {
    // Debezium's enumValues: each member as a quoted literal, as the DDL writes it.
    for (const std::string& member : EnumMembers(row.column_type)) {
      column.enum_values.push_back(SqlString(member));
    }
    // Debezium's lengths: 1 for an ENUM, members plus separators for a SET.
    column.length = data_type == "enum"
                        ? 1
                        : std::max<int32_t>(0, static_cast<int32_t>(column.enum_values.size()) * 2 - 1);
  } else {
    Dimensions(column_type, &column.length, &column.scale);
  }
  column.auto_incremented = absl::StrContains(absl::AsciiStrToLower(row.extra), "auto_increment");
  column.default_value = DefaultValueExpression(row.column_default, row.extra, mariadb);
  return column;
}

absl::StatusOr<std::optional<TableStructure>> ReadTableStructure(Catalog& catalog,
                                                                 const std::string& db,
                                                                 const std::string& table) {
  absl::StatusOr<std::vector<CatalogColumn>> columns = catalog.Columns(db, table);
  if (!columns.ok()) return columns.status();
  if (columns->empty()) return std::nullopt;
  TableStructure structure;
  const bool mariadb = catalog.mariadb();
  for (const CatalogColumn& column : *columns) {
    structure.columns.push_back(DescribeColumn(column, mariadb));
  }
  absl::StatusOr<std::optional<std::string>> charset = catalog.TableCharset(db, table);
  if (!charset.ok()) return charset.status();
  structure.default_charset = *std::move(charset);
  absl::StatusOr<std::vector<std::string>> keys = catalog.PrimaryKey(db, table);
  if (!keys.ok()) return keys.status();
  structure.primary_key = *std::move(keys);
  return structure;
}

}  // namespace sluice::mysql
