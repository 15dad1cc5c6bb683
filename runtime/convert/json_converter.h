// Kafka Connect's JsonConverter output, byte for byte, from the host data model.
//
// schemas.enable=true writes {"schema":<schema>,"payload":<payload>}; false writes the payload
// alone. The facts it follows were read from apache/kafka's JsonConverter.java and JsonSchema.java
// (see docs/connector-abi.md, "JSON format"):
//  - schema keys in the order type, fields | items | keys, values, optional, name, version, doc,
//    parameters, default; a struct field's schema ends with "field": <name>;
//  - type names int8 int16 int32 int64 float double boolean string bytes array map struct
//    (FLOAT32 is "float", FLOAT64 is "double");
//  - BYTES (Decimal's unscaled two's-complement big-endian bytes included) as padded base64;
//  - maps with STRING keys as JSON objects, any other key type as an array of [key, value] pairs;
//  - a null with a default writes the default; a null in a required field without one is an error;
//  - no schema and no value is Kafka's null; floats as Java's Double/Float.toString; NaN and
//    infinities as the strings "NaN", "Infinity", "-Infinity".
//
// Fast path: output goes into one reusable buffer, each schema's JSON is rendered once and cached
// by schema id, and nothing is allocated per field. Values are appended to the buffer directly
// (their separators and field keys are known from the schema), not through RapidJSON's Writer,
// whose state machine for separators cost more than the values; RapidJSON still escapes any
// string that needs it, writes the schemas and formats integers (json_text.h).
#ifndef SLUICE_RUNTIME_CONVERT_JSON_CONVERTER_H_
#define SLUICE_RUNTIME_CONVERT_JSON_CONVERTER_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/convert/converter.h"
#include "runtime/convert/struct_json_memo.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace sluice::convert {

struct JsonConverterOptions {
  bool schemas_enable = true;       // schemas.enable
  size_t schema_cache_size = 1000;  // schemas.cache.size
};

class JsonConverter final : public Converter {
 public:
  explicit JsonConverter(JsonConverterOptions options = {});

  absl::StatusOr<std::optional<std::string_view>> FromConnectData(
      const data::Schema* schema, const data::Value& value) override;

  // The schema's JSON as it appears under "schema" (for tests and the admin API).
  absl::StatusOr<std::string> SchemaJson(const data::Schema& schema);

  // Structs written from the last struct of their schema (struct_json_memo.h), for tests.
  int64_t structs_from_memo() const { return structs_from_memo_; }

 private:
  using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

  absl::StatusOr<const std::string*> CachedSchemaJson(const data::Schema& schema);
  // What writing the structs of one schema keeps, found with one lookup per struct.
  struct StructWriting {
    explicit StructWriting(const data::Schema& schema);
    // Each field's key as it is written before its value: quoted and escaped once per schema,
    // with its ':' and, after the first field, the ',' before it.
    std::vector<std::string> keys;
    StructJsonMemo memo;  // the last struct written, for the next one (struct_json_memo.h)
  };
  StructWriting& StructFor(const data::Schema& schema);
  // The schema's JSON through RapidJSON's Writer (once per schema); `os` is the stream `w`
  // writes to, where a default value is appended.
  absl::Status WriteSchema(Writer& w, rapidjson::StringBuffer& os, const data::Schema& schema,
                           const std::string* field_name);
  // Values, appended to `os` (a JSON value each, no separator before it).
  absl::Status WriteValue(rapidjson::StringBuffer& os, const data::Schema& schema,
                          const data::Value& value);
  absl::Status WritePrimitive(rapidjson::StringBuffer& os, const data::Schema& schema,
                              const data::Value& value);
  absl::Status WriteStruct(rapidjson::StringBuffer& os, const data::Schema& schema,
                           const data::StructValue& value);
  // Writes a struct that differs from `memo`'s in the fields of changed_ only.
  absl::Status WriteFromMemo(rapidjson::StringBuffer& os, const data::Schema& schema,
                             const data::StructValue& value, StructJsonMemo& memo);

  JsonConverterOptions options_;
  rapidjson::StringBuffer out_;
  rapidjson::StringBuffer schema_out_;
  std::unordered_map<uint64_t, std::string> schema_cache_;  // schema id -> JSON
  // schema id -> its StructWriting. Node-based, so an entry stays put while a nested struct adds
  // one; bounded like schema_cache_, but cleared only between records.
  std::unordered_map<uint64_t, StructWriting> structs_;
  // The last few structs_ entries found, tried before the map: an envelope's few struct schemas
  // (itself, the row, source, transaction) come round on every record. Emptied with structs_.
  struct RecentStruct {
    uint64_t schema_id = 0;
    StructWriting* writing = nullptr;
  };
  static constexpr size_t kRecentStructs = 4;
  RecentStruct recent_[kRecentStructs];
  size_t recent_next_ = 0;
  std::vector<uint32_t> changed_, value_begin_, value_end_, new_lengths_;  // reused per struct
  int64_t structs_from_memo_ = 0;
  // The field path of the value being written, filled only when reporting an error.
  std::string error_path_;
};

}  // namespace sluice::convert

#endif  // SLUICE_RUNTIME_CONVERT_JSON_CONVERTER_H_
