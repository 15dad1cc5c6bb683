#include "runtime/data/record_batch.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/common/string_view_compat.h"

namespace sluice::data {
namespace {

bool IntFits(Type type, int64_t v) {
  switch (type) {
    case Type::kInt8:
      return v >= INT8_MIN && v <= INT8_MAX;
    case Type::kInt16:
      return v >= INT16_MIN && v <= INT16_MAX;
    case Type::kInt32:
      return v >= INT32_MIN && v <= INT32_MAX;
    case Type::kInt64:
      return true;
    default:
      return false;
  }
}

std::string_view KindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull:
      return "null";
    case ValueKind::kInt:
      return "an integer";
    case ValueKind::kFloat:
      return "a float";
    case ValueKind::kBoolean:
      return "a boolean";
    case ValueKind::kString:
      return "a string";
    case ValueKind::kBytes:
      return "bytes";
    case ValueKind::kStruct:
      return "a struct";
    case ValueKind::kArray:
      return "an array";
    case ValueKind::kMap:
      return "a map";
  }
  return "an unknown kind";
}

const CompositeValue* AsComposite(const Value& v) {
  switch (v.kind) {
    case ValueKind::kStruct:
      return v.s;
    case ValueKind::kArray:
      return v.a;
    case ValueKind::kMap:
      return v.m;
    default:
      return nullptr;
  }
}

std::string FieldPlace(const StructValue* s, uint32_t index) {
  const Schema* schema = s->schema;
  std::string_view owner = schema->name().empty() ? std::string_view("struct") : schema->name();
  return StrCat("field `", schema->fields()[index].name, "` of `", owner, "`");
}

// Grows a container's slot array inside the arena (the old slots are abandoned to the arena).
Value* Grow(Arena& arena, Value* old, uint32_t used, uint32_t* capacity, uint32_t slots_per_item) {
  uint32_t next = *capacity == 0 ? 4 : *capacity * 2;
  Value* fresh = arena.AllocateArray<Value>(size_t{next} * slots_per_item);
  if (used > 0) std::memcpy(static_cast<void*>(fresh), old, sizeof(Value) * used * slots_per_item);
  *capacity = next;
  return fresh;
}

// Whether `value` may stand where `schema` is expected, as CheckValue decides it, without building
// a status: the question every field of every record asks, answered inline. A container must also
// belong to `batch`.
inline bool Fits(const Schema& schema, const Value& value, const RecordBatch* batch) {
  const Type t = schema.type();
  switch (value.kind) {
    case ValueKind::kNull:
      return schema.optional() || schema.has_default();
    case ValueKind::kInt:
      return IntFits(t, value.i);
    case ValueKind::kFloat:
      return t == Type::kFloat32 || t == Type::kFloat64;
    case ValueKind::kBoolean:
      return t == Type::kBoolean;
    case ValueKind::kString:
      return t == Type::kString;
    case ValueKind::kBytes:
      return t == Type::kBytes;
    case ValueKind::kStruct:
    case ValueKind::kArray:
    case ValueKind::kMap: {
      const CompositeValue* c = AsComposite(value);
      return c != nullptr && c->schema == &schema && c->batch == batch;
    }
  }
  return false;
}

}  // namespace

absl::Status CheckValue(const Schema& schema, const Value& value, std::string_view what) {
  Type t = schema.type();
  bool ok = false;
  switch (value.kind) {
    case ValueKind::kNull:
      if (schema.optional() || schema.has_default()) return absl::OkStatus();
      return absl::InvalidArgumentError(
          StrCat(what, " is null but its schema is required and has no default"));
      break;
    case ValueKind::kInt:
      if (IsInteger(t)) {
        if (!IntFits(t, value.i)) {
          return absl::InvalidArgumentError(
              StrCat(what, ": ", value.i, " is out of range for ", TypeName(t)));
        }
        ok = true;
      }
      break;
    case ValueKind::kFloat:
      ok = t == Type::kFloat32 || t == Type::kFloat64;
      break;
    case ValueKind::kBoolean:
      ok = t == Type::kBoolean;
      break;
    case ValueKind::kString:
      ok = t == Type::kString;
      break;
    case ValueKind::kBytes:
      ok = t == Type::kBytes;
      break;
    case ValueKind::kStruct:
    case ValueKind::kArray:
    case ValueKind::kMap: {
      const CompositeValue* c = AsComposite(value);
      if (c == nullptr) return absl::InvalidArgumentError(StrCat(what, " is a null container"));
      if (c->schema != &schema) {
        return absl::InvalidArgumentError(
            StrCat(what, " was built with a different schema (",
                   c->schema->name().empty() ? TypeName(c->schema->type()) : c->schema->name(),
                   ") than the one expected here (",
                   schema.name().empty() ? TypeName(t) : schema.name(), ")"));
      }
      return absl::OkStatus();
    }
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        StrCat(what, " has schema type ", TypeName(t), " but was given ", KindName(value.kind)));
  }
  return absl::OkStatus();
}

absl::Status RecordBatch::Fail(absl::Status status) {
  if (error_.ok() && !status.ok()) error_ = status;
  return status;
}

absl::Status RecordBatch::CheckOwned(const Value& value, std::string_view what) {
  const CompositeValue* c = AsComposite(value);
  if (c != nullptr && !Owns(c)) {
    return absl::InvalidArgumentError(
        StrCat(what, " is a value built in another batch (values live for one poll only)"));
  }
  return absl::OkStatus();
}

StructValue* RecordBatch::NewStruct(const Schema* schema) {
  if (schema == nullptr || schema->type() != Type::kStruct) {
    (void)Fail(absl::InvalidArgumentError("struct_new needs a struct schema"));
    return nullptr;
  }
  auto* s = arena_.AllocateArray<StructValue>(1);
  s->kind = ValueKind::kStruct;
  s->schema = schema;
  s->batch = this;
  size_t n = schema->fields().size();
  s->fields = arena_.AllocateArray<Value>(n);
  for (size_t i = 0; i < n; ++i) new (&s->fields[i]) Value();
  return s;
}

StructValue* RecordBatch::CopyStruct(const StructValue* s) {
  if (!Owns(s) || s->kind != ValueKind::kStruct) {
    (void)Fail(absl::InvalidArgumentError("struct_copy of a value that is not a struct of this batch"));
    return nullptr;
  }
  auto* copy = arena_.AllocateArray<StructValue>(1);
  copy->kind = ValueKind::kStruct;
  copy->schema = s->schema;
  copy->batch = this;
  const size_t n = s->schema->fields().size();
  copy->fields = arena_.AllocateArray<Value>(n);
  // Every value was checked when it was set; copying one copies its pointer, not what it points to.
  static_assert(std::is_trivially_copyable_v<Value>);
  std::copy_n(s->fields, n, copy->fields);
  return copy;
}

ArrayValue* RecordBatch::NewArray(const Schema* schema, size_t capacity_hint) {
  if (schema == nullptr || schema->type() != Type::kArray) {
    (void)Fail(absl::InvalidArgumentError("array_new needs an array schema"));
    return nullptr;
  }
  auto* a = arena_.AllocateArray<ArrayValue>(1);
  a->kind = ValueKind::kArray;
  a->schema = schema;
  a->batch = this;
  a->size = 0;
  a->capacity = static_cast<uint32_t>(capacity_hint);
  a->items = capacity_hint > 0 ? arena_.AllocateArray<Value>(capacity_hint) : nullptr;
  return a;
}

MapValue* RecordBatch::NewMap(const Schema* schema, size_t capacity_hint) {
  if (schema == nullptr || schema->type() != Type::kMap) {
    (void)Fail(absl::InvalidArgumentError("map_new needs a map schema"));
    return nullptr;
  }
  auto* m = arena_.AllocateArray<MapValue>(1);
  m->kind = ValueKind::kMap;
  m->schema = schema;
  m->batch = this;
  m->size = 0;
  m->capacity = static_cast<uint32_t>(capacity_hint);
  m->entries = capacity_hint > 0 ? arena_.AllocateArray<Value>(capacity_hint * 2) : nullptr;
  return m;
}

absl::Status RecordBatch::SetField(StructValue* s, uint32_t field_index, const Value& value) {
  if (!Owns(s) || s->kind != ValueKind::kStruct) {
    return Fail(
        absl::InvalidArgumentError("struct_set on a value that is not a struct of this batch"));
  }
  if (field_index >= s->schema->fields().size()) {
    return Fail(absl::InvalidArgumentError(
        StrCat("struct_set: field index ", field_index, " is out of range; `", s->schema->name(),
               "` has ", s->schema->fields().size(), " fields")));
  }
  const Field& field = s->schema->fields()[field_index];
  // The good path builds no status and allocates nothing; the field is spelled out only on failure.
  if (!Fits(*field.schema, value, this)) {
    if (absl::Status st = CheckValue(*field.schema, value, FieldPlace(s, field_index)); !st.ok()) {
      return Fail(std::move(st));
    }
    if (absl::Status st = CheckOwned(value, FieldPlace(s, field_index)); !st.ok()) {
      return Fail(std::move(st));
    }
  }
  s->fields[field_index] = value;
  return absl::OkStatus();
}

absl::Status RecordBatch::Append(ArrayValue* a, const Value& value) {
  if (!Owns(a) || a->kind != ValueKind::kArray) {
    return Fail(
        absl::InvalidArgumentError("array_append on a value that is not an array of this batch"));
  }
  if (absl::Status st = CheckValue(*a->schema->value_schema(), value, "array element"); !st.ok()) {
    return Fail(std::move(st));
  }
  if (absl::Status st = CheckOwned(value, "array element"); !st.ok()) return Fail(std::move(st));
  if (a->size == a->capacity) a->items = Grow(arena_, a->items, a->size, &a->capacity, 1);
  a->items[a->size++] = value;
  return absl::OkStatus();
}

absl::Status RecordBatch::Put(MapValue* m, const Value& key, const Value& value) {
  if (!Owns(m) || m->kind != ValueKind::kMap) {
    return Fail(absl::InvalidArgumentError("map_put on a value that is not a map of this batch"));
  }
  if (absl::Status st = CheckValue(*m->schema->key_schema(), key, "map key"); !st.ok()) {
    return Fail(std::move(st));
  }
  if (absl::Status st = CheckValue(*m->schema->value_schema(), value, "map value"); !st.ok()) {
    return Fail(std::move(st));
  }
  if (absl::Status st = CheckOwned(key, "map key"); !st.ok()) return Fail(std::move(st));
  if (absl::Status st = CheckOwned(value, "map value"); !st.ok()) return Fail(std::move(st));
  if (m->size == m->capacity) m->entries = Grow(arena_, m->entries, m->size, &m->capacity, 2);
  m->entries[2 * m->size] = key;
  m->entries[2 * m->size + 1] = value;
  ++m->size;
  return absl::OkStatus();
}

absl::Status RecordBatch::AppendRecord(const SourceRecord& record) {
  // The place is only spelled out when something is wrong: no allocation on the good path.
  auto where = [&](std::string_view part) {
    return StrCat("record ", records_.size(), " for topic `", record.topic, "`: ", part);
  };
  if (record.topic.empty()) {
    return Fail(absl::InvalidArgumentError(StrCat("record ", records_.size(), " has no topic")));
  }
  auto check = [&](const Schema* schema, const Value& v, std::string_view part) -> absl::Status {
    if (schema == nullptr) {
      if (v.is_null()) return absl::OkStatus();
      return absl::InvalidArgumentError(StrCat(where(part), " is set but has no schema"));
    }
    if (Fits(*schema, v, this)) return absl::OkStatus();
    if (absl::Status st = CheckValue(*schema, v, part); !st.ok()) {
      return absl::InvalidArgumentError(where(ToStd(st.message())));
    }
    if (absl::Status st = CheckOwned(v, part); !st.ok()) {
      return absl::InvalidArgumentError(where(ToStd(st.message())));
    }
    return absl::OkStatus();
  };
  if (absl::Status st = check(record.key_schema, record.key, "key"); !st.ok()) return Fail(st);
  if (absl::Status st = check(record.value_schema, record.value, "value"); !st.ok())
    return Fail(st);
  for (const Header& h : record.headers) {
    if (absl::Status st = check(h.schema, h.value, "header"); !st.ok()) return Fail(st);
  }
  records_.push_back(record);
  return absl::OkStatus();
}

void RecordBatch::Reset() {
  records_.clear();
  transaction_ends_.clear();
  arena_.Reset();
  error_ = absl::OkStatus();
}

}  // namespace sluice::data
