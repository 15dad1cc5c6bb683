#include "runtime/data/schema.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "runtime/common/string_view_compat.h"

namespace sluice::data {
namespace {

std::atomic<uint64_t> next_schema_id{1};

// Whether a default of kind `kind` fits a schema of type `type`.
bool DefaultFits(Type type, ValueKind kind) {
  switch (kind) {
    case ValueKind::kInt:
      return IsInteger(type);
    case ValueKind::kFloat:
      return type == Type::kFloat32 || type == Type::kFloat64;
    case ValueKind::kBoolean:
      return type == Type::kBoolean;
    case ValueKind::kString:
      return type == Type::kString;
    case ValueKind::kBytes:
      return type == Type::kBytes;
    default:
      return false;
  }
}

}  // namespace

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kInt8:
      return "int8";
    case Type::kInt16:
      return "int16";
    case Type::kInt32:
      return "int32";
    case Type::kInt64:
      return "int64";
    case Type::kFloat32:
      return "float32";
    case Type::kFloat64:
      return "float64";
    case Type::kBoolean:
      return "boolean";
    case Type::kString:
      return "string";
    case Type::kBytes:
      return "bytes";
    case Type::kArray:
      return "array";
    case Type::kMap:
      return "map";
    case Type::kStruct:
      return "struct";
  }
  return "unknown";
}

bool IsPrimitive(Type type) {
  return type != Type::kArray && type != Type::kMap && type != Type::kStruct;
}

bool IsInteger(Type type) {
  return type == Type::kInt8 || type == Type::kInt16 || type == Type::kInt32 ||
         type == Type::kInt64;
}

int32_t Schema::FieldIndex(std::string_view name) const {
  for (const Field& f : fields_) {
    if (f.name == name) return static_cast<int32_t>(f.index);
  }
  return -1;
}

SchemaBuilder::SchemaBuilder(Type type) : schema_(new Schema()) {
  schema_->type_ = type;
  if (static_cast<int>(type) < 1 || static_cast<int>(type) > 12) {
    error_ = StrCat("unknown schema type ", static_cast<int>(type));
  }
}

SchemaBuilder SchemaBuilder::Array(SchemaPtr element) {
  SchemaBuilder b(Type::kArray);
  b.ValueSchema(std::move(element));
  return b;
}

SchemaBuilder SchemaBuilder::Map(SchemaPtr key, SchemaPtr value) {
  SchemaBuilder b(Type::kMap);
  b.KeySchema(std::move(key));
  b.ValueSchema(std::move(value));
  return b;
}

SchemaBuilder& SchemaBuilder::Optional(bool optional) {
  schema_->optional_ = optional;
  return *this;
}

SchemaBuilder& SchemaBuilder::Name(std::string_view name) {
  schema_->name_ = std::string(name);
  return *this;
}

SchemaBuilder& SchemaBuilder::Version(int32_t version) {
  schema_->version_ = version;
  return *this;
}

SchemaBuilder& SchemaBuilder::Doc(std::string_view doc) {
  schema_->doc_ = std::string(doc);
  return *this;
}

SchemaBuilder& SchemaBuilder::Parameter(std::string_view name, std::string_view value) {
  for (auto& [n, v] : schema_->parameters_) {
    if (n == name) {  // Kafka Connect's map semantics: a repeated name replaces the value
      v = std::string(value);
      return *this;
    }
  }
  schema_->parameters_.emplace_back(std::string(name), std::string(value));
  return *this;
}

SchemaBuilder& SchemaBuilder::Default(const Value& value) {
  if (value.is_null()) return *this;
  if (!IsPrimitive(schema_->type_)) {
    error_ = StrCat("a default value is supported for primitive schemas only, not ",
                    TypeName(schema_->type_));
    return *this;
  }
  if (!DefaultFits(schema_->type_, value.kind)) {
    error_ = StrCat("default value does not fit schema type ", TypeName(schema_->type_));
    return *this;
  }
  schema_->default_ = value;
  if (value.kind == ValueKind::kString || value.kind == ValueKind::kBytes) {
    schema_->default_storage_ = std::string(value.str());
    // The pointer is fixed up in Build(), once the schema no longer moves.
  }
  return *this;
}

SchemaBuilder& SchemaBuilder::AddField(std::string_view name, SchemaPtr schema) {
  if (schema_->type_ != Type::kStruct) {
    error_ = StrCat("field `", name, "` added to a ", TypeName(schema_->type_),
                    " schema; only structs have fields");
    return *this;
  }
  if (schema == nullptr) {
    error_ = StrCat("field `", name, "` has no schema");
    return *this;
  }
  if (schema_->FieldIndex(name) >= 0) {
    error_ = StrCat("duplicate field name `", name, "`");
    return *this;
  }
  auto index = static_cast<uint32_t>(schema_->fields_.size());
  schema_->fields_.push_back(Field{std::string(name), std::move(schema), index});
  return *this;
}

SchemaBuilder& SchemaBuilder::KeySchema(SchemaPtr key) {
  schema_->key_schema_ = std::move(key);
  return *this;
}

SchemaBuilder& SchemaBuilder::ValueSchema(SchemaPtr value) {
  schema_->value_schema_ = std::move(value);
  return *this;
}

absl::StatusOr<SchemaPtr> SchemaBuilder::Build() {
  if (schema_ == nullptr) return absl::FailedPreconditionError("SchemaBuilder::Build called twice");
  std::string where = schema_->name_.empty() ? std::string(TypeName(schema_->type_))
                                             : StrCat("`", schema_->name_, "`");
  if (!error_.empty()) return absl::InvalidArgumentError(StrCat("schema ", where, ": ", error_));
  Type t = schema_->type_;
  if ((t == Type::kArray || t == Type::kMap) && schema_->value_schema_ == nullptr) {
    return absl::InvalidArgumentError(StrCat("schema ", where, ": ", TypeName(t), " needs a ",
                                             t == Type::kArray ? "element" : "value", " schema"));
  }
  if (t == Type::kMap && schema_->key_schema_ == nullptr) {
    return absl::InvalidArgumentError(StrCat("schema ", where, ": map needs a key schema"));
  }
  if (t != Type::kArray && t != Type::kMap && schema_->value_schema_ != nullptr) {
    return absl::InvalidArgumentError(
        StrCat("schema ", where, ": only arrays and maps have a value schema"));
  }
  if (t != Type::kMap && schema_->key_schema_ != nullptr) {
    return absl::InvalidArgumentError(StrCat("schema ", where, ": only maps have a key schema"));
  }
  if (schema_->default_.kind == ValueKind::kString || schema_->default_.kind == ValueKind::kBytes) {
    schema_->default_.data = schema_->default_storage_.data();
  }
  schema_->id_ = next_schema_id.fetch_add(1, std::memory_order_relaxed);
  return SchemaPtr(std::move(schema_));
}

SchemaPtr PrimitiveSchema(Type type, bool optional) {
  return *SchemaBuilder(type).Optional(optional).Build();
}

SchemaPtr DecimalSchema(int32_t scale, std::optional<int32_t> precision, bool optional) {
  SchemaBuilder b(Type::kBytes);
  b.Name(kDecimalLogicalName).Version(1).Parameter("scale", StrCat(scale)).Optional(optional);
  if (precision.has_value()) b.Parameter("connect.decimal.precision", StrCat(*precision));
  return *b.Build();
}

}  // namespace sluice::data
