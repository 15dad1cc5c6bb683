#include "connectors/mysql/connector/table_schema.h"

#include <optional>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/text_value.h"

namespace sluice::mysql {

TableSchemaBuilder::TableSchemaBuilder(const Host& host, const ConnectorConfig& config,
                                       SourceBlock& source)
    : host_(host), config_(config), source_(source), policies_(config.column_policies) {}

absl::StatusOr<std::unique_ptr<TableSchema>> TableSchemaBuilder::Build(
    const std::string& db, const std::string& table, std::vector<ColumnDef> defs,
    std::vector<int> source_columns, std::vector<int> key_fields) {
  absl::Status status = source_.EnsureSchemas();
  if (!status.ok()) return status;

  auto schema = std::make_unique<TableSchema>();
  schema->db = db;
  schema->table = table;
  const std::string base = absl::StrCat(config_.topic_prefix, ".", db, ".", table);
  const TableId id{db, table};
  const auto [owner, first] = topic_owners_.try_emplace(base, id);
  if (!first && owner->second != id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tables `", owner->second.db, "`.`", owner->second.table, "` and `", db, "`.`", table,
        "` would both write to topic `", base,
        "` (topic names are <topic.prefix>.<db>.<table>, and a dot in a name makes two tables "
        "one topic): capture at most one of them; database.include.list or "
        "database.exclude.list can tell them apart (table filters match the joined name, the "
        "same for both)"));
  }
  schema->topic = base;
  schema->defs = std::move(defs);
  schema->source_columns = std::move(source_columns);
  schema->key_fields = std::move(key_fields);
  schema->record_name = absl::StrCat("a record for table `", db, ".", table, "`");

  if (!policies_.empty()) {
    bool any = false;
    for (const ColumnDef& def : schema->defs) {
      any |= schema->policies.emplace_back(policies_.For(db, table, def)).has_value();
    }
    if (!any) schema->policies.clear();
  }
  SchemaArgs value = SchemaOf(SLUICE_TYPE_STRUCT, true, base + ".Value");
  for (size_t i = 0; i < schema->defs.size(); ++i) {
    const ColumnDef& def = schema->defs[i];
    const ColumnPolicy* policy = schema->policies.empty() || !schema->policies[i].has_value()
                                     ? nullptr
                                     : &*schema->policies[i];
    absl::StatusOr<const sluice_schema*> field = FieldSchema(def, false, policy);
    if (!field.ok()) return field.status();
    value.fields.emplace_back(def.name, *field);
    schema->value_fields.push_back(*field);
  }
  absl::StatusOr<const sluice_schema*> built = host_.Schema(value);
  if (!built.ok()) return built.status();
  schema->value = *built;

  if (!schema->key_fields.empty()) {
    SchemaArgs key = SchemaOf(SLUICE_TYPE_STRUCT, false, base + ".Key");
    for (int index : schema->key_fields) {
      absl::StatusOr<const sluice_schema*> field = FieldSchema(schema->defs[index], true);
      if (!field.ok()) return field.status();
      key.fields.emplace_back(schema->defs[index].name, *field);
      schema->key_field_schemas.push_back(*field);
    }
    built = host_.Schema(key);
    if (!built.ok()) return built.status();
    schema->key = *built;
  }

  SchemaArgs envelope = SchemaOf(SLUICE_TYPE_STRUCT, false, base + ".Envelope", 2);
  // Debezium's order (change_events.cc's EnvelopeField): transaction before op.
  envelope.fields = {{"before", schema->value},
                     {"after", schema->value},
                     {"source", source_.schema()},
                     {"transaction", source_.transaction_schema()}};
  for (auto [name, type, optional] :
       {std::tuple<const char*, sluice_type, bool>{"op", SLUICE_TYPE_STRING, false},
        {"ts_ms", SLUICE_TYPE_INT64, true},
        {"ts_us", SLUICE_TYPE_INT64, true},
        {"ts_ns", SLUICE_TYPE_INT64, true}}) {
    absl::StatusOr<const sluice_schema*> field = host_.Schema(SchemaOf(type, optional));
    if (!field.ok()) return field.status();
    envelope.fields.emplace_back(name, *field);
  }
  built = host_.Schema(envelope);
  if (!built.ok()) return built.status();
  schema->envelope = *built;
  return schema;
}

absl::StatusOr<const sluice_schema*> TableSchemaBuilder::FieldSchema(const ColumnDef& def,
                                                                     bool force_required,
                                                                     const ColumnPolicy* policy) {
  const bool optional = def.optional && !force_required;
  SchemaArgs args = SchemaOf(SLUICE_TYPE_STRING, optional);
  switch (def.kind) {
    case FieldKind::kInt16:
      args.type = SLUICE_TYPE_INT16;
      break;
    case FieldKind::kInt32:
      args.type = SLUICE_TYPE_INT32;
      break;
    case FieldKind::kInt64:
      args.type = SLUICE_TYPE_INT64;
      break;
    case FieldKind::kBitBoolean:
      args.type = SLUICE_TYPE_BOOLEAN;
      break;
    case FieldKind::kFloat32:
      args.type = SLUICE_TYPE_FLOAT32;
      break;
    case FieldKind::kFloat64:
    case FieldKind::kDecimalDouble:
      args.type = SLUICE_TYPE_FLOAT64;
      break;
    case FieldKind::kUnsignedBigintDecimal:
    case FieldKind::kDecimal:
      args.type = SLUICE_TYPE_BYTES;
      args.name = "org.apache.kafka.connect.data.Decimal";
      args.version = 1;
      if (def.kind == FieldKind::kUnsignedBigintDecimal) {
        args.parameters = {{"scale", "0"}, {"connect.decimal.precision", "20"}};
      } else {
        args.parameters = {{"scale", absl::StrCat(def.scale)},
                           {"connect.decimal.precision", absl::StrCat(def.precision)}};
      }
      break;
    case FieldKind::kDecimalString:
    case FieldKind::kText:
      break;
    case FieldKind::kBinary:
      args.type = def.binary_mode == BinaryMode::kBytes ? SLUICE_TYPE_BYTES : SLUICE_TYPE_STRING;
      break;
    case FieldKind::kEnum:
      args.name = "io.debezium.data.Enum";
      args.version = 1;
      args.parameters = {{"allowed", def.allowed}};
      break;
    case FieldKind::kSet:
      args.name = "io.debezium.data.EnumSet";
      args.version = 1;
      args.parameters = {{"allowed", def.allowed}};
      break;
    case FieldKind::kJson:
      args.name = "io.debezium.data.Json";
      args.version = 1;
      break;
    case FieldKind::kBits:
      args.type = SLUICE_TYPE_BYTES;
      args.name = "io.debezium.data.Bits";
      args.version = 1;
      args.parameters = {{"length", absl::StrCat(def.bit_length)}};
      break;
    case FieldKind::kDate:
      args = SchemaOf(SLUICE_TYPE_INT32, optional, "io.debezium.time.Date", 1);
      break;
    case FieldKind::kConnectDate:
      args = SchemaOf(SLUICE_TYPE_INT32, optional, "org.apache.kafka.connect.data.Date", 1);
      break;
    case FieldKind::kMicroTime:
      args = SchemaOf(SLUICE_TYPE_INT64, optional, "io.debezium.time.MicroTime", 1);
      break;
    case FieldKind::kConnectTime:
      args = SchemaOf(SLUICE_TYPE_INT32, optional, "org.apache.kafka.connect.data.Time", 1);
      break;
    case FieldKind::kTimestampMs:
      args = SchemaOf(SLUICE_TYPE_INT64, optional, "io.debezium.time.Timestamp", 1);
      break;
    case FieldKind::kMicroTimestamp:
      args = SchemaOf(SLUICE_TYPE_INT64, optional, "io.debezium.time.MicroTimestamp", 1);
      break;
    case FieldKind::kConnectTimestamp:
      args = SchemaOf(SLUICE_TYPE_INT64, optional, "org.apache.kafka.connect.data.Timestamp", 1);
      break;
    case FieldKind::kZonedTimestamp:
      args = SchemaOf(SLUICE_TYPE_STRING, optional, "io.debezium.time.ZonedTimestamp", 1);
      break;
    case FieldKind::kYear:
      args = SchemaOf(SLUICE_TYPE_INT32, optional, "io.debezium.time.Year", 1);
      break;
    case FieldKind::kGeometry:
    case FieldKind::kPoint: {
      if (policy == nullptr) return GeometrySchema(def.kind == FieldKind::kPoint, optional);
      // A policy's parameters make it a schema of its own.
      absl::StatusOr<SchemaArgs> geometry = GeometryArgs(def.kind == FieldKind::kPoint, optional);
      if (!geometry.ok()) return geometry.status();
      policy->AddSchemaParameters(def, &geometry->parameters);
      return host_.Schema(*geometry);
    }
    case FieldKind::kFloatVector: {
      // Debezium's io.debezium.data.FloatVector: an array of float32, version 1.
      absl::StatusOr<const sluice_schema*> element =
          host_.Schema(SchemaOf(SLUICE_TYPE_FLOAT32, false));
      if (!element.ok()) return element.status();
      args = SchemaOf(SLUICE_TYPE_ARRAY, optional, "io.debezium.data.FloatVector", 1);
      args.items = *element;
      break;
    }
  }
  if (policy != nullptr) policy->AddSchemaParameters(def, &args.parameters);
  // The column's DEFAULT, as Debezium declares it in the field's schema.
  Scratch scratch;
  absl::StatusOr<std::optional<sluice_datum>> default_value = DefaultDatum(def, scratch);
  if (!default_value.ok()) {
    return absl::Status(default_value.status().code(),
                        absl::StrCat("column `", def.name, "`: its DEFAULT ",
                                     *def.default_value, " does not convert: ",
                                     default_value.status().message()));
  }
  if (default_value->has_value()) args.default_value = &**default_value;
  return host_.Schema(args);
}

absl::StatusOr<const sluice_schema*> TableSchemaBuilder::GeometrySchema(bool point, bool optional) {
  const sluice_schema*& cached = geometry_[point ? 1 : 0][optional ? 1 : 0];
  if (cached != nullptr) return cached;
  absl::StatusOr<SchemaArgs> geometry = GeometryArgs(point, optional);
  if (!geometry.ok()) return geometry.status();
  absl::StatusOr<const sluice_schema*> built = host_.Schema(*geometry);
  if (!built.ok()) return built.status();
  cached = *built;
  return cached;
}

absl::StatusOr<SchemaArgs> TableSchemaBuilder::GeometryArgs(bool point, bool optional) {
  // Debezium's io.debezium.data.geometry.Geometry {wkb, srid} and, for POINT columns,
  // ...geometry.Point {x, y, wkb, srid}, with their docs.
  absl::StatusOr<const sluice_schema*> wkb = host_.Schema(SchemaOf(SLUICE_TYPE_BYTES, point));
  if (!wkb.ok()) return wkb.status();
  absl::StatusOr<const sluice_schema*> srid = host_.Schema(SchemaOf(SLUICE_TYPE_INT32, true));
  if (!srid.ok()) return srid.status();
  SchemaArgs geometry = SchemaOf(
      SLUICE_TYPE_STRUCT, optional,
      point ? "io.debezium.data.geometry.Point" : "io.debezium.data.geometry.Geometry", 1);
  geometry.doc = point ? "Geometry (POINT)" : "Geometry";
  if (point) {
    absl::StatusOr<const sluice_schema*> coordinate =
        host_.Schema(SchemaOf(SLUICE_TYPE_FLOAT64, false));
    if (!coordinate.ok()) return coordinate.status();
    geometry.fields = {{"x", *coordinate}, {"y", *coordinate}};
  }
  geometry.fields.emplace_back("wkb", *wkb);
  geometry.fields.emplace_back("srid", *srid);
  return geometry;
}

}  // namespace sluice::mysql
