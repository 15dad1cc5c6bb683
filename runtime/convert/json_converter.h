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
// by schema id, and nothing is allocated per field.
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
    // The field names as JSON keys, quoted and escaped once per schema: rapidjson's Writer::Key
    // escapes a key character by character on every record (7% of a backlog drain's CPU, perf).
    std::vector<std::string> quoted_names;
    StructJsonMemo memo;  // the last struct written, for the next one (struct_json_memo.h)
  };
  StructWriting& StructFor(const data::Schema& schema);
  // `os` is the stream `w` writes to, for raw copies that bypass the writer (see WriteRaw).
  absl::Status WriteSchema(Writer& w, rapidjson::StringBuffer& os, const data::Schema& schema,
                           const std::string* field_name);
  absl::Status WriteValue(Writer& w, rapidjson::StringBuffer& os, const data::Schema& schema,
                          const data::Value& value);
  absl::Status WritePrimitive(Writer& w, rapidjson::StringBuffer& os, const data::Schema& schema,
                              const data::Value& value);
  absl::Status WriteStruct(Writer& w, rapidjson::StringBuffer& os, const data::Schema& schema,
                           const data::StructValue& value);
  // Writes a struct that differs from `memo`'s in the fields of changed_ only.
  absl::Status WriteFromMemo(Writer& w, rapidjson::StringBuffer& os, const data::Schema& schema,
                             const data::StructValue& value, StructJsonMemo& memo);

  JsonConverterOptions options_;
  rapidjson::StringBuffer out_;
  Writer writer_;  // reused: a fresh Writer allocates its nesting stack on first use
  rapidjson::StringBuffer schema_out_;
  std::string scratch_;                                     // base64 text, reused
  std::unordered_map<uint64_t, std::string> schema_cache_;  // schema id -> JSON
  // schema id -> its StructWriting. Node-based, so an entry stays put while a nested struct adds
  // one; bounded like schema_cache_, but cleared only between records.
  std::unordered_map<uint64_t, StructWriting> structs_;
  std::vector<uint32_t> changed_, value_begin_, value_end_, new_lengths_;  // reused per struct
  int64_t structs_from_memo_ = 0;
  rapidjson::StringBuffer field_out_;  // one changed field's value, written alone
  Writer field_writer_;
  // The field path of the value being written, filled only when reporting an error.
  std::string error_path_;
};

}  // namespace sluice::convert

#endif  // SLUICE_RUNTIME_CONVERT_JSON_CONVERTER_H_
