// Kafka Connect's schema model, as the host holds it.
//
// A Schema is immutable once built and shared by every record that uses it: connectors build one
// per table (not per row), so building may allocate freely while reading must be cheap. Each schema
// carries a process-unique id so caches (the JSON converter's rendered schema text) can key on it
// without keeping the schema alive or being fooled by a reused address.
//
// Thread-safety: a built Schema is immutable and safe to read from any thread.
#ifndef SLUICE_RUNTIME_DATA_SCHEMA_H_
#define SLUICE_RUNTIME_DATA_SCHEMA_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/data/value.h"

namespace sluice::data {

// The numbers equal sluice_type in the C ABI, so the host converts by cast.
enum class Type : uint8_t {
  kInt8 = 1,
  kInt16 = 2,
  kInt32 = 3,
  kInt64 = 4,
  kFloat32 = 5,
  kFloat64 = 6,
  kBoolean = 7,
  kString = 8,
  kBytes = 9,
  kArray = 10,
  kMap = 11,
  kStruct = 12,
};

// Kafka Connect's lower-case type name ("int8", ..., "struct").
std::string_view TypeName(Type type);
bool IsPrimitive(Type type);
bool IsInteger(Type type);

// Logical names the runtime knows about.
inline constexpr std::string_view kDecimalLogicalName = "org.apache.kafka.connect.data.Decimal";

class Schema;
using SchemaPtr = std::shared_ptr<const Schema>;

struct Field {
  std::string name;
  SchemaPtr schema;
  uint32_t index;
};

class Schema {
 public:
  Type type() const { return type_; }
  bool optional() const { return optional_; }
  // Empty when the schema has no name.
  const std::string& name() const { return name_; }
  const std::optional<int32_t>& version() const { return version_; }
  const std::optional<std::string>& doc() const { return doc_; }
  // In insertion order (Kafka Connect keeps a LinkedHashMap).
  const std::vector<std::pair<std::string, std::string>>& parameters() const { return parameters_; }
  // kNull when there is no default. Strings and bytes point into this schema.
  const Value& default_value() const { return default_; }
  bool has_default() const { return default_.kind != ValueKind::kNull; }

  // STRUCT only.
  const std::vector<Field>& fields() const { return fields_; }
  // Index of field `name`, or -1.
  int32_t FieldIndex(std::string_view name) const;
  // MAP only.
  const Schema* key_schema() const { return key_schema_.get(); }
  // ARRAY (elements) and MAP (values) only.
  const Schema* value_schema() const { return value_schema_.get(); }

  uint64_t id() const { return id_; }

 private:
  friend class SchemaBuilder;
  Schema() = default;

  Type type_ = Type::kInt32;
  bool optional_ = false;
  std::string name_;
  std::optional<int32_t> version_;
  std::optional<std::string> doc_;
  std::vector<std::pair<std::string, std::string>> parameters_;
  std::string default_storage_;  // backs default_ for strings and bytes
  Value default_;
  std::vector<Field> fields_;
  SchemaPtr key_schema_;
  SchemaPtr value_schema_;
  uint64_t id_ = 0;
};

// Builds a Schema, checking it as a whole in Build() (Kafka Connect's SchemaBuilder, minus the
// exceptions).
class SchemaBuilder {
 public:
  explicit SchemaBuilder(Type type);
  static SchemaBuilder Struct() { return SchemaBuilder(Type::kStruct); }
  static SchemaBuilder Array(SchemaPtr element);
  static SchemaBuilder Map(SchemaPtr key, SchemaPtr value);

  SchemaBuilder& Optional(bool optional = true);
  SchemaBuilder& Name(std::string_view name);
  SchemaBuilder& Version(int32_t version);
  SchemaBuilder& Doc(std::string_view doc);
  SchemaBuilder& Parameter(std::string_view name, std::string_view value);
  // Primitives only; string and bytes contents are copied.
  SchemaBuilder& Default(const Value& value);
  SchemaBuilder& AddField(std::string_view name, SchemaPtr schema);
  SchemaBuilder& KeySchema(SchemaPtr key);
  SchemaBuilder& ValueSchema(SchemaPtr value);

  // InvalidArgument naming the problem: duplicate field, missing element/key/value schema, fields
  // on a non-struct, a default that does not fit the type.
  absl::StatusOr<SchemaPtr> Build();

 private:
  std::unique_ptr<Schema> schema_;
  std::string error_;
};

// Shorthand for a primitive schema without name or default.
SchemaPtr PrimitiveSchema(Type type, bool optional = false);

// Decimal(scale) as Kafka Connect builds it: bytes, name ...Decimal, parameter scale; optionally
// connect.decimal.precision as Debezium adds.
SchemaPtr DecimalSchema(int32_t scale, std::optional<int32_t> precision = std::nullopt,
                        bool optional = false);

}  // namespace sluice::data

#endif  // SLUICE_RUNTIME_DATA_SCHEMA_H_
