#include "connectors/mysql/connector/change_events.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/binlog_value.h"
#include "connectors/mysql/connector/clock.h"
#include "connectors/mysql/connector/record_append.h"

namespace sluice::mysql {
namespace {

// Envelope fields, in the order Debezium writes them (3.6.1's MySQL and 3.0.0's MariaDB connector
// alike, tests/reference/debezium): transaction before op.
enum EnvelopeField : uint32_t {
  kEnvBefore,
  kEnvAfter,
  kEnvSource,
  kEnvTransaction,
  kEnvOp,
  kEnvTsMs,
  kEnvTsUs,
  kEnvTsNs,
};

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

absl::StatusOr<sluice_datum> ChangeEvents::FloatVectorDatum(sluice_batch* batch,
                                                            const sluice_schema* schema,
                                                            const sluice_datum& bytes,
                                                            const std::string& column) {
  const size_t size = bytes.u.bytes.len;
  if (size % 4 != 0) {
    // Debezium logs a warning and writes an empty array; a VECTOR's bytes are whole floats, so
    // anything else is a damaged value and fails the task instead of passing as an empty one.
    return absl::DataLossError(absl::StrCat("VECTOR column `", column, "` holds ", size,
                                            " bytes, not a whole number of 4-byte floats"));
  }
  sluice_value* array = api_->array_new(batch, schema, size / 4);
  if (array == nullptr) return absl::InternalError("array_new refused FloatVector");
  const auto* p = bytes.u.bytes.ptr;
  for (size_t i = 0; i < size; i += 4) {
    // Little-endian IEEE 754 single precision, as MySQL stores VECTOR elements.
    const uint32_t bits = uint32_t{p[i]} | (uint32_t{p[i + 1]} << 8) |
                          (uint32_t{p[i + 2]} << 16) | (uint32_t{p[i + 3]} << 24);
    float element;
    std::memcpy(&element, &bits, sizeof element);
    sluice_datum datum = sluice_datum_float(element);
    // Errors are sticky in the batch and reported by record_append.
    (void)api_->array_append(array, &datum);
  }
  return sluice_datum_value(array);
}

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

absl::Status BinlogRow::CheckPresent(const TableSchema& schema, size_t field) {
  const binlog::ColumnValue& value = image_[schema.source_columns[field]];
  if (value.kind() != binlog::ValueKind::kAbsent) return absl::OkStatus();
  Scratch scratch;
  return DatumFromBinlog(value, schema.defs[field], scratch).status();
}

ChangeEvents::ChangeEvents(const Host& host, const ConnectorConfig& config, SourceBlock& source)
    : api_(host.api()), config_(config), source_(source) {}

absl::StatusOr<sluice_value*> ChangeEvents::BuildStruct(sluice_batch* batch,
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
      absl::Status present = row->CheckPresent(schema, field);
      if (!present.ok()) {
        return absl::Status(present.code(), absl::StrCat("table `", schema.db, ".", schema.table,
                                                         "`: ", present.message()));
      }
      absl::Span<const uint8_t> wkb;
      int32_t srid = 0;
      if (!row->GeometryOf(schema, field, &wkb, &srid)) {
        datum = sluice_datum_null();
      } else {
        const bool point = kind == FieldKind::kPoint;
        const sluice_schema* geometry_schema =
            key ? schema.key_field_schemas[i] : schema.value_fields[field];
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
      if (kind == FieldKind::kFloatVector && datum.kind == SLUICE_DATUM_BYTES) {
        absl::StatusOr<sluice_datum> vector = FloatVectorDatum(
            batch, key ? schema.key_field_schemas[i] : schema.value_fields[field], datum,
            schema.defs[field].name);
        if (!vector.ok()) {
          return absl::Status(vector.status().code(),
                              absl::StrCat("table `", schema.db, ".", schema.table,
                                           "`: ", vector.status().message()));
        }
        datum = *vector;
      }
    }
    // The column's policy (value fields only, as Debezium applies them); geometry and vectors
    // are not strings, which no policy changes.
    if (!key && !schema.policies.empty() && schema.policies[field].has_value() &&
        kind != FieldKind::kGeometry && kind != FieldKind::kPoint &&
        kind != FieldKind::kFloatVector) {
      datum = schema.policies[field]->Apply(datum, policy_text_);
    }
    // Errors are sticky in the batch and reported by record_append.
    api_->struct_set(value, static_cast<uint32_t>(i), &datum);
  }
  return value;
}

sluice_value* ChangeEvents::BuildEnvelope(sluice_batch* batch, const TableSchema& schema,
                                          sluice_value* before, sluice_value* after,
                                          const SourcePosition& source, char op, int64_t later) {
  sluice_value* source_value = source_.Build(batch, schema.db, &schema.table, source);
  if (source_value == nullptr) return nullptr;
  sluice_value* value = api_->struct_new(batch, schema.envelope);
  if (value == nullptr) return nullptr;
  auto set = [&](uint32_t field, sluice_datum datum) { api_->struct_set(value, field, &datum); };
  if (before != nullptr) set(kEnvBefore, sluice_datum_value(before));
  if (after != nullptr) set(kEnvAfter, sluice_datum_value(after));
  set(kEnvSource, sluice_datum_value(source_value));
  set(kEnvOp, sluice_datum_string(&op, 1));
  const int64_t now = WallClockNanos();
  set(kEnvTsMs, sluice_datum_int(now / 1000000));
  set(kEnvTsUs, sluice_datum_int(now / 1000));
  set(kEnvTsNs, sluice_datum_int(now));
  if (const TransactionInfo* transaction = source.transaction; transaction != nullptr) {
    sluice_value* block = api_->struct_new(batch, source_.transaction_schema());
    if (block != nullptr) {
      sluice_datum id = sluice_datum_string(transaction->id.data(), transaction->id.size());
      api_->struct_set(block, 0, &id);
      sluice_datum total = sluice_datum_int(transaction->total_order + later);
      api_->struct_set(block, 1, &total);
      sluice_datum order = sluice_datum_int(transaction->data_collection_order + later);
      api_->struct_set(block, 2, &order);
      set(kEnvTransaction, sluice_datum_value(block));
    }
  }
  return value;
}

absl::Status ChangeEvents::Append(sluice_batch* batch, const TableSchema& schema, sluice_value* key,
                                  sluice_value* value, const sluice_header* header,
                                  const OffsetState& offset, const SourcePosition& source,
                                  bool keyless_record) {
  const OutgoingRecord record{.topic = schema.topic,
                              .key_schema = schema.key,
                              .key = keyless_record ? nullptr : key,
                              .value_schema = schema.envelope,
                              .value = value,
                              .header = header,
                              .source_timestamp_ms =
                                  source.snapshot == nullptr ? source.ts_sec * 1000 : 0};
  return AppendRecord(api_, batch, config_.topic_prefix, record, offset, schema.record_name);
}

bool ChangeEvents::SameKey(const TableSchema& schema, RowSource* a, RowSource* b) {
  auto* x = dynamic_cast<BinlogRow*>(a);
  auto* y = dynamic_cast<BinlogRow*>(b);
  if (x == nullptr || y == nullptr) return true;
  for (int field : schema.key_fields) {
    const int column = schema.source_columns[field];
    if (!SameColumnValue(x->image()[column], y->image()[column])) return false;
  }
  return true;
}

int ChangeEvents::EventCount(const TableSchema& schema, char op, RowSource* before,
                             RowSource* after) {
  return op == 'u' && schema.key != nullptr && !SameKey(schema, before, after) ? 2 : 1;
}

absl::Status ChangeEvents::Change(sluice_batch* batch, const TableSchema& schema, char op,
                                  RowSource* before, RowSource* after, const SourcePosition& source,
                                  const OffsetState& pending, const OffsetState& done) {
  if (EventCount(schema, op, before, after) == 2) {
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
    sluice_value* envelope = BuildEnvelope(batch, schema, *old_row, nullptr, source, 'd');
    absl::Status status = Append(batch, schema, *old_key, envelope, &header, pending, source);
    if (!status.ok()) return status;
    if (config_.tombstones_on_delete) {
      status = Append(batch, schema, *old_key, nullptr, &header, pending, source);
      if (!status.ok()) return status;
    }
    header = sluice_header{Str("__debezium.oldkey"), schema.key, sluice_datum_value(*old_key)};
    envelope = BuildEnvelope(batch, schema, nullptr, *new_row, source, 'c', /*later=*/1);
    return Append(batch, schema, *new_key, envelope, &header, done, source);
  }

  RowSource* key_row = after != nullptr ? after : before;
  sluice_value* key = nullptr;
  if (schema.key != nullptr) {
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
  sluice_value* envelope = BuildEnvelope(batch, schema, before_value, after_value, source, op);
  if (op == 'd' && config_.tombstones_on_delete) {
    absl::Status status = Append(batch, schema, key, envelope, nullptr, pending, source);
    if (!status.ok()) return status;
    return Append(batch, schema, key, nullptr, nullptr, done, source);
  }
  return Append(batch, schema, key, envelope, nullptr, done, source);
}

absl::Status ChangeEvents::Truncate(sluice_batch* batch, const TableSchema& schema,
                                    const SourcePosition& source, const OffsetState& done) {
  sluice_value* envelope = BuildEnvelope(batch, schema, nullptr, nullptr, source, 't');
  return Append(batch, schema, nullptr, envelope, nullptr, done, source, /*keyless_record=*/true);
}

}  // namespace sluice::mysql
