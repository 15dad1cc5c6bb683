#include "runtime/convert/json_converter.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "runtime/common/string_view_compat.h"
#include "runtime/convert/base64.h"
#include "runtime/convert/java_number_format.h"

namespace sluice::convert {
namespace {

using data::Schema;
using data::Type;
using data::Value;
using data::ValueKind;

// Kafka Connect's JSON type names (JsonSchema.java): note "float" and "double".
std::string_view JsonTypeName(Type type) {
  switch (type) {
    case Type::kFloat32:
      return "float";
    case Type::kFloat64:
      return "double";
    default:
      return data::TypeName(type);
  }
}

// Errors carry the path of the failing value as a prefix that each level extends:
// ".after.id: reason". Built only on failure.
absl::Status Leaf(std::string_view reason) {
  return absl::InvalidArgumentError(StrCat(": ", reason));
}

absl::Status Nest(const absl::Status& child, std::string_view step) {
  return absl::Status(child.code(), ToAbsl(StrCat(step, ToStd(child.message()))));
}

// Writes `n` bytes of ready-made JSON as one value. Writer::RawValue copies byte by byte through
// its transcoder; instead let the writer place its separator (an empty raw value) and memcpy.
void WriteRaw(rapidjson::Writer<rapidjson::StringBuffer>& w, rapidjson::StringBuffer& os,
              const char* p, size_t n, rapidjson::Type type) {
  w.RawValue("", 0, type);
  std::memcpy(os.Push(n), p, n);
}

}  // namespace

JsonConverter::JsonConverter(JsonConverterOptions options)
    : options_(options), writer_(out_), field_writer_(field_out_) {}

absl::StatusOr<std::optional<std::string_view>> JsonConverter::FromConnectData(const Schema* schema,
                                                                               const Value& value) {
  // Kafka Connect: no schema and no value is Kafka's null, with or without the envelope.
  if (schema == nullptr && value.is_null()) return std::optional<std::string_view>();
  if (schema == nullptr) {
    return absl::InvalidArgumentError("cannot convert to JSON: a value without a schema");
  }
  if (structs_.size() >= options_.schema_cache_size) structs_.clear();
  out_.Clear();
  writer_.Reset(out_);
  Writer& w = writer_;
  absl::Status st;
  if (options_.schemas_enable) {
    absl::StatusOr<const std::string*> schema_json = CachedSchemaJson(*schema);
    if (!schema_json.ok()) return schema_json.status();
    w.StartObject();
    w.Key("schema", 6);
    WriteRaw(w, out_, (*schema_json)->data(), (*schema_json)->size(), rapidjson::kObjectType);
    w.Key("payload", 7);
    st = WriteValue(w, out_, *schema, value);
    w.EndObject();
  } else {
    st = WriteValue(w, out_, *schema, value);
  }
  if (!st.ok()) {
    std::string_view root =
        schema->name().empty() ? std::string_view("value") : std::string_view(schema->name());
    return absl::Status(st.code(),
                        ToAbsl(StrCat("cannot convert to JSON: ", root, ToStd(st.message()))));
  }
  return std::optional<std::string_view>(std::string_view(out_.GetString(), out_.GetSize()));
}

absl::StatusOr<std::string> JsonConverter::SchemaJson(const Schema& schema) {
  absl::StatusOr<const std::string*> json = CachedSchemaJson(schema);
  if (!json.ok()) return json.status();
  return **json;
}

absl::StatusOr<const std::string*> JsonConverter::CachedSchemaJson(const Schema& schema) {
  auto it = schema_cache_.find(schema.id());
  if (it != schema_cache_.end()) return &it->second;
  schema_out_.Clear();
  Writer w(schema_out_);
  if (absl::Status st = WriteSchema(w, schema_out_, schema, nullptr); !st.ok()) {
    std::string_view root =
        schema.name().empty() ? std::string_view("schema") : std::string_view(schema.name());
    return absl::Status(
        st.code(), ToAbsl(StrCat("cannot convert schema to JSON: ", root, ToStd(st.message()))));
  }
  // A simple bound like Kafka Connect's schemas.cache.size: schemas are per table, so
  // overflowing means churn, and starting over is as good as LRU.
  if (schema_cache_.size() >= options_.schema_cache_size) schema_cache_.clear();
  auto [pos, inserted] = schema_cache_.emplace(
      schema.id(), std::string(schema_out_.GetString(), schema_out_.GetSize()));
  return &pos->second;
}

JsonConverter::StructWriting::StructWriting(const Schema& schema) : memo(schema) {
  quoted_names.reserve(schema.fields().size());
  rapidjson::StringBuffer quoted;
  for (const data::Field& f : schema.fields()) {
    quoted.Clear();
    Writer w(quoted);
    w.String(f.name.data(), static_cast<rapidjson::SizeType>(f.name.size()));
    quoted_names.emplace_back(quoted.GetString(), quoted.GetSize());
  }
}

JsonConverter::StructWriting& JsonConverter::StructFor(const Schema& schema) {
  auto it = structs_.find(schema.id());
  if (it == structs_.end()) it = structs_.try_emplace(schema.id(), schema).first;
  return it->second;
}

absl::Status JsonConverter::WriteSchema(Writer& w, rapidjson::StringBuffer& os,
                                        const Schema& schema, const std::string* field_name) {
  w.StartObject();
  w.Key("type", 4);
  std::string_view type = JsonTypeName(schema.type());
  w.String(type.data(), static_cast<rapidjson::SizeType>(type.size()));
  switch (schema.type()) {
    case Type::kStruct:
      w.Key("fields", 6);
      w.StartArray();
      for (const data::Field& f : schema.fields()) {
        if (absl::Status st = WriteSchema(w, os, *f.schema, &f.name); !st.ok()) {
          return Nest(st, StrCat(".", f.name));
        }
      }
      w.EndArray();
      break;
    case Type::kArray:
      w.Key("items", 5);
      if (absl::Status st = WriteSchema(w, os, *schema.value_schema(), nullptr); !st.ok()) {
        return Nest(st, "[]");
      }
      break;
    case Type::kMap:
      w.Key("keys", 4);
      if (absl::Status st = WriteSchema(w, os, *schema.key_schema(), nullptr); !st.ok())
        return Nest(st, "{key}");
      w.Key("values", 6);
      if (absl::Status st = WriteSchema(w, os, *schema.value_schema(), nullptr); !st.ok())
        return Nest(st, "{value}");
      break;
    default:
      break;
  }
  w.Key("optional", 8);
  w.Bool(schema.optional());
  if (!schema.name().empty()) {
    w.Key("name", 4);
    w.String(schema.name().data(), static_cast<rapidjson::SizeType>(schema.name().size()));
  }
  if (schema.version().has_value()) {
    w.Key("version", 7);
    w.Int(*schema.version());
  }
  if (schema.doc().has_value()) {
    w.Key("doc", 3);
    w.String(schema.doc()->data(), static_cast<rapidjson::SizeType>(schema.doc()->size()));
  }
  if (!schema.parameters().empty()) {
    w.Key("parameters", 10);
    w.StartObject();
    for (const auto& [k, v] : schema.parameters()) {
      w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    }
    w.EndObject();
  }
  if (schema.has_default()) {
    w.Key("default", 7);
    if (absl::Status st = WritePrimitive(w, os, schema, schema.default_value()); !st.ok()) {
      return Nest(st, "{default}");
    }
  }
  if (field_name != nullptr) {
    w.Key("field", 5);
    w.String(field_name->data(), static_cast<rapidjson::SizeType>(field_name->size()));
  }
  w.EndObject();
  return absl::OkStatus();
}

absl::Status JsonConverter::WriteValue(Writer& w, rapidjson::StringBuffer& os, const Schema& schema,
                                       const Value& value) {
  if (value.is_null()) {
    if (schema.has_default()) return WritePrimitive(w, os, schema, schema.default_value());
    if (schema.optional()) {
      w.Null();
      return absl::OkStatus();
    }
    return Leaf("null for a required field without a default");
  }
  switch (schema.type()) {
    case Type::kStruct: {
      if (value.kind != ValueKind::kStruct || value.s->schema != &schema) {
        return Leaf("not a struct of this schema");
      }
      return WriteStruct(w, os, schema, *value.s);
    }
    case Type::kArray: {
      if (value.kind != ValueKind::kArray) return Leaf("not an array");
      const Schema& item = *schema.value_schema();
      w.StartArray();
      for (uint32_t i = 0; i < value.a->size; ++i) {
        if (absl::Status st = WriteValue(w, os, item, value.a->items[i]); !st.ok()) {
          return Nest(st, StrCat("[", i, "]"));
        }
      }
      w.EndArray();
      return absl::OkStatus();
    }
    case Type::kMap: {
      if (value.kind != ValueKind::kMap) return Leaf("not a map");
      const Schema& ks = *schema.key_schema();
      const Schema& vs = *schema.value_schema();
      const data::MapValue& m = *value.m;
      // Kafka Connect: string keys make a JSON object, any other key type an array of pairs.
      bool object_mode = ks.type() == Type::kString;
      if (object_mode)
        w.StartObject();
      else
        w.StartArray();
      for (uint32_t i = 0; i < m.size; ++i) {
        const Value& k = m.entries[2 * i];
        const Value& v = m.entries[2 * i + 1];
        if (object_mode) {
          if (k.is_null())
            return Nest(Leaf("a null key in a map written as a JSON object"), StrCat("{", i, "}"));
          w.Key(k.data, k.size);
          if (absl::Status st = WriteValue(w, os, vs, v); !st.ok())
            return Nest(st, StrCat("{", k.str(), "}"));
        } else {
          w.StartArray();
          if (absl::Status st = WriteValue(w, os, ks, k); !st.ok())
            return Nest(st, StrCat("{key ", i, "}"));
          if (absl::Status st = WriteValue(w, os, vs, v); !st.ok())
            return Nest(st, StrCat("{value ", i, "}"));
          w.EndArray();
        }
      }
      if (object_mode)
        w.EndObject();
      else
        w.EndArray();
      return absl::OkStatus();
    }
    default:
      return WritePrimitive(w, os, schema, value);
  }
}

absl::Status JsonConverter::WriteStruct(Writer& w, rapidjson::StringBuffer& os,
                                        const Schema& schema, const data::StructValue& value) {
  const auto& fields = schema.fields();
  StructWriting& writing = StructFor(schema);
  StructJsonMemo* memo = writing.memo.Consider() ? &writing.memo : nullptr;
  // Worth it while a quarter of the fields at most changed (one, for a small struct).
  if (memo != nullptr &&
      memo->Differences(value.fields, std::max<size_t>(1, fields.size() / 4), &changed_)) {
    return WriteFromMemo(w, os, schema, value, *memo);
  }
  w.StartObject();
  const size_t start = os.GetSize() - 1;  // the '{'
  if (memo != nullptr) {
    value_begin_.resize(fields.size());
    value_end_.resize(fields.size());
  }
  const std::vector<std::string>& keys = writing.quoted_names;
  for (size_t i = 0; i < fields.size(); ++i) {
    const data::Field& f = fields[i];
    // As a key: the writer places the separator for a string in key position.
    WriteRaw(w, os, keys[i].data(), keys[i].size(), rapidjson::kStringType);
    // The writer puts exactly one ':' between a key and its value.
    const size_t value_begin = os.GetSize() + 1;
    if (absl::Status st = WriteValue(w, os, *f.schema, value.fields[i]); !st.ok()) {
      return Nest(st, StrCat(".", f.name));
    }
    if (memo != nullptr) {
      value_begin_[i] = static_cast<uint32_t>(value_begin - start);
      value_end_[i] = static_cast<uint32_t>(os.GetSize() - start);
    }
  }
  w.EndObject();
  if (memo != nullptr) {
    memo->Remember(std::string_view(os.GetString() + start, os.GetSize() - start), value_begin_,
                   value_end_, value.fields);
  }
  return absl::OkStatus();
}

absl::Status JsonConverter::WriteFromMemo(Writer& w, rapidjson::StringBuffer& os,
                                          const Schema& schema, const data::StructValue& value,
                                          StructJsonMemo& memo) {
  // Each changed field alone first, so a value that cannot be written leaves nothing behind.
  new_lengths_.clear();
  field_out_.Clear();
  for (uint32_t field : changed_) {
    const data::Field& f = schema.fields()[field];
    const size_t before = field_out_.GetSize();
    field_writer_.Reset(field_out_);
    if (absl::Status st = WriteValue(field_writer_, field_out_, *f.schema, value.fields[field]);
        !st.ok()) {
      return Nest(st, StrCat(".", f.name));
    }
    new_lengths_.push_back(static_cast<uint32_t>(field_out_.GetSize() - before));
  }
  // The whole struct as one value: the writer places its separator, the text is spliced.
  w.RawValue("", 0, rapidjson::kObjectType);
  const size_t start = os.GetSize();
  const std::string_view old_json = memo.json();
  const char* new_values = field_out_.GetString();
  uint32_t copied_to = 0;
  for (size_t k = 0; k < changed_.size(); ++k) {
    const uint32_t field = changed_[k];
    const uint32_t unchanged = memo.begin(field) - copied_to;
    std::memcpy(os.Push(unchanged), old_json.data() + copied_to, unchanged);
    std::memcpy(os.Push(new_lengths_[k]), new_values, new_lengths_[k]);
    new_values += new_lengths_[k];
    copied_to = memo.end(field);
  }
  const size_t rest = old_json.size() - copied_to;
  std::memcpy(os.Push(rest), old_json.data() + copied_to, rest);
  memo.Update(std::string_view(os.GetString() + start, os.GetSize() - start), changed_,
              new_lengths_, value.fields);
  ++structs_from_memo_;
  return absl::OkStatus();
}

absl::Status JsonConverter::WritePrimitive(Writer& w, rapidjson::StringBuffer& os,
                                           const Schema& schema, const Value& value) {
  switch (schema.type()) {
    case Type::kInt8:
    case Type::kInt16:
    case Type::kInt32:
    case Type::kInt64:
      if (value.kind != ValueKind::kInt) return Leaf("not an integer");
      w.Int64(value.i);
      return absl::OkStatus();
    case Type::kFloat32:
    case Type::kFloat64: {
      if (value.kind != ValueKind::kFloat) return Leaf("not a float");
      // A FLOAT32 is a Java Float: a double beyond its range is infinite once narrowed (and the
      // number formatting below takes finite values only).
      double d = schema.type() == Type::kFloat32 ? static_cast<float>(value.f) : value.f;
      if (std::isnan(d)) {
        w.String("NaN", 3);
      } else if (std::isinf(d)) {
        if (d > 0)
          w.String("Infinity", 8);
        else
          w.String("-Infinity", 9);
      } else {
        char buf[kJavaNumberBufferSize];
        size_t n = schema.type() == Type::kFloat32 ? FormatJavaFloat(static_cast<float>(d), buf)
                                                   : FormatJavaDouble(d, buf);
        WriteRaw(w, os, buf, n, rapidjson::kNumberType);
      }
      return absl::OkStatus();
    }
    case Type::kBoolean:
      if (value.kind != ValueKind::kBoolean) return Leaf("not a boolean");
      w.Bool(value.b);
      return absl::OkStatus();
    case Type::kString:
      if (value.kind != ValueKind::kString) return Leaf("not a string");
      w.String(value.data == nullptr ? "" : value.data, value.size);
      return absl::OkStatus();
    case Type::kBytes:
      if (value.kind != ValueKind::kBytes) return Leaf("not bytes");
      // Base64 needs no escaping: write it raw, quotes included.
      scratch_.clear();
      scratch_.push_back('"');
      AppendBase64(value.str(), &scratch_);
      scratch_.push_back('"');
      WriteRaw(w, os, scratch_.data(), scratch_.size(), rapidjson::kStringType);
      return absl::OkStatus();
    default:
      return Leaf("not a primitive schema");
  }
}

}  // namespace sluice::convert
