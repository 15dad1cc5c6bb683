// Schema and struct helpers the transforms share: Kafka Connect's SchemaUtil.copySchemaBasics,
// a cache of derived schemas, and struct building in a batch's arena.
#ifndef SLUICE_RUNTIME_TRANSFORM_SCHEMA_UTIL_H_
#define SLUICE_RUNTIME_TRANSFORM_SCHEMA_UTIL_H_

#include <cstdint>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "runtime/data/record.h"
#include "runtime/data/record_batch.h"
#include "runtime/data/schema.h"
#include "runtime/data/value.h"

namespace sluice::transform {

// Kafka Connect's date and time logical types (their values: days, milliseconds into the day,
// milliseconds since the epoch).
inline constexpr std::string_view kDateLogicalName = "org.apache.kafka.connect.data.Date";
inline constexpr std::string_view kTimeLogicalName = "org.apache.kafka.connect.data.Time";
inline constexpr std::string_view kTimestampLogicalName = "org.apache.kafka.connect.data.Timestamp";
inline constexpr int64_t kMillisPerDay = 86400000;

// Which half of the record a `$Key` / `$Value` transform works on, and that half's schema and value.
enum class Part { kKey, kValue };
inline const data::Schema*& SchemaOf(data::SourceRecord& r, Part p) {
  return p == Part::kKey ? r.key_schema : r.value_schema;
}
inline data::Value& ValueOf(data::SourceRecord& r, Part p) { return p == Part::kKey ? r.key : r.value; }

// The failure of a `$Key` / `$Value` transform given a part that is not a struct with a schema.
absl::Status NotAStruct(std::string_view class_name, const data::SourceRecord& r, Part p);

// A builder of type `type` with `source`'s name, version, doc and parameters: what Kafka
// Connect's SchemaUtil.copySchemaBasics copies. Not optionality, default or fields: a struct
// rebuilt this way is required, as the Java transforms make it.
data::SchemaBuilder CopySchemaBasics(const data::Schema& source, data::Type type);
inline data::SchemaBuilder CopySchemaBasics(const data::Schema& source) {
  return CopySchemaBasics(source, source.type());
}

// A copy of `source` (fields, elements and all) made optional, without its default: the schema
// of a field that may now be absent (Debezium's add.fields and add.headers). nullptr for arrays and
// maps, which no Debezium envelope field is.
data::SchemaPtr OptionalCopy(const data::Schema& source);

// Schemas derived from others, by the ids of what they derive from. Schemas are built once per
// table, so this holds a handful; the last lookup is remembered, as records of one table come in
// runs. Owned by one transform on one thread.
template <typename Derived>
class DerivedCache {
 public:
  using Key = std::pair<uint64_t, uint64_t>;
  const Derived* Find(Key key) {
    if (last_ != nullptr && last_key_ == key) return last_;
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    last_key_ = key;
    last_ = &it->second;
    return last_;
  }
  const Derived* Put(Key key, Derived derived) {
    auto [it, inserted] = entries_.insert_or_assign(key, std::move(derived));
    last_ = nullptr;  // a rehash moves entries
    (void)inserted;
    return &entries_.find(key)->second;
  }

 private:
  absl::flat_hash_map<Key, Derived> entries_;
  Key last_key_{0, 0};
  const Derived* last_ = nullptr;
};

// A struct of `schema` in `batch` whose field slots the caller fills (they start unset): for
// copies of fields already checked against the same field schemas, so nothing is checked again.
inline data::StructValue* UncheckedStruct(data::RecordBatch& batch, const data::Schema* schema) {
  auto* s = batch.arena().AllocateArray<data::StructValue>(1);
  s->kind = data::ValueKind::kStruct;
  s->schema = schema;
  s->batch = &batch;
  s->fields = batch.arena().AllocateArray<data::Value>(schema->fields().size());
  return s;
}

// The value of struct `s`'s field `index`, or its schema's default when the value is null and the
// field has one (Kafka Connect's Struct.get; getWithoutDefault is plain `s->fields[index]`).
inline data::Value FieldOrDefault(const data::StructValue* s, uint32_t index) {
  const data::Value& v = s->fields[index];
  if (!v.is_null()) return v;
  const data::Schema& field = *s->schema->fields()[index].schema;
  return field.has_default() ? field.default_value() : v;
}

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_SCHEMA_UTIL_H_
