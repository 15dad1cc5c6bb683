#include "connectors/mysql/connector/schema_cache.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace sluice::mysql {
namespace {

// A table version's key is everything TableSchemaBuilder::Build makes its schemas and values
// from: the table, each captured column's source index and whole ColumnDef, and the key fields.
// Two maps share a version only when their records would be the same; a detail left out (it was
// BINARY(n)'s length) lets an ALTER changing only that detail reuse the old version, and its rows
// are written with the old column's padding, scale or members. Strings go in length-prefixed, so
// no name or member list can pass for another ("a,b" + "c" is not "a" + "b,c").
void AppendString(std::string* key, absl::string_view text) {
  absl::StrAppend(key, text.size(), ":", text, "|");
}
void AppendOptional(std::string* key, const std::optional<std::string>& text) {
  if (text.has_value()) {
    AppendString(key, *text);
  } else {
    key->append("-|");
  }
}

void AppendColumn(std::string* key, int source_column, const ColumnDef& def) {
  // Structured bindings name every member: a member added to ColumnDef (or SourceColumnType)
  // stops this from compiling until it is part of the key.
  const auto& [name, kind, optional, latin1, precision, scale, fsp, bit_length, fixed_length,
               binary_mode, values, allowed, default_value, unavailable_placeholder,
               zero_timestamp_is_zero_date, source_type] = def;
  const auto& [type_name, type_length, type_scale] = source_type;
  absl::StrAppend(key, "c", source_column, "|");
  AppendString(key, name);
  absl::StrAppend(key, static_cast<int>(kind), "|", optional, latin1, "|",
                  static_cast<int>(precision), ",", static_cast<int>(scale), ",",
                  static_cast<int>(fsp), ",", bit_length, ",", fixed_length, ",",
                  static_cast<int>(binary_mode), ",", zero_timestamp_is_zero_date, "|",
                  values.size(), "|");
  for (const std::string& value : values) AppendString(key, value);
  AppendString(key, allowed);
  AppendOptional(key, default_value);
  AppendOptional(key, unavailable_placeholder);
  AppendString(key, type_name);
  absl::StrAppend(key, type_length.has_value() ? absl::StrCat(*type_length) : "-", ",",
                  type_scale.has_value() ? absl::StrCat(*type_scale) : "-", "|");
}

}  // namespace

SchemaCache::SchemaCache(const ConnectorConfig& config, const Filters& filters,
                         TableSchemaBuilder& tables, CatalogOpener open_catalog)
    : config_(config), filters_(filters), tables_(tables), open_catalog_(std::move(open_catalog)) {}

void SchemaCache::ForgetDatabase(const std::string& db) {
  for (auto it = extras_.begin(); it != extras_.end();) {
    if (it->first.db == db) {
      extras_.erase(it++);  // flat_hash_map's erase leaves the other iterators valid
    } else {
      ++it;
    }
  }
  ForgetLastMap();
}

void SchemaCache::ForgetLastMap() {
  last_map_ = nullptr;
  last_schema_ = nullptr;
}

absl::StatusOr<const TableSchema*> SchemaCache::LatestOrCatalog(const std::string& db,
                                                                 const std::string& table) {
  const TableId key{db, table};
  auto it = latest_.find(key);
  if (it != latest_.end()) return it->second;
  absl::StatusOr<std::unique_ptr<Catalog>> catalog = open_catalog_();
  if (!catalog.ok()) return catalog.status();
  absl::StatusOr<std::vector<CatalogColumnFacts>> columns = ReadColumnFacts(**catalog, db, table);
  if (!columns.ok()) return columns.status();
  if (columns->empty()) return nullptr;
  std::vector<ColumnDef> defs;
  std::vector<int> source_columns;
  for (size_t i = 0; i < columns->size(); ++i) {
    const CatalogColumnFacts& fact = (*columns)[i];
    if (!filters_.IncludeColumn(db, table, fact.column.name)) continue;
    absl::StatusOr<ColumnDef> def = ColumnDefFromCatalog(fact.column, fact.extras, config_);
    if (!def.ok()) {
      return absl::Status(def.status().code(), absl::StrCat("table `", key.db, ".", key.table,
                                                            "`: ", def.status().message()));
    }
    defs.push_back(std::move(*def));
    source_columns.push_back(static_cast<int>(i));
  }
  std::vector<std::string> key_columns = filters_.KeyColumns(db, table);
  if (key_columns.empty()) {
    absl::StatusOr<std::vector<std::string>> primary = (*catalog)->PrimaryKey(db, table);
    if (!primary.ok()) return primary.status();
    key_columns = std::move(*primary);
  }
  std::vector<int> key_fields;
  for (const std::string& name : key_columns) {
    for (size_t f = 0; f < defs.size(); ++f) {
      if (defs[f].name == name) key_fields.push_back(static_cast<int>(f));
    }
  }
  absl::StatusOr<std::unique_ptr<TableSchema>> built =
      tables_.Build(db, table, std::move(defs), std::move(source_columns), std::move(key_fields));
  if (!built.ok()) return built.status();
  // Kept under a signature no table map makes; the next table map of the table replaces it as
  // the latest.
  std::string signature = "catalog|";
  AppendString(&signature, db);
  AppendString(&signature, table);
  auto stored = schemas_.insert_or_assign(signature, std::move(*built)).first;
  latest_[key] = stored->second.get();
  return stored->second.get();
}

absl::Status SchemaCache::LoadExtras(const std::string& db, const std::string& table) {
  absl::StatusOr<std::unique_ptr<Catalog>> catalog = open_catalog_();
  if (!catalog.ok()) return catalog.status();
  absl::StatusOr<std::vector<CatalogColumnFacts>> columns = ReadColumnFacts(**catalog, db, table);
  if (!columns.ok()) return columns.status();
  std::map<std::string, ColumnExtras>& extras = extras_[TableId{db, table}];
  for (CatalogColumnFacts& column : *columns) {
    extras[column.column.name] = std::move(column.extras);
  }
  return absl::OkStatus();
}

absl::StatusOr<const TableSchema*> SchemaCache::SchemaFor(
    const std::shared_ptr<const binlog::TableMap>& map) {
  if (map == nullptr) return absl::InternalError("a rows event without its table map");
  if (map == last_map_) return last_schema_;
  const TableId key{map->database, map->table};
  auto excluded = excluded_tables_.find(key);
  if (excluded == excluded_tables_.end()) {
    excluded =
        excluded_tables_.emplace(key, !filters_.IncludeTable(map->database, map->table)).first;
  }
  if (excluded->second) {
    last_map_ = map;
    last_schema_ = nullptr;
    return nullptr;
  }
  // Remembered only once the answer is known: a failure below (the server went away while
  // information_schema was read) must not leave this map answered as "excluded".
  last_map_ = nullptr;
  if (!map->has_column_names) {
    return absl::FailedPreconditionError(
        absl::StrCat("the table map of `", key.db, ".", key.table,
                     "` carries no column names: set binlog_row_metadata=FULL (SET GLOBAL "
                     "binlog_row_metadata='FULL') before these changes were written"));
  }
  if (check_map_) {
    absl::Status checked = check_map_(*map);
    if (!checked.ok()) return checked;
  }
  if (!extras_.contains(key)) {
    absl::Status status = LoadExtras(map->database, map->table);
    if (!status.ok()) return status;
  }
  const std::map<std::string, ColumnExtras>& extras = extras_[key];
  std::vector<ColumnDef> defs;
  std::vector<int> source_columns;
  std::string signature;
  AppendString(&signature, map->database);
  AppendString(&signature, map->table);
  for (size_t i = 0; i < map->columns.size(); ++i) {
    const binlog::ColumnInfo& column = map->columns[i];
    if (!filters_.IncludeColumn(map->database, map->table, column.name)) continue;
    auto found = extras.find(column.name);
    absl::StatusOr<ColumnDef> def = ColumnDefFromTableMap(
        column, found != extras.end() ? found->second : ColumnExtras{}, config_);
    if (!def.ok()) {
      return absl::Status(def.status().code(), absl::StrCat("table `", key.db, ".", key.table,
                                                            "`: ", def.status().message()));
    }
    AppendColumn(&signature, static_cast<int>(i), *def);
    defs.push_back(std::move(*def));
    source_columns.push_back(static_cast<int>(i));
  }
  std::vector<int> key_fields;
  const std::vector<std::string> key_columns = filters_.KeyColumns(map->database, map->table);
  for (const std::string& name : key_columns) {
    for (size_t f = 0; f < defs.size(); ++f) {
      if (defs[f].name == name) {
        key_fields.push_back(static_cast<int>(f));
        absl::StrAppend(&signature, "|k", f);
      }
    }
  }
  for (const binlog::PrimaryKeyPart& part : map->primary_key) {
    if (!key_columns.empty()) break;  // message.key.columns replaces the primary key
    for (size_t f = 0; f < source_columns.size(); ++f) {
      if (source_columns[f] == static_cast<int>(part.column_index)) {
        key_fields.push_back(static_cast<int>(f));
        absl::StrAppend(&signature, "|k", f);
      }
    }
  }
  auto cached = schemas_.find(signature);
  if (cached == schemas_.end()) {
    absl::StatusOr<std::unique_ptr<TableSchema>> built =
        tables_.Build(map->database, map->table, std::move(defs), std::move(source_columns),
                      std::move(key_fields));
    if (!built.ok()) return built.status();
    cached = schemas_.emplace(signature, std::move(*built)).first;
  }
  last_map_ = map;
  last_schema_ = cached->second.get();
  latest_[key] = last_schema_;
  return last_schema_;
}

}  // namespace sluice::mysql
