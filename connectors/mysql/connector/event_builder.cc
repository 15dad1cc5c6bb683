#include "connectors/mysql/connector/event_builder.h"

#include <time.h>

#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/binlog_value.h"
#include "connectors/mysql/connector/text_value.h"

namespace sluice::mysql {
namespace {

constexpr char kVersion[] = "3.0.0.Final-sluice";

// Source block fields, in Debezium's order.
enum SourceField : uint32_t {
  kSrcVersion,
  kSrcConnector,
  kSrcName,
  kSrcTsMs,
  kSrcSnapshot,
  kSrcDb,
  kSrcSequence,
  kSrcTsUs,
  kSrcTsNs,
  kSrcTable,
  kSrcServerId,
  kSrcGtid,
  kSrcFile,
  kSrcPos,
  kSrcRow,
  kSrcThread,
  kSrcQuery
};
// Envelope fields, in FORMATS.md's (Debezium 3.x's) order: transaction last. (Debezium 2.7.4,
// the live capture in tests/reference/debezium, put it before op.)
enum EnvelopeField : uint32_t {
  kEnvBefore,
  kEnvAfter,
  kEnvSource,
  kEnvOp,
  kEnvTsMs,
  kEnvTsUs,
  kEnvTsNs,
  kEnvTransaction
};

int64_t NowNanos() {
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

SchemaArgs Primitive(sluice_type type, bool optional, std::string name = "", int version = -1) {
  SchemaArgs args;
  args.type = type;
  args.optional = optional;
  args.name = std::move(name);
  args.version = version;
  return args;
}

bool SameColumnValue(const binlog::ColumnValue& a, const binlog::ColumnValue& b) {
  using binlog::ValueKind;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kAbsent:
    case ValueKind::kNull:
      return true;
    case ValueKind::kSigned:
    case ValueKind::kYear:
      return a.i64() == b.i64();
    case ValueKind::kUnsigned:
    case ValueKind::kEnum:
    case ValueKind::kSet:
      return a.u64() == b.u64();
    case ValueKind::kFloat:
      return a.f32() == b.f32();
    case ValueKind::kDouble:
      return a.f64() == b.f64();
    case ValueKind::kDate: {
      auto x = a.date(), y = b.date();
      return x.year == y.year && x.month == y.month && x.day == y.day;
    }
    case ValueKind::kTime:
      return a.time().ToMicros() == b.time().ToMicros();
    case ValueKind::kDateTime: {
      auto x = a.datetime(), y = b.datetime();
      return x.year == y.year && x.month == y.month && x.day == y.day && x.hour == y.hour &&
             x.minute == y.minute && x.second == y.second && x.micros == y.micros;
    }
    case ValueKind::kTimestamp:
      return a.timestamp().seconds == b.timestamp().seconds &&
             a.timestamp().micros == b.timestamp().micros;
    case ValueKind::kDecimal: {
      auto x = a.decimal().raw(), y = b.decimal().raw();
      return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size()) == 0;
    }
    default: {
      auto x = a.bytes(), y = b.bytes();
      return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size()) == 0);
    }
  }
}

}  // namespace

absl::StatusOr<sluice_datum> BinlogRow::Datum(const TableSchema& schema, size_t field,
                                              Scratch& scratch) {
  return DatumFromBinlog(image_[schema.source_columns[field]], schema.defs[field], scratch);
}

bool BinlogRow::GeometryOf(const TableSchema& schema, size_t field, absl::Span<const uint8_t>* wkb,
                           int32_t* srid) {
  const binlog::ColumnValue& value = image_[schema.source_columns[field]];
  if (value.kind() != binlog::ValueKind::kGeometry) return false;
  *wkb = absl::Span<const uint8_t>(value.bytes().data(), value.bytes().size());
  *srid = static_cast<int32_t>(value.srid());
  return true;
}

EventBuilder::EventBuilder(const Host& host, const ConnectorConfig& config)
    : host_(host),
      api_(host.api()),
      config_(config),
      can_copy_structs_(SLUICE_HAS_MEMBER(api_, sluice_host_api, struct_copy) &&
                        api_->struct_copy != nullptr) {}

absl::StatusOr<const sluice_schema*> EventBuilder::FieldSchema(const ColumnDef& def,
                                                               bool force_required) {
  const bool optional = def.optional && !force_required;
  SchemaArgs args = Primitive(SLUICE_TYPE_STRING, optional);
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
    case FieldKind::kBoolean:
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
      args = Primitive(SLUICE_TYPE_INT32, optional, "io.debezium.time.Date", 1);
      break;
    case FieldKind::kConnectDate:
      args = Primitive(SLUICE_TYPE_INT32, optional, "org.apache.kafka.connect.data.Date", 1);
      break;
    case FieldKind::kMicroTime:
      args = Primitive(SLUICE_TYPE_INT64, optional, "io.debezium.time.MicroTime", 1);
      break;
    case FieldKind::kConnectTime:
      args = Primitive(SLUICE_TYPE_INT32, optional, "org.apache.kafka.connect.data.Time", 1);
      break;
    case FieldKind::kTimestampMs:
      args = Primitive(SLUICE_TYPE_INT64, optional, "io.debezium.time.Timestamp", 1);
      break;
    case FieldKind::kMicroTimestamp:
      args = Primitive(SLUICE_TYPE_INT64, optional, "io.debezium.time.MicroTimestamp", 1);
      break;
    case FieldKind::kConnectTimestamp:
      args = Primitive(SLUICE_TYPE_INT64, optional, "org.apache.kafka.connect.data.Timestamp", 1);
      break;
    case FieldKind::kZonedTimestamp:
      args = Primitive(SLUICE_TYPE_STRING, optional, "io.debezium.time.ZonedTimestamp", 1);
      break;
    case FieldKind::kYear:
      args = Primitive(SLUICE_TYPE_INT32, optional, "io.debezium.time.Year", 1);
      break;
    case FieldKind::kGeometry:
    case FieldKind::kPoint: {
      const bool point = def.kind == FieldKind::kPoint;
      const sluice_schema*& cached = geometry_[point ? 1 : 0][optional ? 1 : 0];
      if (cached == nullptr) {
        // Debezium's io.debezium.data.geometry.Geometry {wkb, srid} and, for POINT columns,
        // ...geometry.Point {x, y, wkb, srid}, with their docs.
        absl::StatusOr<const sluice_schema*> wkb =
            host_.Schema(Primitive(SLUICE_TYPE_BYTES, point));
        if (!wkb.ok()) return wkb.status();
        absl::StatusOr<const sluice_schema*> srid =
            host_.Schema(Primitive(SLUICE_TYPE_INT32, true));
        if (!srid.ok()) return srid.status();
        SchemaArgs geometry = Primitive(
            SLUICE_TYPE_STRUCT, optional,
            point ? "io.debezium.data.geometry.Point" : "io.debezium.data.geometry.Geometry", 1);
        geometry.doc = point ? "Geometry (POINT)" : "Geometry";
        if (point) {
          absl::StatusOr<const sluice_schema*> coordinate =
              host_.Schema(Primitive(SLUICE_TYPE_FLOAT64, false));
          if (!coordinate.ok()) return coordinate.status();
          geometry.fields = {{"x", *coordinate}, {"y", *coordinate}};
        }
        geometry.fields.emplace_back("wkb", *wkb);
        geometry.fields.emplace_back("srid", *srid);
        absl::StatusOr<const sluice_schema*> built = host_.Schema(geometry);
        if (!built.ok()) return built.status();
        cached = *built;
      }
      return cached;
    }
  }
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

absl::Status EventBuilder::EnsureSourceSchema() {
  if (source_schema_ != nullptr) return absl::OkStatus();
  // The source block and the transaction block, shared by every table.
  const sluice_datum snapshot_default = sluice_datum_string("false", 5);
  SchemaArgs snapshot = Primitive(SLUICE_TYPE_STRING, true, "io.debezium.data.Enum", 1);
  snapshot.parameters = {{"allowed",
                          "true,first,first_in_data_collection,last_in_data_collection,last,false,"
                          "incremental"}};
  snapshot.default_value = &snapshot_default;
  std::vector<std::pair<std::string, SchemaArgs>> specs = {
      {"version", Primitive(SLUICE_TYPE_STRING, false)},
      {"connector", Primitive(SLUICE_TYPE_STRING, false)},
      {"name", Primitive(SLUICE_TYPE_STRING, false)},
      {"ts_ms", Primitive(SLUICE_TYPE_INT64, false)},
      {"snapshot", snapshot},
      {"db", Primitive(SLUICE_TYPE_STRING, false)},
      {"sequence", Primitive(SLUICE_TYPE_STRING, true)},
      {"ts_us", Primitive(SLUICE_TYPE_INT64, true)},
      {"ts_ns", Primitive(SLUICE_TYPE_INT64, true)},
      {"table", Primitive(SLUICE_TYPE_STRING, true)},
      {"server_id", Primitive(SLUICE_TYPE_INT64, false)},
      {"gtid", Primitive(SLUICE_TYPE_STRING, true)},
      {"file", Primitive(SLUICE_TYPE_STRING, false)},
      {"pos", Primitive(SLUICE_TYPE_INT64, false)},
      {"row", Primitive(SLUICE_TYPE_INT32, false)},
      {"thread", Primitive(SLUICE_TYPE_INT64, true)},
      {"query", Primitive(SLUICE_TYPE_STRING, true)},
  };
  SchemaArgs source = Primitive(SLUICE_TYPE_STRUCT, false,
                                absl::StrCat("io.debezium.connector.", config_.flavor, ".Source"));
  for (const auto& [name, spec] : specs) {
    absl::StatusOr<const sluice_schema*> field = host_.Schema(spec);
    if (!field.ok()) return field.status();
    source.fields.emplace_back(name, *field);
  }
  absl::StatusOr<const sluice_schema*> built = host_.Schema(source);
  if (!built.ok()) return built.status();
  source_schema_ = *built;

  SchemaArgs transaction = Primitive(SLUICE_TYPE_STRUCT, true, "event.block", 1);
  for (auto [name, type] : {std::pair<const char*, sluice_type>{"id", SLUICE_TYPE_STRING},
                            {"total_order", SLUICE_TYPE_INT64},
                            {"data_collection_order", SLUICE_TYPE_INT64}}) {
    absl::StatusOr<const sluice_schema*> field = host_.Schema(Primitive(type, false));
    if (!field.ok()) return field.status();
    transaction.fields.emplace_back(name, *field);
  }
  built = host_.Schema(transaction);
  if (!built.ok()) return built.status();
  transaction_schema_ = *built;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<TableSchema>> EventBuilder::BuildTable(
    const std::string& db, const std::string& table, std::vector<ColumnDef> defs,
    std::vector<int> source_columns, std::vector<int> key_fields) {
  absl::Status status = EnsureSourceSchema();
  if (!status.ok()) return status;

  auto schema = std::make_unique<TableSchema>();
  schema->db = db;
  schema->table = table;
  const std::string base = absl::StrCat(config_.topic_prefix, ".", db, ".", table);
  schema->topic = base;
  schema->defs = std::move(defs);
  schema->source_columns = std::move(source_columns);
  schema->key_fields = std::move(key_fields);

  SchemaArgs value = Primitive(SLUICE_TYPE_STRUCT, true, base + ".Value");
  for (const ColumnDef& def : schema->defs) {
    absl::StatusOr<const sluice_schema*> field = FieldSchema(def, false);
    if (!field.ok()) return field.status();
    value.fields.emplace_back(def.name, *field);
  }
  absl::StatusOr<const sluice_schema*> built = host_.Schema(value);
  if (!built.ok()) return built.status();
  schema->value = *built;

  if (!schema->key_fields.empty()) {
    SchemaArgs key = Primitive(SLUICE_TYPE_STRUCT, false, base + ".Key");
    for (int index : schema->key_fields) {
      absl::StatusOr<const sluice_schema*> field = FieldSchema(schema->defs[index], true);
      if (!field.ok()) return field.status();
      key.fields.emplace_back(schema->defs[index].name, *field);
    }
    built = host_.Schema(key);
    if (!built.ok()) return built.status();
    schema->key = *built;
  }

  SchemaArgs envelope = Primitive(SLUICE_TYPE_STRUCT, false, base + ".Envelope", 2);
  envelope.fields = {
      {"before", schema->value}, {"after", schema->value}, {"source", source_schema_}};
  for (auto [name, type, optional] :
       {std::tuple<const char*, sluice_type, bool>{"op", SLUICE_TYPE_STRING, false},
        {"ts_ms", SLUICE_TYPE_INT64, true},
        {"ts_us", SLUICE_TYPE_INT64, true},
        {"ts_ns", SLUICE_TYPE_INT64, true}}) {
    absl::StatusOr<const sluice_schema*> field = host_.Schema(Primitive(type, optional));
    if (!field.ok()) return field.status();
    envelope.fields.emplace_back(name, *field);
  }
  envelope.fields.emplace_back("transaction", transaction_schema_);
  built = host_.Schema(envelope);
  if (!built.ok()) return built.status();
  schema->envelope = *built;
  return schema;
}

absl::StatusOr<sluice_value*> EventBuilder::BuildStruct(sluice_batch* batch,
                                                        const TableSchema& schema, RowSource* row,
                                                        bool key) {
  sluice_value* value = api_->struct_new(batch, key ? schema.key : schema.value);
  if (value == nullptr) return absl::InternalError("struct_new refused a table schema");
  const size_t count = key ? schema.key_fields.size() : schema.defs.size();
  for (size_t i = 0; i < count; ++i) {
    const size_t field = key ? static_cast<size_t>(schema.key_fields[i]) : i;
    sluice_datum datum;
    const FieldKind kind = schema.defs[field].kind;
    if (kind == FieldKind::kGeometry || kind == FieldKind::kPoint) {
      absl::Span<const uint8_t> wkb;
      int32_t srid = 0;
      if (!row->GeometryOf(schema, field, &wkb, &srid)) {
        datum = sluice_datum_null();
      } else {
        const bool point = kind == FieldKind::kPoint;
        const sluice_schema* geometry_schema =
            geometry_[point ? 1 : 0][schema.defs[field].optional && !key];
        sluice_value* geometry = api_->struct_new(batch, geometry_schema);
        if (geometry == nullptr) return absl::InternalError("struct_new refused Geometry");
        uint32_t next = 0;
        if (point) {
          double x = 0, y = 0;
          (void)PointCoordinates(wkb, &x, &y);
          sluice_datum x_datum = sluice_datum_float(x), y_datum = sluice_datum_float(y);
          api_->struct_set(geometry, next++, &x_datum);
          api_->struct_set(geometry, next++, &y_datum);
        }
        sluice_datum wkb_datum = sluice_datum_bytes(wkb.data(), wkb.size());
        // SRID 0 (none given) is null, as Debezium writes it.
        sluice_datum srid_datum = srid != 0 ? sluice_datum_int(srid) : sluice_datum_null();
        api_->struct_set(geometry, next++, &wkb_datum);
        api_->struct_set(geometry, next++, &srid_datum);
        datum = sluice_datum_value(geometry);
      }
    } else {
      absl::StatusOr<sluice_datum> converted = row->Datum(schema, field, scratch_);
      if (!converted.ok()) {
        return absl::Status(converted.status().code(),
                            absl::StrCat("table `", schema.db, ".", schema.table,
                                         "`: ", converted.status().message()));
      }
      datum = *converted;
    }
    // Errors are sticky in the batch and reported by record_append.
    api_->struct_set(value, static_cast<uint32_t>(i), &datum);
  }
  return value;
}

sluice_value* EventBuilder::BuildSource(sluice_batch* batch, const std::string& db,
                                        const std::string* table, const SourcePosition& source) {
  if (last_source_.Matches(batch, db, table, source)) {
    sluice_value* copy = api_->struct_copy(last_source_.value);
    if (copy == nullptr) return nullptr;
    const sluice_datum row = sluice_datum_int(source.row);
    api_->struct_set(copy, kSrcRow, &row);
    return copy;
  }
  sluice_value* value = api_->struct_new(batch, source_schema_);
  if (value == nullptr) return nullptr;
  auto set = [&](uint32_t field, sluice_datum datum) { api_->struct_set(value, field, &datum); };
  auto text = [](absl::string_view s) { return sluice_datum_string(s.data(), s.size()); };
  set(kSrcVersion, text(kVersion));
  set(kSrcConnector, text(config_.flavor));
  set(kSrcName, text(config_.topic_prefix));
  set(kSrcTsMs, sluice_datum_int(source.ts_sec * 1000));
  set(kSrcSnapshot, source.snapshot != nullptr ? text(source.snapshot) : text("false"));
  set(kSrcDb, text(db));
  set(kSrcTsUs, sluice_datum_int(source.ts_sec * 1000000));
  set(kSrcTsNs, sluice_datum_int(source.ts_sec * 1000000000));
  if (table != nullptr) set(kSrcTable, text(*table));
  set(kSrcServerId, sluice_datum_int(source.server_id));
  if (!source.gtid.empty()) set(kSrcGtid, text(source.gtid));
  set(kSrcFile, text(source.file));
  set(kSrcPos, sluice_datum_int(source.pos));
  set(kSrcRow, sluice_datum_int(source.row));
  if (can_copy_structs_) {
    last_source_.value = value;
    last_source_.batch = batch;
    last_source_.db = db;
    last_source_.has_table = table != nullptr;
    if (table != nullptr) last_source_.table = *table;
    last_source_.file = source.file;
    last_source_.pos = source.pos;
    last_source_.ts_sec = source.ts_sec;
    last_source_.server_id = source.server_id;
    last_source_.gtid = source.gtid;
    last_source_.snapshot = source.snapshot;
  }
  return value;
}

sluice_value* EventBuilder::BuildEnvelope(sluice_batch* batch, const TableSchema& schema,
                                          sluice_value* before, sluice_value* after,
                                          sluice_value* source, char op,
                                          const TransactionInfo* transaction) {
  sluice_value* value = api_->struct_new(batch, schema.envelope);
  if (value == nullptr) return nullptr;
  auto set = [&](uint32_t field, sluice_datum datum) { api_->struct_set(value, field, &datum); };
  if (before != nullptr) set(kEnvBefore, sluice_datum_value(before));
  if (after != nullptr) set(kEnvAfter, sluice_datum_value(after));
  set(kEnvSource, sluice_datum_value(source));
  set(kEnvOp, sluice_datum_string(&op, 1));
  const int64_t now = NowNanos();
  set(kEnvTsMs, sluice_datum_int(now / 1000000));
  set(kEnvTsUs, sluice_datum_int(now / 1000));
  set(kEnvTsNs, sluice_datum_int(now));
  if (transaction != nullptr) {
    sluice_value* block = api_->struct_new(batch, transaction_schema_);
    if (block != nullptr) {
      sluice_datum id = sluice_datum_string(transaction->id.data(), transaction->id.size());
      api_->struct_set(block, 0, &id);
      sluice_datum total = sluice_datum_int(transaction->total_order);
      api_->struct_set(block, 1, &total);
      sluice_datum order = sluice_datum_int(transaction->data_collection_order);
      api_->struct_set(block, 2, &order);
      set(kEnvTransaction, sluice_datum_value(block));
    }
  }
  return value;
}

absl::Status EventBuilder::AppendRecord(sluice_batch* batch, const std::string& topic,
                                        int32_t kafka_partition, const sluice_schema* key_schema,
                                        sluice_value* key, const sluice_schema* value_schema,
                                        sluice_value* value, const sluice_header* header,
                                        const OffsetState& offset, absl::string_view what) {
  sluice_scalar_entry partition{};
  partition.key = Str("server");
  partition.kind = SLUICE_SCALAR_STRING;
  partition.u.str = Str(config_.topic_prefix);
  sluice_scalar_entry entries[8];
  const size_t count = OffsetEntries(offset, entries);

  sluice_record_spec record{};
  record.struct_size = sizeof(record);
  record.topic = Str(topic);
  record.partition = kafka_partition;
  if (key != nullptr) {
    record.key_schema = key_schema;
    record.key = sluice_datum_value(key);
  } else {
    record.key = sluice_datum_null();
  }
  if (value != nullptr) {
    record.value_schema = value_schema;
    record.value = sluice_datum_value(value);
  } else {
    record.value = sluice_datum_null();
  }
  record.timestamp_ms = -1;
  record.headers = header;
  record.header_count = header != nullptr ? 1 : 0;
  record.source_partition = sluice_scalar_map{&partition, 1};
  record.source_offset = sluice_scalar_map{entries, count};
  sluice_status status = api_->record_append(batch, &record);
  if (status != SLUICE_OK) {
    return absl::Status(static_cast<absl::StatusCode>(status),
                        absl::StrCat(what, " was refused by the worker (see its log)"));
  }
  return absl::OkStatus();
}

absl::Status EventBuilder::Append(sluice_batch* batch, const TableSchema& schema, sluice_value* key,
                                  sluice_value* value, const sluice_header* header,
                                  const OffsetState& offset, bool keyless_record) {
  return AppendRecord(batch, schema.topic, -1, schema.key, keyless_record ? nullptr : key,
                      schema.envelope, value, header, offset,
                      absl::StrCat("a record for table `", schema.db, ".", schema.table, "`"));
}

bool EventBuilder::SameKey(const TableSchema& schema, RowSource* a, RowSource* b) {
  auto* x = dynamic_cast<BinlogRow*>(a);
  auto* y = dynamic_cast<BinlogRow*>(b);
  if (x == nullptr || y == nullptr) return true;
  for (int field : schema.key_fields) {
    const int column = schema.source_columns[field];
    if (!SameColumnValue(x->image()[column], y->image()[column])) return false;
  }
  return true;
}

absl::Status EventBuilder::Change(sluice_batch* batch, const TableSchema& schema, char op,
                                  RowSource* before, RowSource* after, const SourcePosition& source,
                                  const OffsetState& pending, const OffsetState& done) {
  const bool keyed = schema.key != nullptr;
  if (op == 'u' && keyed && !SameKey(schema, before, after)) {
    // The primary key changed: a delete of the old key, its tombstone, a create of the new key.
    absl::StatusOr<sluice_value*> old_key = BuildStruct(batch, schema, before, true);
    if (!old_key.ok()) return old_key.status();
    absl::StatusOr<sluice_value*> new_key = BuildStruct(batch, schema, after, true);
    if (!new_key.ok()) return new_key.status();
    absl::StatusOr<sluice_value*> old_row = BuildStruct(batch, schema, before, false);
    if (!old_row.ok()) return old_row.status();
    absl::StatusOr<sluice_value*> new_row = BuildStruct(batch, schema, after, false);
    if (!new_row.ok()) return new_row.status();
    sluice_header header{Str("__debezium.newkey"), schema.key, sluice_datum_value(*new_key)};
    sluice_value* envelope =
        BuildEnvelope(batch, schema, *old_row, nullptr, BuildSource(batch, schema, source), 'd',
                      source.transaction);
    absl::Status status = Append(batch, schema, *old_key, envelope, &header, pending);
    if (!status.ok()) return status;
    if (config_.tombstones_on_delete) {
      status = Append(batch, schema, *old_key, nullptr, &header, pending);
      if (!status.ok()) return status;
    }
    header = sluice_header{Str("__debezium.oldkey"), schema.key, sluice_datum_value(*old_key)};
    envelope = BuildEnvelope(batch, schema, nullptr, *new_row, BuildSource(batch, schema, source),
                             'c', source.transaction);
    return Append(batch, schema, *new_key, envelope, &header, done);
  }

  RowSource* key_row = after != nullptr ? after : before;
  sluice_value* key = nullptr;
  if (keyed) {
    absl::StatusOr<sluice_value*> built = BuildStruct(batch, schema, key_row, true);
    if (!built.ok()) return built.status();
    key = *built;
  }
  sluice_value* before_value = nullptr;
  sluice_value* after_value = nullptr;
  if (before != nullptr) {
    absl::StatusOr<sluice_value*> built = BuildStruct(batch, schema, before, false);
    if (!built.ok()) return built.status();
    before_value = *built;
  }
  if (after != nullptr) {
    absl::StatusOr<sluice_value*> built = BuildStruct(batch, schema, after, false);
    if (!built.ok()) return built.status();
    after_value = *built;
  }
  sluice_value* envelope =
      BuildEnvelope(batch, schema, before_value, after_value, BuildSource(batch, schema, source),
                    op, source.transaction);
  if (op == 'd' && config_.tombstones_on_delete) {
    absl::Status status = Append(batch, schema, key, envelope, nullptr, pending);
    if (!status.ok()) return status;
    return Append(batch, schema, key, nullptr, nullptr, done);
  }
  return Append(batch, schema, key, envelope, nullptr, done);
}

absl::Status EventBuilder::Truncate(sluice_batch* batch, const TableSchema& schema,
                                    const SourcePosition& source, const OffsetState& done) {
  sluice_value* envelope = BuildEnvelope(
      batch, schema, nullptr, nullptr, BuildSource(batch, schema, source), 't', source.transaction);
  return Append(batch, schema, nullptr, envelope, nullptr, done, /*keyless_record=*/true);
}

absl::Status EventBuilder::EnsureSchemaChangeSchemas() {
  if (schema_change_key_ != nullptr) return absl::OkStatus();
  absl::Status status = EnsureSourceSchema();
  if (!status.ok()) return status;
  // As Debezium 2.7's ConnectTableChangeSerializer declares them (checked against a live capture:
  // tests/reference/debezium/ref.jsonl).
  std::vector<const sluice_schema*> made;
  auto make = [&](const SchemaArgs& args) -> const sluice_schema* {
    absl::StatusOr<const sluice_schema*> built = host_.Schema(args);
    if (!built.ok()) {
      if (status.ok()) status = built.status();
      return nullptr;
    }
    return *built;
  };
  const sluice_schema* text = make(Primitive(SLUICE_TYPE_STRING, false));
  const sluice_schema* optional_text = make(Primitive(SLUICE_TYPE_STRING, true));
  const sluice_schema* int32 = make(Primitive(SLUICE_TYPE_INT32, false));
  const sluice_schema* optional_int32 = make(Primitive(SLUICE_TYPE_INT32, true));
  const sluice_schema* optional_boolean = make(Primitive(SLUICE_TYPE_BOOLEAN, true));
  const sluice_schema* ts = make(Primitive(SLUICE_TYPE_INT64, false));
  SchemaArgs names = Primitive(SLUICE_TYPE_ARRAY, true);
  names.items = text;
  const sluice_schema* optional_names = make(names);
  if (!status.ok()) return status;

  SchemaArgs column = Primitive(SLUICE_TYPE_STRUCT, false, "io.debezium.connector.schema.Column", 1);
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
  table_column_ = make(column);
  SchemaArgs columns = Primitive(SLUICE_TYPE_ARRAY, false);
  columns.items = table_column_;
  table_columns_ = make(columns);
  table_names_ = optional_names;
  SchemaArgs table = Primitive(SLUICE_TYPE_STRUCT, true, "io.debezium.connector.schema.Table", 1);
  table.fields = {{"defaultCharsetName", optional_text},
                  {"primaryKeyColumnNames", optional_names},
                  {"columns", table_columns_},
                  {"comment", optional_text}};
  table_ = make(table);
  SchemaArgs change = Primitive(SLUICE_TYPE_STRUCT, false, "io.debezium.connector.schema.Change", 1);
  change.fields = {{"type", text}, {"id", text}, {"table", table_}};
  table_change_ = make(change);
  SchemaArgs changes = Primitive(SLUICE_TYPE_ARRAY, false);
  changes.items = table_change_;
  schema_change_array_ = make(changes);

  SchemaArgs key = Primitive(SLUICE_TYPE_STRUCT, false,
                             absl::StrCat("io.debezium.connector.", config_.flavor, ".SchemaChangeKey"), 1);
  key.fields = {{"databaseName", text}};
  const sluice_schema* key_schema = make(key);
  SchemaArgs value = Primitive(
      SLUICE_TYPE_STRUCT, false,
      absl::StrCat("io.debezium.connector.", config_.flavor, ".SchemaChangeValue"), 1);
  value.fields = {{"source", source_schema_},       {"ts_ms", ts},
                  {"databaseName", optional_text}, {"schemaName", optional_text},
                  {"ddl", optional_text},          {"tableChanges", schema_change_array_}};
  schema_change_value_ = make(value);
  if (!status.ok()) return status;
  schema_change_key_ = key_schema;
  return absl::OkStatus();
}

sluice_value* EventBuilder::BuildTableChange(sluice_batch* batch, const TableChange& change) {
  auto text = [](absl::string_view s) { return sluice_datum_string(s.data(), s.size()); };
  auto set = [&](sluice_value* target, uint32_t field, sluice_datum datum) {
    api_->struct_set(target, field, &datum);
  };
  auto names = [&](const std::vector<std::string>& list) {
    sluice_value* array = api_->array_new(batch, table_names_, list.size());
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
  sluice_value* columns = api_->array_new(batch, table_columns_, structure.columns.size());
  for (const ColumnStructure& column : structure.columns) {
    sluice_value* item = api_->struct_new(batch, table_column_);
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

absl::Status EventBuilder::SchemaChange(sluice_batch* batch, const std::string& db,
                                        absl::string_view ddl, const SourcePosition& source,
                                        const OffsetState& offset, const std::string* table,
                                        absl::Span<const TableChange> changes) {
  absl::Status status = EnsureSchemaChangeSchemas();
  if (!status.ok()) return status;
  sluice_value* key = api_->struct_new(batch, schema_change_key_);
  sluice_value* value = api_->struct_new(batch, schema_change_value_);
  sluice_value* change_list = api_->array_new(batch, schema_change_array_, changes.size());
  sluice_value* source_value = BuildSource(batch, db, table, source);
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
  datum = sluice_datum_int(NowNanos() / 1000000);
  api_->struct_set(value, 1, &datum);
  api_->struct_set(value, 2, &db_datum);
  datum = sluice_datum_string(ddl.data(), ddl.size());
  api_->struct_set(value, 4, &datum);
  datum = sluice_datum_value(change_list);
  api_->struct_set(value, 5, &datum);

  return AppendRecord(batch, config_.topic_prefix, 0, schema_change_key_, key, schema_change_value_,
                      value, nullptr, offset, "a schema change record");
}

absl::Status EventBuilder::TransactionBoundary(
    sluice_batch* batch, bool begin, const std::string& id, int64_t event_count,
    const std::vector<std::pair<std::string, int64_t>>& collections, int64_t ts_ms,
    const OffsetState& offset) {
  if (txn_key_ == nullptr) {
    absl::StatusOr<const sluice_schema*> text = host_.Schema(Primitive(SLUICE_TYPE_STRING, false));
    absl::StatusOr<const sluice_schema*> count = host_.Schema(Primitive(SLUICE_TYPE_INT64, false));
    absl::StatusOr<const sluice_schema*> optional_count =
        host_.Schema(Primitive(SLUICE_TYPE_INT64, true));
    if (!text.ok() || !count.ok() || !optional_count.ok()) {
      return absl::InternalError("building the transaction metadata schemas failed");
    }
    SchemaArgs key =
        Primitive(SLUICE_TYPE_STRUCT, false, "io.debezium.connector.common.TransactionMetadataKey");
    key.fields = {{"id", *text}};
    absl::StatusOr<const sluice_schema*> built = host_.Schema(key);
    if (!built.ok()) return built.status();
    txn_key_ = *built;
    SchemaArgs collection = Primitive(
        SLUICE_TYPE_STRUCT, false, "io.debezium.connector.common.TransactionDataCollectionValue");
    collection.fields = {{"data_collection", *text}, {"event_count", *count}};
    built = host_.Schema(collection);
    if (!built.ok()) return built.status();
    txn_collection_ = *built;
    sluice_schema_spec array{};
    array.struct_size = sizeof(array);
    array.type = SLUICE_TYPE_ARRAY;
    array.optional = 1;
    array.value_schema = txn_collection_;
    if (api_->schema_create(host_.ctx(), &array, &txn_collections_) != SLUICE_OK) {
      return absl::InternalError("building the data_collections schema failed");
    }
    SchemaArgs value = Primitive(SLUICE_TYPE_STRUCT, false,
                                 "io.debezium.connector.common.TransactionMetadataValue");
    value.fields = {{"status", *text},
                    {"id", *text},
                    {"event_count", *optional_count},
                    {"data_collections", txn_collections_},
                    {"ts_ms", *count}};
    built = host_.Schema(value);
    if (!built.ok()) return built.status();
    txn_value_ = *built;
    txn_topic_ = absl::StrCat(config_.topic_prefix, ".transaction");
  }
  sluice_value* key = api_->struct_new(batch, txn_key_);
  sluice_value* value = api_->struct_new(batch, txn_value_);
  if (key == nullptr || value == nullptr) return absl::InternalError("struct_new refused");
  sluice_datum id_datum = sluice_datum_string(id.data(), id.size());
  api_->struct_set(key, 0, &id_datum);
  sluice_datum datum = begin ? sluice_datum_string("BEGIN", 5) : sluice_datum_string("END", 3);
  api_->struct_set(value, 0, &datum);
  api_->struct_set(value, 1, &id_datum);
  if (!begin) {
    datum = sluice_datum_int(event_count);
    api_->struct_set(value, 2, &datum);
    sluice_value* list = api_->array_new(batch, txn_collections_, collections.size());
    for (const auto& [name, count] : collections) {
      sluice_value* item = api_->struct_new(batch, txn_collection_);
      sluice_datum name_datum = sluice_datum_string(name.data(), name.size());
      api_->struct_set(item, 0, &name_datum);
      sluice_datum count_datum = sluice_datum_int(count);
      api_->struct_set(item, 1, &count_datum);
      sluice_datum item_datum = sluice_datum_value(item);
      api_->array_append(list, &item_datum);
    }
    datum = sluice_datum_value(list);
    api_->struct_set(value, 3, &datum);
  }
  datum = sluice_datum_int(ts_ms);
  api_->struct_set(value, 4, &datum);

  return AppendRecord(batch, txn_topic_, -1, txn_key_, key, txn_value_, value, nullptr, offset,
                      "a transaction record");
}

absl::Status EventBuilder::Heartbeat(sluice_batch* batch, const OffsetState& offset) {
  if (heartbeat_key_ == nullptr) {
    absl::StatusOr<const sluice_schema*> name = host_.Schema(Primitive(SLUICE_TYPE_STRING, false));
    if (!name.ok()) return name.status();
    SchemaArgs key =
        Primitive(SLUICE_TYPE_STRUCT, false, "io.debezium.connector.common.ServerNameKey");
    key.fields = {{"serverName", *name}};
    absl::StatusOr<const sluice_schema*> built = host_.Schema(key);
    if (!built.ok()) return built.status();
    heartbeat_key_ = *built;
    absl::StatusOr<const sluice_schema*> ts = host_.Schema(Primitive(SLUICE_TYPE_INT64, false));
    if (!ts.ok()) return ts.status();
    SchemaArgs value =
        Primitive(SLUICE_TYPE_STRUCT, false, "io.debezium.connector.common.Heartbeat");
    value.fields = {{"ts_ms", *ts}};
    built = host_.Schema(value);
    if (!built.ok()) return built.status();
    heartbeat_value_ = *built;
    heartbeat_topic_ = absl::StrCat("__debezium-heartbeat.", config_.topic_prefix);
  }
  sluice_value* key = api_->struct_new(batch, heartbeat_key_);
  sluice_value* value = api_->struct_new(batch, heartbeat_value_);
  if (key == nullptr || value == nullptr) return absl::InternalError("struct_new refused");
  sluice_datum name = sluice_datum_string(config_.topic_prefix.data(), config_.topic_prefix.size());
  api_->struct_set(key, 0, &name);
  sluice_datum ts = sluice_datum_int(NowNanos() / 1000000);
  api_->struct_set(value, 0, &ts);

  return AppendRecord(batch, heartbeat_topic_, -1, heartbeat_key_, key, heartbeat_value_, value, nullptr, offset,
                      "a heartbeat record");
}

size_t OffsetEntries(const OffsetState& offset, sluice_scalar_entry* entries) {
  size_t n = 0;
  auto add_int = [&](const char* key, int64_t value) {
    entries[n] = sluice_scalar_entry{};
    entries[n].key = sluice_str_of(key);
    entries[n].kind = SLUICE_SCALAR_INT;
    entries[n].u.i = value;
    ++n;
  };
  auto add_str = [&](const char* key, const std::string& value) {
    entries[n] = sluice_scalar_entry{};
    entries[n].key = sluice_str_of(key);
    entries[n].kind = SLUICE_SCALAR_STRING;
    entries[n].u.str = Str(value);
    ++n;
  };
  // Debezium's order: ts_sec, file, pos, gtids, row, server_id, event (snapshot while one runs).
  add_int("ts_sec", offset.ts_sec);
  add_str("file", offset.file);
  add_int("pos", offset.pos);
  if (!offset.gtids.empty()) add_str("gtids", offset.gtids);
  if (offset.row != 0) add_int("row", offset.row);
  if (offset.server_id != 0) add_int("server_id", offset.server_id);
  if (offset.event != 0) add_int("event", offset.event);
  if (offset.snapshot) {
    static const std::string kInitial = "INITIAL";
    add_str("snapshot", kInitial);
  }
  return n;
}

absl::StatusOr<OffsetState> ParseOffset(const sluice_scalar_map& map) {
  OffsetState offset;
  bool has_file = false, has_pos = false;
  for (size_t i = 0; i < map.count; ++i) {
    const sluice_scalar_entry& entry = map.entries[i];
    const std::string key(entry.key.ptr, entry.key.len);
    auto as_int = [&](int64_t* out) {
      if (entry.kind == SLUICE_SCALAR_INT) {
        *out = entry.u.i;
        return true;
      }
      if (entry.kind == SLUICE_SCALAR_STRING) {
        return absl::SimpleAtoi(absl::string_view(entry.u.str.ptr, entry.u.str.len), out);
      }
      return false;
    };
    auto as_str = [&]() {
      return entry.kind == SLUICE_SCALAR_STRING ? std::string(entry.u.str.ptr, entry.u.str.len)
                                                : std::string();
    };
    bool ok = true;
    if (key == "file") {
      offset.file = as_str();
      has_file = !offset.file.empty();
    } else if (key == "pos") {
      ok = as_int(&offset.pos);
      has_pos = ok;
    } else if (key == "gtids") {
      offset.gtids = as_str();
    } else if (key == "event") {
      ok = as_int(&offset.event);
    } else if (key == "row") {
      ok = as_int(&offset.row);
    } else if (key == "ts_sec") {
      ok = as_int(&offset.ts_sec);
    } else if (key == "server_id") {
      ok = as_int(&offset.server_id);
    } else if (key == "snapshot") {
      // "INITIAL" (Debezium 3.x) or true (older): a snapshot was running.
      offset.snapshot =
          entry.kind == SLUICE_SCALAR_BOOLEAN ? entry.u.b != 0 : entry.kind == SLUICE_SCALAR_STRING;
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the committed offset's `", key,
          "` is not a number; reset the connector's offset or correct it in the offsets topic"));
    }
  }
  if (!(has_file && has_pos) && offset.gtids.empty()) {
    return absl::InvalidArgumentError(
        "the committed offset has neither `file`/`pos` nor `gtids`; reset the connector's "
        "offset (write a null value for its key to the offsets topic)");
  }
  return offset;
}

}  // namespace sluice::mysql
