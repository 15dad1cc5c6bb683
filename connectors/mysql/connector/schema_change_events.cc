#include "connectors/mysql/connector/schema_change_events.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/clock.h"
#include "connectors/mysql/connector/record_append.h"
#include "connectors/mysql/connector/sql_secrets.h"

namespace sluice::mysql {

SchemaChangeEvents::SchemaChangeEvents(const Host& host, const ConnectorConfig& config,
                                       SourceBlock& source)
    : host_(host), api_(host.api()), config_(config), source_(source) {}

absl::Status SchemaChangeEvents::EnsureSchemas() {
  if (key_ != nullptr) return absl::OkStatus();
  absl::Status status = source_.EnsureSchemas();
  if (!status.ok()) return status;
  // As Debezium 2.7's ConnectTableChangeSerializer declares them (checked against a live capture:
  // tests/reference/debezium/ref.jsonl).
  auto make = [&](const SchemaArgs& args) -> const sluice_schema* {
    absl::StatusOr<const sluice_schema*> built = host_.Schema(args);
    if (!built.ok()) {
      if (status.ok()) status = built.status();
      return nullptr;
    }
    return *built;
  };
  const sluice_schema* text = make(SchemaOf(SLUICE_TYPE_STRING, false));
  const sluice_schema* optional_text = make(SchemaOf(SLUICE_TYPE_STRING, true));
  const sluice_schema* int32 = make(SchemaOf(SLUICE_TYPE_INT32, false));
  const sluice_schema* optional_int32 = make(SchemaOf(SLUICE_TYPE_INT32, true));
  const sluice_schema* optional_boolean = make(SchemaOf(SLUICE_TYPE_BOOLEAN, true));
  const sluice_schema* ts = make(SchemaOf(SLUICE_TYPE_INT64, false));
  SchemaArgs names = SchemaOf(SLUICE_TYPE_ARRAY, true);
  names.items = text;
  const sluice_schema* optional_names = make(names);
  if (!status.ok()) return status;

  SchemaArgs column = SchemaOf(SLUICE_TYPE_STRUCT, false, "io.debezium.connector.schema.Column", 1);
  column.fields = {{"name", text},
                   {"jdbcType", int32},
                   {"nativeType", optional_int32},
                   {"typeName", text},
                   {"typeExpression", optional_text},
                   {"charsetName", optional_text},
                   {"length", optional_int32},
                   {"scale", optional_int32},
                   {"position", int32},
                   {"optional", optional_boolean},
                   {"autoIncremented", optional_boolean},
                   {"generated", optional_boolean},
                   {"comment", optional_text},
                   {"defaultValueExpression", optional_text},
                   {"enumValues", optional_names}};
  column_ = make(column);
  SchemaArgs columns = SchemaOf(SLUICE_TYPE_ARRAY, false);
  columns.items = column_;
  columns_ = make(columns);
  names_ = optional_names;
  SchemaArgs table = SchemaOf(SLUICE_TYPE_STRUCT, true, "io.debezium.connector.schema.Table", 1);
  table.fields = {{"defaultCharsetName", optional_text},
                  {"primaryKeyColumnNames", optional_names},
                  {"columns", columns_},
                  {"comment", optional_text}};
  table_ = make(table);
  SchemaArgs change = SchemaOf(SLUICE_TYPE_STRUCT, false, "io.debezium.connector.schema.Change", 1);
  change.fields = {{"type", text}, {"id", text}, {"table", table_}};
  table_change_ = make(change);
  SchemaArgs changes = SchemaOf(SLUICE_TYPE_ARRAY, false);
  changes.items = table_change_;
  changes_ = make(changes);

  SchemaArgs key = SchemaOf(SLUICE_TYPE_STRUCT, false,
                             absl::StrCat("io.debezium.connector.", config_.flavor, ".SchemaChangeKey"), 1);
  key.fields = {{"databaseName", text}};
  const sluice_schema* key_schema = make(key);
  SchemaArgs value = SchemaOf(
      SLUICE_TYPE_STRUCT, false,
      absl::StrCat("io.debezium.connector.", config_.flavor, ".SchemaChangeValue"), 1);
  value.fields = {{"source", source_.schema()},       {"ts_ms", ts},
                  {"databaseName", optional_text}, {"schemaName", optional_text},
                  {"ddl", optional_text},          {"tableChanges", changes_}};
  value_ = make(value);
  if (!status.ok()) return status;
  key_ = key_schema;
  return absl::OkStatus();
}

sluice_value* SchemaChangeEvents::BuildTableChange(sluice_batch* batch, const TableChange& change) {
  auto text = [](absl::string_view s) { return sluice_datum_string(s.data(), s.size()); };
  auto set = [&](sluice_value* target, uint32_t field, sluice_datum datum) {
    api_->struct_set(target, field, &datum);
  };
  auto names = [&](const std::vector<std::string>& list) {
    sluice_value* array = api_->array_new(batch, names_, list.size());
    for (const std::string& name : list) {
      sluice_datum datum = text(name);
      api_->array_append(array, &datum);
    }
    return array;
  };
  sluice_value* value = api_->struct_new(batch, table_change_);
  if (value == nullptr) return nullptr;
  set(value, 0, text(TableChangeTypeName(change.type)));
  // Debezium's TableId.toDoubleQuotedString(): "db"."table".
  const std::string id = absl::StrCat("\"", change.db, "\".\"", change.table, "\"");
  set(value, 1, text(id));
  if (!change.structure.has_value()) return value;
  const TableStructure& structure = *change.structure;
  sluice_value* table = api_->struct_new(batch, table_);
  if (structure.default_charset.has_value()) set(table, 0, text(*structure.default_charset));
  set(table, 1, sluice_datum_value(names(structure.primary_key)));
  sluice_value* columns = api_->array_new(batch, columns_, structure.columns.size());
  for (const ColumnStructure& column : structure.columns) {
    sluice_value* item = api_->struct_new(batch, column_);
    set(item, 0, text(column.name));
    set(item, 1, sluice_datum_int(column.jdbc_type));
    set(item, 3, text(column.type_name));
    set(item, 4, text(column.type_name));
    if (column.charset.has_value()) set(item, 5, text(*column.charset));
    if (column.length.has_value()) set(item, 6, sluice_datum_int(*column.length));
    if (column.scale.has_value()) set(item, 7, sluice_datum_int(*column.scale));
    set(item, 8, sluice_datum_int(column.position));
    set(item, 9, sluice_datum_boolean(column.optional));
    set(item, 10, sluice_datum_boolean(column.auto_incremented));
    set(item, 11, sluice_datum_boolean(column.auto_incremented));  // Debezium: generated = auto_increment
    if (column.default_value.has_value()) set(item, 13, text(*column.default_value));
    if (!column.enum_values.empty()) set(item, 14, sluice_datum_value(names(column.enum_values)));
    sluice_datum datum = sluice_datum_value(item);
    api_->array_append(columns, &datum);
  }
  set(table, 2, sluice_datum_value(columns));
  set(value, 2, sluice_datum_value(table));
  return value;
}

absl::Status SchemaChangeEvents::SchemaChange(sluice_batch* batch, const std::string& db,
                                        absl::string_view ddl, const SourcePosition& source,
                                        const OffsetState& offset, const std::string* table,
                                        absl::Span<const TableChange> changes) {
  absl::Status status = EnsureSchemas();
  if (!status.ok()) return status;
  sluice_value* key = api_->struct_new(batch, key_);
  sluice_value* value = api_->struct_new(batch, value_);
  sluice_value* change_list = api_->array_new(batch, changes_, changes.size());
  sluice_value* source_value = source_.Build(batch, db, table, source);
  if (key == nullptr || value == nullptr || change_list == nullptr || source_value == nullptr) {
    return absl::InternalError("the worker refused a schema change value (see its log)");
  }
  for (const TableChange& change : changes) {
    sluice_value* item = BuildTableChange(batch, change);
    if (item == nullptr) return absl::InternalError("the worker refused a table change value");
    sluice_datum datum = sluice_datum_value(item);
    api_->array_append(change_list, &datum);
  }
  sluice_datum db_datum = sluice_datum_string(db.data(), db.size());
  api_->struct_set(key, 0, &db_datum);
  sluice_datum datum = sluice_datum_value(source_value);
  api_->struct_set(value, 0, &datum);
  // When the connector handled the change (Debezium's value ts_ms); source.ts_ms is the event's.
  datum = sluice_datum_int(WallClockNanos() / 1000000);
  api_->struct_set(value, 1, &datum);
  api_->struct_set(value, 2, &db_datum);
  const std::string redacted = RedactSecrets(ddl);
  datum = sluice_datum_string(redacted.data(), redacted.size());
  api_->struct_set(value, 4, &datum);
  datum = sluice_datum_value(change_list);
  api_->struct_set(value, 5, &datum);

  const OutgoingRecord record{.topic = config_.topic_prefix,
                              .kafka_partition = 0,
                              .key_schema = key_,
                              .key = key,
                              .value_schema = value_,
                              .value = value};
  return AppendRecord(api_, batch, config_.topic_prefix, record, offset, "a schema change record");
}

}  // namespace sluice::mysql
