#include "connectors/mysql/connector/column_def.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "connectors/mysql/connector/sql_scanner.h"
#include "connectors/mysql/connector/table_structure.h"

namespace sluice::mysql {
namespace {

using binlog::ColumnType;

constexpr uint32_t kBinaryCollation = 63;

bool IsLatin1Collation(uint32_t id) {
  switch (id) {
    case 5:
    case 8:
    case 15:
    case 31:
    case 47:
    case 48:
    case 49:
    case 94:
      return true;
    default:
      return false;
  }
}

FieldKind TemporalDate(const ConnectorConfig& config) {
  return config.time_precision_mode == TimePrecisionMode::kConnect ? FieldKind::kConnectDate
                                                                   : FieldKind::kDate;
}
FieldKind TemporalTime(const ConnectorConfig& config) {
  return config.time_precision_mode == TimePrecisionMode::kConnect ? FieldKind::kConnectTime
                                                                   : FieldKind::kMicroTime;
}
FieldKind TemporalDateTime(const ConnectorConfig& config, unsigned fsp) {
  if (config.time_precision_mode == TimePrecisionMode::kConnect) {
    return FieldKind::kConnectTimestamp;
  }
  return fsp <= 3 ? FieldKind::kTimestampMs : FieldKind::kMicroTimestamp;
}
FieldKind DecimalKind(const ConnectorConfig& config) {
  switch (config.decimal_mode) {
    case DecimalMode::kDouble:
      return FieldKind::kDecimalDouble;
    case DecimalMode::kString:
      return FieldKind::kDecimalString;
    case DecimalMode::kPrecise:
      break;
  }
  return FieldKind::kDecimal;
}

void SetMembers(ColumnDef& def, std::vector<std::string> values) {
  def.allowed = absl::StrJoin(values, ",");
  def.values = std::move(values);
}


bool IsCurrentTimestamp(absl::string_view expression) {
  const std::string lower = absl::AsciiStrToLower(expression);
  return absl::StartsWith(lower, "current_timestamp") || absl::StartsWith(lower, "now(") ||
         absl::StartsWith(lower, "localtimestamp") || absl::StartsWith(lower, "localtime");
}

}  // namespace

absl::StatusOr<ColumnDef> ColumnDefFromTableMap(const binlog::ColumnInfo& column,
                                                const ColumnExtras& extras,
                                                const ConnectorConfig& config) {
  ColumnDef def;
  def.name = column.name;
  def.optional = column.nullable;
  def.binary_mode = config.binary_mode;
  def.fsp = column.fsp;
  const bool binary = column.charset == kBinaryCollation;
  def.latin1 = IsLatin1Collation(column.charset);
  switch (column.real_type) {
    case ColumnType::kTiny:
      // TINYINT(1) (BOOLEAN in the DDL) too: int16 in the snapshot and while streaming, as
      // Debezium 3.6.1's MySQL and 3.0.0's MariaDB connector write it (tests/reference/debezium).
      def.kind = FieldKind::kInt16;
      break;
    case ColumnType::kShort:
      def.kind = column.is_unsigned ? FieldKind::kInt32 : FieldKind::kInt16;
      break;
    case ColumnType::kInt24:
      def.kind = FieldKind::kInt32;
      break;
    case ColumnType::kLong:
      def.kind = column.is_unsigned ? FieldKind::kInt64 : FieldKind::kInt32;
      break;
    case ColumnType::kLongLong:
      def.kind = column.is_unsigned && config.bigint_unsigned_mode == BigintUnsignedMode::kPrecise
                     ? FieldKind::kUnsignedBigintDecimal
                     : FieldKind::kInt64;
      break;
    case ColumnType::kFloat:
      def.kind = FieldKind::kFloat32;
      break;
    case ColumnType::kDouble:
      def.kind = FieldKind::kFloat64;
      break;
    case ColumnType::kNewDecimal:
      def.kind = DecimalKind(config);
      def.precision = column.precision;
      def.scale = column.scale;
      break;
    case ColumnType::kBit:
      def.bit_length = column.bit_length;
      def.kind = column.bit_length == 1 ? FieldKind::kBitBoolean : FieldKind::kBits;
      break;
    case ColumnType::kEnum:
      def.kind = FieldKind::kEnum;
      SetMembers(def, column.enum_or_set_values);
      break;
    case ColumnType::kSet:
      def.kind = FieldKind::kSet;
      SetMembers(def, column.enum_or_set_values);
      break;
    case ColumnType::kJson:
      def.kind = FieldKind::kJson;
      break;
    case ColumnType::kString:
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
      // MariaDB's JSON is a LONGTEXT with a json_valid check (found in information_schema):
      // io.debezium.data.Json, as MySQL's JSON is (Debezium's MariaDB connector 3.0.0 writes a
      // plain string: docs/mysql-connector.md, "Differences from Debezium").
      if (extras.json && !binary) {
        def.kind = FieldKind::kJson;
        break;
      }
      def.kind = binary ? FieldKind::kBinary : FieldKind::kText;
      if (binary && column.real_type == ColumnType::kString) def.fixed_length = column.max_length;
      break;
    case ColumnType::kDate:
    case ColumnType::kNewDate:
      def.kind = TemporalDate(config);
      break;
    case ColumnType::kTime:
    case ColumnType::kTime2:
      def.kind = TemporalTime(config);
      break;
    case ColumnType::kDateTime:
    case ColumnType::kDateTime2:
      def.kind = TemporalDateTime(config, column.fsp);
      break;
    case ColumnType::kTimestamp:
    case ColumnType::kTimestamp2:
      def.kind = FieldKind::kZonedTimestamp;
      break;
    case ColumnType::kYear:
      def.kind = FieldKind::kYear;
      break;
    case ColumnType::kGeometry:
      def.kind = column.geometry_type == 1 ? FieldKind::kPoint : FieldKind::kGeometry;
      break;
    case ColumnType::kVector:
      def.kind = FieldKind::kFloatVector;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "column `", column.name, "` has type ", binlog::ColumnTypeName(column.real_type),
          ", which Sluice cannot map; exclude it with column.exclude.list"));
  }
  def.default_value = extras.default_value;
  def.zero_timestamp_is_zero_date = extras.zero_timestamp_is_zero_date;
  def.source_type = extras.source_type;
  switch (column.real_type) {
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
      // What binlog_row_image=NOBLOB leaves out of a row image when the change did not need it.
      def.unavailable_placeholder = config.unavailable_placeholder;
      break;
    default:
      break;
  }
  return def;
}

absl::StatusOr<ColumnDef> ColumnDefFromCatalog(const CatalogColumn& column,
                                               const ColumnExtras& extras,
                                               const ConnectorConfig& config) {
  ColumnDef def;
  def.name = column.name;
  def.optional = column.nullable;
  def.binary_mode = config.binary_mode;
  const std::string type = absl::AsciiStrToLower(column.data_type);
  const std::string full = absl::AsciiStrToLower(column.column_type);
  const bool is_unsigned = absl::StrContains(full, "unsigned");
  def.fsp = static_cast<uint8_t>(column.datetime_precision);
  def.default_value = extras.default_value;
  def.zero_timestamp_is_zero_date = extras.zero_timestamp_is_zero_date;
  def.source_type = extras.source_type;
  if (type == "tinyint") {
    def.kind = FieldKind::kInt16;
  } else if (type == "smallint") {
    def.kind = is_unsigned ? FieldKind::kInt32 : FieldKind::kInt16;
  } else if (type == "mediumint") {
    def.kind = FieldKind::kInt32;
  } else if (type == "int" || type == "integer") {
    def.kind = is_unsigned ? FieldKind::kInt64 : FieldKind::kInt32;
  } else if (type == "bigint") {
    def.kind = is_unsigned && config.bigint_unsigned_mode == BigintUnsignedMode::kPrecise
                   ? FieldKind::kUnsignedBigintDecimal
                   : FieldKind::kInt64;
  } else if (type == "float") {
    def.kind = FieldKind::kFloat32;
  } else if (type == "double" || type == "real") {
    def.kind = FieldKind::kFloat64;
  } else if (type == "decimal" || type == "numeric") {
    def.kind = DecimalKind(config);
    def.precision = static_cast<uint8_t>(column.numeric_precision);
    def.scale = static_cast<uint8_t>(column.numeric_scale);
  } else if (type == "bit") {
    def.bit_length = static_cast<uint16_t>(column.numeric_precision);
    def.kind = def.bit_length == 1 ? FieldKind::kBitBoolean : FieldKind::kBits;
  } else if (type == "enum" || type == "set") {
    def.kind = type == "enum" ? FieldKind::kEnum : FieldKind::kSet;
    SetMembers(def, EnumMembers(column.column_type));
  } else if (type == "json" || extras.json) {
    def.kind = FieldKind::kJson;
  } else if (type == "char" || type == "varchar" || absl::EndsWith(type, "text")) {
    def.kind = FieldKind::kText;
  } else if (type == "binary" || type == "varbinary" || absl::EndsWith(type, "blob")) {
    def.kind = FieldKind::kBinary;
    if (type == "binary") {
      const size_t open = full.find('(');
      unsigned length = 0;
      if (open != std::string::npos &&
          absl::SimpleAtoi(absl::string_view(full).substr(open + 1, full.find(')') - open - 1),
                           &length)) {
        def.fixed_length = length;
      }
    }
  } else if (type == "date") {
    def.kind = TemporalDate(config);
  } else if (type == "time") {
    def.kind = TemporalTime(config);
  } else if (type == "datetime") {
    def.kind = TemporalDateTime(config, def.fsp);
  } else if (type == "timestamp") {
    def.kind = FieldKind::kZonedTimestamp;
  } else if (type == "year") {
    def.kind = FieldKind::kYear;
  } else if (type == "vector") {
    def.kind = FieldKind::kFloatVector;
  } else if (type == "point") {
    def.kind = FieldKind::kPoint;
  } else if (type == "geometry" || type == "linestring" || type == "polygon" ||
             type == "multipoint" || type == "multilinestring" || type == "multipolygon" ||
             type == "geometrycollection" || type == "geomcollection") {
    def.kind = FieldKind::kGeometry;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("column `", column.name, "` has type ", column.column_type,
                     ", which Sluice cannot map; exclude it with column.exclude.list"));
  }
  return def;
}


ColumnExtras ExtrasOf(const CatalogColumn& column, bool json, bool mariadb) {
  ColumnExtras extras;
  extras.json = json;
  extras.default_value = DefaultValueExpression(column.column_default, column.extra, mariadb);
  extras.zero_timestamp_is_zero_date = !mariadb;
  const ColumnStructure structure = DescribeColumn(column, mariadb);
  extras.source_type = {structure.type_name, structure.length, structure.scale};
  return extras;
}

absl::StatusOr<std::vector<CatalogColumnFacts>> ReadColumnFacts(Catalog& catalog,
                                                                const std::string& db,
                                                                const std::string& table) {
  absl::StatusOr<std::vector<CatalogColumn>> columns = catalog.Columns(db, table);
  if (!columns.ok()) return columns.status();
  const bool mariadb = catalog.mariadb();
  std::vector<std::string> json_columns;
  if (mariadb) {
    // MariaDB's JSON is a LONGTEXT with a json_valid(`column`) check. A server without
    // CHECK_CONSTRAINTS (before 10.2) has no such checks: its columns are text.
    absl::StatusOr<std::vector<std::string>> checks = catalog.CheckClauses(db, table);
    if (checks.ok()) {
      for (const std::string& clause : *checks) {
        if (std::optional<std::string> column = JsonValidColumn(clause)) {
          json_columns.push_back(*std::move(column));
        }
      }
    }
  }
  std::vector<CatalogColumnFacts> facts;
  facts.reserve(columns->size());
  for (CatalogColumn& column : *columns) {
    CatalogColumnFacts fact;
    const bool json =
        std::find(json_columns.begin(), json_columns.end(), column.name) != json_columns.end();
    fact.extras = ExtrasOf(column, json, mariadb);
    fact.column = std::move(column);
    facts.push_back(std::move(fact));
  }
  return facts;
}

std::optional<std::string> DefaultValueExpression(const std::optional<std::string>& column_default,
                                                  absl::string_view extra, bool mariadb) {
  if (!column_default.has_value()) return std::nullopt;
  const std::string& text = *column_default;
  if (mariadb) {
    if (text == "NULL") return std::nullopt;
    if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
      std::string value;
      for (size_t i = 1; i + 1 < text.size(); ++i) {
        if ((text[i] == '\'' || text[i] == '\\') && i + 2 < text.size()) ++i;
        value.push_back(text[i]);
      }
      return value;
    }
  } else if (!absl::StrContains(absl::AsciiStrToUpper(extra), "DEFAULT_GENERATED")) {
    return text;  // MySQL shows a literal default as its bare value
  }
  if (IsCurrentTimestamp(text)) return std::string("1970-01-01 00:00:00");
  return text;
}

}  // namespace sluice::mysql
