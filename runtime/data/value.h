// Kafka Connect values, as the host holds them: a 16-byte tagged union whose strings, bytes and
// containers live in a batch's Arena (data/arena.h), so building a row allocates nothing per field.
//
// Ownership: a Value never owns what it points to. Values built by RecordBatch live until the
// batch is reset; default values point into their Schema.
#ifndef SLUICE_RUNTIME_DATA_VALUE_H_
#define SLUICE_RUNTIME_DATA_VALUE_H_

#include <cstdint>
#include <string_view>

namespace sluice::data {

class Schema;
class RecordBatch;
struct StructValue;
struct ArrayValue;
struct MapValue;

enum class ValueKind : uint8_t {
  kNull = 0,
  kInt,    // INT8..INT64
  kFloat,  // FLOAT32, FLOAT64
  kBoolean,
  kString,
  kBytes,
  kStruct,
  kArray,
  kMap,
};

struct Value {
  ValueKind kind = ValueKind::kNull;
  uint32_t size = 0;  // string / bytes length
  union {
    int64_t i;
    double f;
    bool b;
    const char* data;  // string / bytes
    const StructValue* s;
    const ArrayValue* a;
    const MapValue* m;
  };

  Value() : i(0) {}
  static Value Null() { return Value(); }
  static Value Int(int64_t v) {
    Value x;
    x.kind = ValueKind::kInt;
    x.i = v;
    return x;
  }
  static Value Float(double v) {
    Value x;
    x.kind = ValueKind::kFloat;
    x.f = v;
    return x;
  }
  static Value Boolean(bool v) {
    Value x;
    x.kind = ValueKind::kBoolean;
    x.b = v;
    return x;
  }
  // The view must outlive the value (copy it into the arena first).
  static Value String(std::string_view v) {
    Value x;
    x.kind = ValueKind::kString;
    x.data = v.data();
    x.size = static_cast<uint32_t>(v.size());
    return x;
  }
  static Value Bytes(std::string_view v) {
    Value x;
    x.kind = ValueKind::kBytes;
    x.data = v.data();
    x.size = static_cast<uint32_t>(v.size());
    return x;
  }
  static Value Of(const StructValue* v) {
    Value x;
    x.kind = ValueKind::kStruct;
    x.s = v;
    return x;
  }
  static Value Of(const ArrayValue* v) {
    Value x;
    x.kind = ValueKind::kArray;
    x.a = v;
    return x;
  }
  static Value Of(const MapValue* v) {
    Value x;
    x.kind = ValueKind::kMap;
    x.m = v;
    return x;
  }

  bool is_null() const { return kind == ValueKind::kNull; }
  std::string_view str() const { return std::string_view(data, size); }
};
static_assert(sizeof(Value) == 16, "Value is meant to stay two words");

// The common head of every container, so a C handle (sluice_value*) can say what it points to and
// which batch owns it (values may only be filled through, and used in, their own batch).
struct CompositeValue {
  ValueKind kind;
  const Schema* schema;
  RecordBatch* batch;
};

struct StructValue : CompositeValue {
  Value* fields;  // schema->fields().size() of them, in field order
};

struct ArrayValue : CompositeValue {
  Value* items;
  uint32_t size;
  uint32_t capacity;
};

struct MapValue : CompositeValue {
  Value* entries;  // key, value, key, value, ...
  uint32_t size;   // number of pairs
  uint32_t capacity;
};

}  // namespace sluice::data

#endif  // SLUICE_RUNTIME_DATA_VALUE_H_
