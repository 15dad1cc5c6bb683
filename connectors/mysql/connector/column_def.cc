#include "connectors/mysql/connector/column_def.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

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

// "enum('a','b''c')" → {"a", "b'c"}.
std::vector<std::string> ParseMembers(absl::string_view column_type) {
  std::vector<std::string> members;
  size_t open = column_type.find('(');
  if (open == absl::string_view::npos) return members;
  size_t i = open + 1;
  while (i < column_type.size() && column_type[i] == '\'') {
    std::string member;
    ++i;
    while (i < column_type.size()) {
      if (column_type[i] == '\'') {
        if (i + 1 < column_type.size() && column_type[i + 1] == '\'') {
          member.push_back('\'');
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      member.push_back(column_type[i++]);
    }
    members.push_back(std::move(member));
    if (i < column_type.size() && column_type[i] == ',') ++i;
  }
  return members;
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
      // TINYINT(1) (BOOLEAN in the DDL; the table map cannot tell it, information_schema can):
      // boolean, as FORMATS.md says (Debezium 2.7.4's snapshot made it int16).
      def.kind = extras.tinyint1 ? FieldKind::kBoolean : FieldKind::kInt16;
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
      // io.debezium.data.Json, as FORMATS.md says (Debezium 2.7.4 made it a plain string).
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
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "column `", column.name, "` has type ", binlog::ColumnTypeName(column.real_type),
          ", which Sluice cannot map; exclude it with column.exclude.list"));
  }
  def.default_value = extras.default_value;
  return def;
}

absl::StatusOr<ColumnDef> ColumnDefFromInfoSchema(const InfoSchemaColumn& column,
                                                  const ConnectorConfig& config) {
  ColumnDef def;
  def.name = column.name;
  def.optional = column.nullable;
  def.binary_mode = config.binary_mode;
  const std::string type = absl::AsciiStrToLower(column.data_type);
  const std::string full = absl::AsciiStrToLower(column.column_type);
  const bool is_unsigned = absl::StrContains(full, "unsigned");
  def.fsp = static_cast<uint8_t>(column.datetime_precision);
  def.default_value = column.default_value;
  if (type == "tinyint") {
    def.kind = absl::StartsWith(full, "tinyint(1)") ? FieldKind::kBoolean : FieldKind::kInt16;
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
    def.precision = static_cast<uint8_t>(column.precision);
    def.scale = static_cast<uint8_t>(column.scale);
  } else if (type == "bit") {
    def.bit_length = static_cast<uint16_t>(column.precision);
    def.kind = def.bit_length == 1 ? FieldKind::kBitBoolean : FieldKind::kBits;
  } else if (type == "enum" || type == "set") {
    def.kind = type == "enum" ? FieldKind::kEnum : FieldKind::kSet;
    SetMembers(def, ParseMembers(column.column_type));
  } else if (type == "json" || column.json) {
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

}  // namespace sluice::mysql
