#include "connectors/mysql/connector/schema_model_check.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace sluice::mysql {
namespace {

using binlog::ColumnType;

// The type names (the model's, without UNSIGNED/ZEROFILL, lower case) a binlog column type can be.
bool TypeFits(ColumnType type, absl::string_view name) {
  auto one_of = [&](std::initializer_list<absl::string_view> names) {
    for (absl::string_view candidate : names) {
      if (name == candidate) return true;
    }
    return false;
  };
  switch (type) {
    case ColumnType::kTiny:
      return one_of({"tinyint"});
    case ColumnType::kShort:
      return one_of({"smallint"});
    case ColumnType::kInt24:
      return one_of({"mediumint"});
    case ColumnType::kLong:
      return one_of({"int"});
    case ColumnType::kLongLong:
      return one_of({"bigint"});
    case ColumnType::kFloat:
      return one_of({"float"});
    case ColumnType::kDouble:
      return one_of({"double"});
    case ColumnType::kNewDecimal:
    case ColumnType::kDecimal:
      return one_of({"decimal"});
    case ColumnType::kBit:
      return one_of({"bit"});
    case ColumnType::kDate:
    case ColumnType::kNewDate:
      return one_of({"date"});
    case ColumnType::kTime:
    case ColumnType::kTime2:
      return one_of({"time"});
    case ColumnType::kDateTime:
    case ColumnType::kDateTime2:
      return one_of({"datetime"});
    case ColumnType::kTimestamp:
    case ColumnType::kTimestamp2:
      return one_of({"timestamp"});
    case ColumnType::kYear:
      return one_of({"year"});
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
      // MariaDB's INET6/UUID and friends are fixed-size strings too.
      return one_of({"varchar", "varbinary", "char", "binary", "inet4", "inet6", "uuid"});
    case ColumnType::kString:
      return one_of({"char", "binary", "inet4", "inet6", "uuid"});
    case ColumnType::kEnum:
      return one_of({"enum"});
    case ColumnType::kSet:
      return one_of({"set"});
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
      return absl::EndsWith(name, "text") || absl::EndsWith(name, "blob") || name == "json";
    case ColumnType::kJson:
      return one_of({"json"});
    case ColumnType::kGeometry:
      return one_of({"geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
                     "multipolygon", "geometrycollection"});
    case ColumnType::kVector:
      return one_of({"vector"});
    default:
      return true;  // a type the model does not distinguish
  }
}

}  // namespace

std::optional<std::string> ModelMismatch(const TableStructure& model, const binlog::TableMap& map) {
  if (model.columns.size() != map.columns.size()) {
    return absl::StrCat("the binlog has ", map.columns.size(), " columns, the model ",
                        model.columns.size());
  }
  for (size_t i = 0; i < map.columns.size(); ++i) {
    const binlog::ColumnInfo& binlog = map.columns[i];
    const ColumnStructure& column = model.columns[i];
    if (map.has_column_names && !absl::EqualsIgnoreCase(binlog.name, column.name)) {
      return absl::StrCat("column ", i + 1, " is `", binlog.name, "` in the binlog, `", column.name,
                          "` in the model");
    }
    std::string base = absl::AsciiStrToLower(column.type_name);
    base = base.substr(0, base.find(' '));
    const ColumnType type =
        binlog.real_type == ColumnType::kNull ? binlog.type : binlog.real_type;
    if (!TypeFits(type, base)) {
      return absl::StrCat("column `", column.name, "` is binlog type ", static_cast<int>(type),
                          " in the binlog, ", column.type_name, " in the model");
    }
  }
  return std::nullopt;
}

}  // namespace sluice::mysql
