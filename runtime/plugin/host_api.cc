// The host functions. Each one checks its arguments, because a plugin's bug must become an error
// naming the plugin, not a crash of the worker, and none allocates on the heap per field.
#include "runtime/plugin/host_api.h"

#include <cstring>
#include <limits>
#include <type_traits>
#include <variant>

#include "runtime/common/string_view_compat.h"

namespace sluice::plugin {
namespace {

HostContext* Ctx(sluice_ctx* ctx) { return reinterpret_cast<HostContext*>(ctx); }
data::RecordBatch* Batch(sluice_batch* b) { return reinterpret_cast<data::RecordBatch*>(b); }
const data::RecordBatch* Batch(const sluice_batch* b) {
  return reinterpret_cast<const data::RecordBatch*>(b);
}
data::CompositeValue* Composite(sluice_value* v) {
  return reinterpret_cast<data::CompositeValue*>(v);
}
const data::CompositeValue* Composite(const sluice_value* v) {
  return reinterpret_cast<const data::CompositeValue*>(v);
}
sluice_value* ToHandle(data::CompositeValue* v) { return reinterpret_cast<sluice_value*>(v); }

std::string_view View(sluice_str s) {
  return s.len == 0 ? std::string_view() : std::string_view(s.ptr, s.len);
}

// ok() is inline; code() is a call into Abseil's library, made only for a failure (this runs for
// every field of every record).
sluice_status Code(const absl::Status& s) {
  return s.ok() ? SLUICE_OK : static_cast<sluice_status>(s.code());
}

// Converts a datum into a Value of `batch`, copying strings and bytes into its arena.
absl::Status ToValue(data::RecordBatch& batch, const sluice_datum* d, data::Value* out) {
  if (d == nullptr) {
    *out = data::Value::Null();
    return absl::OkStatus();
  }
  switch (d->kind) {
    case SLUICE_DATUM_NULL:
      *out = data::Value::Null();
      return absl::OkStatus();
    case SLUICE_DATUM_INT:
      *out = data::Value::Int(d->u.i);
      return absl::OkStatus();
    case SLUICE_DATUM_FLOAT:
      *out = data::Value::Float(d->u.f);
      return absl::OkStatus();
    case SLUICE_DATUM_BOOLEAN:
      *out = data::Value::Boolean(d->u.b != 0);
      return absl::OkStatus();
    case SLUICE_DATUM_STRING:
    case SLUICE_DATUM_BYTES: {
      const char* ptr = d->kind == SLUICE_DATUM_STRING
                            ? d->u.str.ptr
                            : reinterpret_cast<const char*>(d->u.bytes.ptr);
      size_t len = d->kind == SLUICE_DATUM_STRING ? d->u.str.len : d->u.bytes.len;
      if (len > std::numeric_limits<uint32_t>::max()) {
        return absl::InvalidArgumentError("a string or bytes value is larger than 4 GiB");
      }
      if (ptr == nullptr && len > 0)
        return absl::InvalidArgumentError("NULL pointer with a length");
      std::string_view copy = batch.Copy(std::string_view(ptr, len));
      *out = d->kind == SLUICE_DATUM_STRING ? data::Value::String(copy) : data::Value::Bytes(copy);
      return absl::OkStatus();
    }
    case SLUICE_DATUM_VALUE: {
      const data::CompositeValue* c = Composite(d->u.value);
      if (c == nullptr) return absl::InvalidArgumentError("a VALUE datum with a NULL value");
      switch (c->kind) {
        case data::ValueKind::kStruct:
          *out = data::Value::Of(static_cast<const data::StructValue*>(c));
          break;
        case data::ValueKind::kArray:
          *out = data::Value::Of(static_cast<const data::ArrayValue*>(c));
          break;
        case data::ValueKind::kMap:
          *out = data::Value::Of(static_cast<const data::MapValue*>(c));
          break;
        default:
          return absl::InvalidArgumentError("a VALUE datum that is not a struct, array or map");
      }
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError(StrCat("unknown datum kind ", d->kind));
  }
}

absl::Status CopyScalars(data::RecordBatch& batch, sluice_scalar_map in, data::ScalarMap* out,
                         std::string_view what) {
  if (in.count == 0) {
    *out = data::ScalarMap();
    return absl::OkStatus();
  }
  if (in.entries == nullptr) return absl::InvalidArgumentError(StrCat(what, ": NULL entries"));
  // The keys and strings of every entry go into one piece of the arena: a record's offset has
  // half a dozen entries, and an arena call per text was most of what copying them cost.
  size_t text_size = 0;
  for (size_t i = 0; i < in.count; ++i) {
    const sluice_scalar_entry& e = in.entries[i];
    text_size += e.key.len + (e.kind == SLUICE_SCALAR_STRING ? e.u.str.len : 0);
  }
  char* text = text_size > 0 ? batch.arena().AllocateArray<char>(text_size) : nullptr;
  auto copy = [&text](sluice_str s) {
    if (s.len == 0) return std::string_view();
    std::memcpy(text, s.ptr, s.len);
    std::string_view copied(text, s.len);
    text += s.len;
    return copied;
  };
  auto* entries = batch.arena().AllocateArray<data::ScalarEntry>(in.count);
  for (size_t i = 0; i < in.count; ++i) {
    const sluice_scalar_entry& e = in.entries[i];
    data::ScalarEntry* o = new (&entries[i]) data::ScalarEntry();
    o->key = copy(e.key);
    switch (e.kind) {
      case SLUICE_SCALAR_NULL:
        o->kind = data::ScalarKind::kNull;
        break;
      case SLUICE_SCALAR_INT:
        o->kind = data::ScalarKind::kInt;
        o->i = e.u.i;
        break;
      case SLUICE_SCALAR_FLOAT:
        o->kind = data::ScalarKind::kFloat;
        o->f = e.u.f;
        break;
      case SLUICE_SCALAR_BOOLEAN:
        o->kind = data::ScalarKind::kBoolean;
        o->b = e.u.b != 0;
        break;
      case SLUICE_SCALAR_STRING:
        o->kind = data::ScalarKind::kString;
        o->str = copy(e.u.str);
        break;
      default:
        return absl::InvalidArgumentError(
            StrCat(what, " entry `", View(e.key), "` has unknown kind ", e.kind));
    }
  }
  *out = data::ScalarMap(entries, in.count);
  return absl::OkStatus();
}

// ---- the table's functions ---------------------------------------------------------------------

// The ABI's levels onto the runtime's; a value the header does not define logs as an error, so
// nothing a plugin says is lost.
LogLevel ToLogLevel(sluice_log_level level) {
  switch (level) {
    case SLUICE_LOG_TRACE:
      return LogLevel::kTrace;
    case SLUICE_LOG_DEBUG:
      return LogLevel::kDebug;
    case SLUICE_LOG_INFO:
      return LogLevel::kInfo;
    case SLUICE_LOG_WARN:
      return LogLevel::kWarn;
    case SLUICE_LOG_ERROR:
      return LogLevel::kError;
  }
  return LogLevel::kError;
}

void Log(sluice_ctx* ctx, sluice_log_level level, sluice_str message) {
  if (ctx != nullptr) Ctx(ctx)->Log(ToLogLevel(level), View(message));
}

void SetError(sluice_ctx* ctx, sluice_status code, sluice_str message) {
  if (ctx != nullptr) Ctx(ctx)->SetError(code, View(message));
}

sluice_status RequestReconfiguration(sluice_ctx* ctx) {
  if (ctx == nullptr) return SLUICE_INVALID_ARGUMENT;
  return Ctx(ctx)->RequestReconfiguration();
}

sluice_status TaskConfigAdd(sluice_task_configs* out, const sluice_config_entry* entries,
                            size_t count) {
  auto* c = reinterpret_cast<TaskConfigCollector*>(out);
  if (c == nullptr || (count > 0 && entries == nullptr)) return SLUICE_INVALID_ARGUMENT;
  if (c->configs.size() >= c->max_tasks) return SLUICE_RESOURCE_EXHAUSTED;
  ConfigMap config;
  config.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    config.emplace_back(std::string(View(entries[i].key)), std::string(View(entries[i].value)));
  }
  c->configs.push_back(std::move(config));
  return SLUICE_OK;
}

sluice_status OffsetGet(sluice_ctx* ctx, sluice_scalar_map partition, sluice_scalar_map* out) {
  if (ctx == nullptr) return SLUICE_INVALID_ARGUMENT;
  return Ctx(ctx)->OffsetGet(partition, out);
}

sluice_status SchemaCreate(sluice_ctx* ctx, const sluice_schema_spec* spec,
                           const sluice_schema** out) {
  if (ctx == nullptr || spec == nullptr || out == nullptr) return SLUICE_INVALID_ARGUMENT;
  absl::StatusOr<const data::Schema*> schema = Ctx(ctx)->CreateSchema(*spec);
  if (!schema.ok()) {
    // Kept as the task's error too, so a plugin that just propagates the code is still explained.
    Ctx(ctx)->Log(LogLevel::kWarn, ToStd(schema.status().message()));
    Ctx(ctx)->SetError(Code(schema.status()), ToStd(schema.status().message()));
    return Code(schema.status());
  }
  *out = reinterpret_cast<const sluice_schema*>(*schema);
  return SLUICE_OK;
}

int32_t SchemaFieldIndex(const sluice_schema* schema, sluice_str name) {
  const data::Schema* s = FromC(schema);
  if (s == nullptr || s->type() != data::Type::kStruct) return -1;
  return s->FieldIndex(View(name));
}

sluice_value* StructNew(sluice_batch* batch, const sluice_schema* schema) {
  if (batch == nullptr) return nullptr;
  return ToHandle(Batch(batch)->NewStruct(FromC(schema)));
}

sluice_status StructSet(sluice_value* s, uint32_t field_index, const sluice_datum* datum) {
  data::CompositeValue* c = Composite(s);
  if (c == nullptr || c->kind != data::ValueKind::kStruct) return SLUICE_INVALID_ARGUMENT;
  data::RecordBatch& batch = *c->batch;
  data::Value v;
  if (absl::Status st = ToValue(batch, datum, &v); !st.ok()) return Code(batch.Fail(st));
  return Code(batch.SetField(static_cast<data::StructValue*>(c), field_index, v));
}

sluice_value* StructCopy(const sluice_value* s) {
  const data::CompositeValue* c = Composite(s);
  if (c == nullptr || c->batch == nullptr) return nullptr;
  return ToHandle(c->batch->CopyStruct(static_cast<const data::StructValue*>(c)));
}

sluice_value* ArrayNew(sluice_batch* batch, const sluice_schema* schema, size_t capacity_hint) {
  if (batch == nullptr) return nullptr;
  return ToHandle(Batch(batch)->NewArray(FromC(schema), capacity_hint));
}

sluice_status ArrayAppend(sluice_value* array, const sluice_datum* datum) {
  data::CompositeValue* c = Composite(array);
  if (c == nullptr || c->kind != data::ValueKind::kArray) return SLUICE_INVALID_ARGUMENT;
  data::RecordBatch& batch = *c->batch;
  data::Value v;
  if (absl::Status st = ToValue(batch, datum, &v); !st.ok()) return Code(batch.Fail(st));
  return Code(batch.Append(static_cast<data::ArrayValue*>(c), v));
}

sluice_value* MapNew(sluice_batch* batch, const sluice_schema* schema, size_t capacity_hint) {
  if (batch == nullptr) return nullptr;
  return ToHandle(Batch(batch)->NewMap(FromC(schema), capacity_hint));
}

sluice_status MapPut(sluice_value* map, const sluice_datum* key, const sluice_datum* value) {
  data::CompositeValue* c = Composite(map);
  if (c == nullptr || c->kind != data::ValueKind::kMap) return SLUICE_INVALID_ARGUMENT;
  data::RecordBatch& batch = *c->batch;
  data::Value k, v;
  if (absl::Status st = ToValue(batch, key, &k); !st.ok()) return Code(batch.Fail(st));
  if (absl::Status st = ToValue(batch, value, &v); !st.ok()) return Code(batch.Fail(st));
  return Code(batch.Put(static_cast<data::MapValue*>(c), k, v));
}

sluice_status RecordAppend(sluice_batch* handle, const sluice_record_spec* spec) {
  constexpr size_t kSpecV1Size =
      offsetof(sluice_record_spec, source_offset) + sizeof(sluice_scalar_map);
  if (handle == nullptr || spec == nullptr) return SLUICE_INVALID_ARGUMENT;
  data::RecordBatch& batch = *Batch(handle);
  if (spec->struct_size < kSpecV1Size) {
    return Code(batch.Fail(
        absl::InvalidArgumentError(StrCat("record_append: struct_size ", spec->struct_size,
                                          " is smaller than ABI 1.0's ", kSpecV1Size))));
  }
  data::SourceRecord r;
  r.topic = batch.Copy(View(spec->topic));
  r.partition = spec->partition;
  r.key_schema = FromC(spec->key_schema);
  r.value_schema = FromC(spec->value_schema);
  r.timestamp_ms = spec->timestamp_ms;
  if (SLUICE_HAS_MEMBER(spec, sluice_record_spec, source_timestamp_ms) &&
      spec->source_timestamp_ms > 0) {
    r.source_timestamp_ms = spec->source_timestamp_ms;
  }
  if (absl::Status st = ToValue(batch, &spec->key, &r.key); !st.ok()) return Code(batch.Fail(st));
  if (absl::Status st = ToValue(batch, &spec->value, &r.value); !st.ok())
    return Code(batch.Fail(st));
  if (spec->header_count > 0) {
    if (spec->headers == nullptr) {
      return Code(batch.Fail(absl::InvalidArgumentError("record_append: NULL headers")));
    }
    auto* headers = batch.arena().AllocateArray<data::Header>(spec->header_count);
    for (size_t i = 0; i < spec->header_count; ++i) {
      data::Header* h = new (&headers[i]) data::Header();
      h->key = batch.Copy(View(spec->headers[i].key));
      h->schema = FromC(spec->headers[i].schema);
      if (absl::Status st = ToValue(batch, &spec->headers[i].value, &h->value); !st.ok()) {
        return Code(batch.Fail(st));
      }
    }
    r.headers = std::span<const data::Header>(headers, spec->header_count);
  }
  if (absl::Status st =
          CopyScalars(batch, spec->source_partition, &r.source_partition, "source_partition");
      !st.ok()) {
    return Code(batch.Fail(st));
  }
  if (absl::Status st = CopyScalars(batch, spec->source_offset, &r.source_offset, "source_offset");
      !st.ok()) {
    return Code(batch.Fail(st));
  }
  return Code(batch.AppendRecord(r));
}

size_t BatchSize(const sluice_batch* batch) { return batch == nullptr ? 0 : Batch(batch)->size(); }

sluice_status TransactionCommit(sluice_batch* batch) {
  if (batch == nullptr) return SLUICE_INVALID_ARGUMENT;
  Batch(batch)->MarkTransactionEnd();
  return SLUICE_OK;
}

sluice_status TaskProgressReport(sluice_ctx* ctx, const sluice_task_progress* progress) {
  if (ctx == nullptr) return SLUICE_INVALID_ARGUMENT;
  return Ctx(ctx)->ReportProgress(progress);
}

// No C++ exception may unwind through the plugin's C frames: each table entry catches everything
// (in practice std::bad_alloc) and answers as a failure of its kind.
template <auto Impl>
struct NoThrow;

template <typename R, typename... Args, R (*Impl)(Args...)>
struct NoThrow<Impl> {
  static R Call(Args... args) noexcept {
    try {
      return Impl(args...);
    } catch (...) {
      if constexpr (std::is_same_v<R, void>) {
        return;
      } else if constexpr (std::is_same_v<R, sluice_status>) {
        return SLUICE_RESOURCE_EXHAUSTED;
      } else if constexpr (std::is_pointer_v<R>) {
        return nullptr;
      } else if constexpr (std::is_same_v<R, int32_t>) {
        return -1;
      } else {
        return R{};
      }
    }
  }
};

constexpr sluice_host_api kHostApi = {
    sizeof(sluice_host_api),
    SLUICE_ABI_MAJOR,
    SLUICE_ABI_MINOR,
    NoThrow<Log>::Call,
    NoThrow<SetError>::Call,
    NoThrow<RequestReconfiguration>::Call,
    NoThrow<TaskConfigAdd>::Call,
    NoThrow<OffsetGet>::Call,
    NoThrow<SchemaCreate>::Call,
    NoThrow<SchemaFieldIndex>::Call,
    NoThrow<StructNew>::Call,
    NoThrow<StructSet>::Call,
    NoThrow<ArrayNew>::Call,
    NoThrow<ArrayAppend>::Call,
    NoThrow<MapNew>::Call,
    NoThrow<MapPut>::Call,
    NoThrow<RecordAppend>::Call,
    NoThrow<BatchSize>::Call,
    // ABI 1.2
    NoThrow<TaskProgressReport>::Call,
    // ABI 1.3
    NoThrow<StructCopy>::Call,
    // ABI 1.5 (exactly-once)
    NoThrow<TransactionCommit>::Call,
};

}  // namespace

const sluice_host_api* HostApi() { return &kHostApi; }

std::vector<sluice_scalar_entry> ScalarEntriesOf(const std::vector<offsets::OffsetField>& fields) {
  std::vector<sluice_scalar_entry> entries;
  entries.reserve(fields.size());
  for (const offsets::OffsetField& field : fields) {
    sluice_scalar_entry e{};
    e.key = sluice_str{field.name.data(), field.name.size()};
    std::visit(
        [&e](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            e.kind = SLUICE_SCALAR_NULL;
          } else if constexpr (std::is_same_v<T, bool>) {
            e.kind = SLUICE_SCALAR_BOOLEAN;
            e.u.b = v ? 1 : 0;
          } else if constexpr (std::is_same_v<T, int64_t>) {
            e.kind = SLUICE_SCALAR_INT;
            e.u.i = v;
          } else if constexpr (std::is_same_v<T, double>) {
            e.kind = SLUICE_SCALAR_FLOAT;
            e.u.f = v;
          } else {
            e.kind = SLUICE_SCALAR_STRING;
            e.u.str = sluice_str{v.data(), v.size()};
          }
        },
        field.value);
    entries.push_back(e);
  }
  return entries;
}

std::vector<offsets::OffsetField> OffsetFieldsOf(sluice_scalar_map map) {
  std::vector<offsets::OffsetField> fields;
  fields.reserve(map.count);
  for (size_t i = 0; i < map.count; ++i) {
    const sluice_scalar_entry& e = map.entries[i];
    offsets::OffsetField field{std::string(View(e.key)), std::monostate{}};
    switch (e.kind) {
      case SLUICE_SCALAR_INT:
        field.value = e.u.i;
        break;
      case SLUICE_SCALAR_FLOAT:
        field.value = e.u.f;
        break;
      case SLUICE_SCALAR_BOOLEAN:
        field.value = e.u.b != 0;
        break;
      case SLUICE_SCALAR_STRING:
        field.value = std::string(View(e.u.str));
        break;
      default:
        break;
    }
    fields.push_back(std::move(field));
  }
  return fields;
}

}  // namespace sluice::plugin
