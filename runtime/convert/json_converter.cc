#include "runtime/convert/json_converter.h"

#include <algorithm>
#include <cmath>

#include "runtime/common/string_view_compat.h"
#include "runtime/convert/base64.h"
#include "runtime/convert/java_number_format.h"
#include "runtime/convert/json_text.h"

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

constexpr std::string_view kSchemaKey = R"({"schema":)";
constexpr std::string_view kPayloadKey = R"(,"payload":)";

}  // namespace

JsonConverter::JsonConverter(JsonConverterOptions options)
    : options_(options) {}

absl::StatusOr<std::optional<std::string_view>> JsonConverter::FromConnectData(const Schema* schema,
                                                                               const Value& value) {
  // Kafka Connect: no schema and no value is Kafka's null, with or without the envelope.
  if (schema == nullptr && value.is_null()) return std::optional<std::string_view>();
  if (schema == nullptr) {
    return absl::InvalidArgumentError("cannot convert to JSON: a value without a schema");
  }
  if (structs_.size() >= options_.schema_cache_size) {
    structs_.clear();
    for (RecentStruct& recent : recent_) recent = RecentStruct();
  }
  out_.Clear();
  absl::Status st;
  if (options_.schemas_enable) {
    absl::StatusOr<const std::string*> schema_json = CachedSchemaJson(*schema);
    if (!schema_json.ok()) return schema_json.status();
    AppendRaw(out_, kSchemaKey.data(), kSchemaKey.size());
    AppendRaw(out_, (*schema_json)->data(), (*schema_json)->size());
    AppendRaw(out_, kPayloadKey.data(), kPayloadKey.size());
    st = WriteValue(out_, *schema, value);
    AppendChar(out_, '}');
  } else {
    st = WriteValue(out_, *schema, value);
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
  keys.reserve(schema.fields().size());
  rapidjson::StringBuffer key;
  for (const data::Field& f : schema.fields()) {
    key.Clear();
    if (!keys.empty()) AppendChar(key, ',');
    AppendJsonString(key, f.name.data(), f.name.size());
    AppendChar(key, ':');
    keys.emplace_back(key.GetString(), key.GetSize());
  }
}

JsonConverter::StructWriting& JsonConverter::StructFor(const Schema& schema) {
  const uint64_t id = schema.id();
  for (const RecentStruct& recent : recent_) {
    if (recent.writing != nullptr && recent.schema_id == id) return *recent.writing;
  }
  auto it = structs_.find(id);
  if (it == structs_.end()) it = structs_.try_emplace(id, schema).first;
  recent_[recent_next_] = RecentStruct{id, &it->second};
  recent_next_ = (recent_next_ + 1) % kRecentStructs;
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
    // The writer places the ':' (an empty raw value); the default is appended after it.
    w.RawValue("", 0, rapidjson::kNullType);
    if (absl::Status st = WritePrimitive(os, schema, schema.default_value()); !st.ok()) {
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

absl::Status JsonConverter::WriteValue(rapidjson::StringBuffer& os, const Schema& schema,
                                       const Value& value) {
  if (value.is_null()) {
    if (schema.has_default()) return WritePrimitive(os, schema, schema.default_value());
    if (schema.optional()) {
      AppendRaw(os, "null", 4);
      return absl::OkStatus();
    }
    return Leaf("null for a required field without a default");
  }
  switch (schema.type()) {
    case Type::kStruct: {
      if (value.kind != ValueKind::kStruct || value.s->schema != &schema) {
        return Leaf("not a struct of this schema");
      }
      return WriteStruct(os, schema, *value.s);
    }
    case Type::kArray: {
      if (value.kind != ValueKind::kArray) return Leaf("not an array");
      const Schema& item = *schema.value_schema();
      AppendChar(os, '[');
      for (uint32_t i = 0; i < value.a->size; ++i) {
        if (i > 0) AppendChar(os, ',');
        if (absl::Status st = WriteValue(os, item, value.a->items[i]); !st.ok()) {
          return Nest(st, StrCat("[", i, "]"));
        }
      }
      AppendChar(os, ']');
      return absl::OkStatus();
    }
    case Type::kMap: {
      if (value.kind != ValueKind::kMap) return Leaf("not a map");
      const Schema& ks = *schema.key_schema();
      const Schema& vs = *schema.value_schema();
      const data::MapValue& m = *value.m;
      // Kafka Connect: string keys make a JSON object, any other key type an array of pairs.
      bool object_mode = ks.type() == Type::kString;
      AppendChar(os, object_mode ? '{' : '[');
      for (uint32_t i = 0; i < m.size; ++i) {
        const Value& k = m.entries[2 * i];
        const Value& v = m.entries[2 * i + 1];
        if (i > 0) AppendChar(os, ',');
        if (object_mode) {
          if (k.is_null())
            return Nest(Leaf("a null key in a map written as a JSON object"), StrCat("{", i, "}"));
          AppendJsonString(os, k.data, k.size);
          AppendChar(os, ':');
          if (absl::Status st = WriteValue(os, vs, v); !st.ok())
            return Nest(st, StrCat("{", k.str(), "}"));
        } else {
          AppendChar(os, '[');
          if (absl::Status st = WriteValue(os, ks, k); !st.ok())
            return Nest(st, StrCat("{key ", i, "}"));
          AppendChar(os, ',');
          if (absl::Status st = WriteValue(os, vs, v); !st.ok())
            return Nest(st, StrCat("{value ", i, "}"));
          AppendChar(os, ']');
        }
      }
      AppendChar(os, object_mode ? '}' : ']');
      return absl::OkStatus();
    }
    default:
      return WritePrimitive(os, schema, value);
  }
}

absl::Status JsonConverter::WriteStruct(rapidjson::StringBuffer& os, const Schema& schema,
                                        const data::StructValue& value) {
  const auto& fields = schema.fields();
  StructWriting& writing = StructFor(schema);
  StructJsonMemo* memo = writing.memo.Consider() ? &writing.memo : nullptr;
  // Worth it while a quarter of the fields at most changed (one, for a small struct).
  if (memo != nullptr &&
      memo->Differences(value.fields, std::max<size_t>(1, fields.size() / 4), &changed_)) {
    return WriteFromMemo(os, schema, value, *memo);
  }
  const size_t start = os.GetSize();  // the '{'
  AppendChar(os, '{');
  if (memo != nullptr) {
    value_begin_.resize(fields.size());
    value_end_.resize(fields.size());
  }
  const std::vector<std::string>& keys = writing.keys;
  for (size_t i = 0; i < fields.size(); ++i) {
    AppendRaw(os, keys[i].data(), keys[i].size());
    const size_t value_begin = os.GetSize();
    if (absl::Status st = WriteValue(os, *fields[i].schema, value.fields[i]); !st.ok()) {
      return Nest(st, StrCat(".", fields[i].name));
    }
    if (memo != nullptr) {
      value_begin_[i] = static_cast<uint32_t>(value_begin - start);
      value_end_[i] = static_cast<uint32_t>(os.GetSize() - start);
    }
  }
  AppendChar(os, '}');
  if (memo != nullptr) {
    memo->Remember(std::string_view(os.GetString() + start, os.GetSize() - start), value_begin_,
                   value_end_, value.fields);
  }
  return absl::OkStatus();
}

absl::Status JsonConverter::WriteFromMemo(rapidjson::StringBuffer& os, const Schema& schema,
                                          const data::StructValue& value, StructJsonMemo& memo) {
  // The remembered text up to each changed field's value, then that field's new value written in
  // its place. A value that cannot be written fails the whole conversion (the output is dropped)
  // before the memo changes.
  new_lengths_.clear();
  const size_t start = os.GetSize();
  const std::string_view old_json = memo.json();
  uint32_t copied_to = 0;
  for (const uint32_t field : changed_) {
    AppendRaw(os, old_json.data() + copied_to, memo.begin(field) - copied_to);
    const size_t before = os.GetSize();
    const data::Field& f = schema.fields()[field];
    if (absl::Status st = WriteValue(os, *f.schema, value.fields[field]); !st.ok()) {
      return Nest(st, StrCat(".", f.name));
    }
    new_lengths_.push_back(static_cast<uint32_t>(os.GetSize() - before));
    copied_to = memo.end(field);
  }
  AppendRaw(os, old_json.data() + copied_to, old_json.size() - copied_to);
  memo.Update(std::string_view(os.GetString() + start, os.GetSize() - start), changed_,
              new_lengths_, value.fields);
  ++structs_from_memo_;
  return absl::OkStatus();
}

absl::Status JsonConverter::WritePrimitive(rapidjson::StringBuffer& os, const Schema& schema,
                                           const Value& value) {
  switch (schema.type()) {
    case Type::kInt8:
    case Type::kInt16:
    case Type::kInt32:
    case Type::kInt64:
      if (value.kind != ValueKind::kInt) return Leaf("not an integer");
      AppendInt(os, value.i);
      return absl::OkStatus();
    case Type::kFloat32:
    case Type::kFloat64: {
      if (value.kind != ValueKind::kFloat) return Leaf("not a float");
      // A FLOAT32 is a Java Float: a double beyond its range is infinite once narrowed (and the
      // number formatting below takes finite values only).
      double d = schema.type() == Type::kFloat32 ? static_cast<float>(value.f) : value.f;
      if (std::isnan(d)) {
        AppendRaw(os, R"("NaN")", 5);
      } else if (std::isinf(d)) {
        if (d > 0)
          AppendRaw(os, R"("Infinity")", 10);
        else
          AppendRaw(os, R"("-Infinity")", 11);
      } else {
        char* buf = os.Push(kJavaNumberBufferSize);
        size_t n = schema.type() == Type::kFloat32 ? FormatJavaFloat(static_cast<float>(d), buf)
                                                   : FormatJavaDouble(d, buf);
        os.Pop(kJavaNumberBufferSize - n);
      }
      return absl::OkStatus();
    }
    case Type::kBoolean:
      if (value.kind != ValueKind::kBoolean) return Leaf("not a boolean");
      if (value.b)
        AppendRaw(os, "true", 4);
      else
        AppendRaw(os, "false", 5);
      return absl::OkStatus();
    case Type::kString:
      if (value.kind != ValueKind::kString) return Leaf("not a string");
      AppendJsonString(os, value.data, value.size);
      return absl::OkStatus();
    case Type::kBytes: {
      if (value.kind != ValueKind::kBytes) return Leaf("not bytes");
      // Base64 needs no escaping: written between quotes as it is.
      const size_t n = Base64Size(value.size);
      char* out = os.Push(n + 2);
      out[0] = '"';
      EncodeBase64(value.str(), out + 1);
      out[n + 1] = '"';
      return absl::OkStatus();
    }
    default:
      return Leaf("not a primitive schema");
  }
}

}  // namespace sluice::convert
