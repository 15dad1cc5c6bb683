// A converter turns a record's key or value (schema + value, Kafka Connect's model) into the
// bytes produced to Kafka: Kafka Connect's Converter.fromConnectData. Chosen per worker by
// `key.converter` / `value.converter` with their `*.converter.*` properties.
//
// Thread-safety: none; each task thread owns its converters (they keep reusable buffers).
#ifndef SLUICE_RUNTIME_CONVERT_CONVERTER_H_
#define SLUICE_RUNTIME_CONVERT_CONVERTER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/data/schema.h"
#include "runtime/data/value.h"

namespace sluice::convert {

class Converter {
 public:
  virtual ~Converter() = default;

  // The serialised form of (`schema`, `value`), or nullopt for Kafka's null (a tombstone value
  // or an absent key). The view is valid until the next call on this converter.
  // InvalidArgument when the value does not fit the schema (naming the field).
  virtual absl::StatusOr<std::optional<std::string_view>> FromConnectData(
      const data::Schema* schema, const data::Value& value) = 0;
};

// Kafka Connect's class name for the JSON converter, as users write it in worker properties.
inline constexpr std::string_view kJsonConverterClass =
    "org.apache.kafka.connect.json.JsonConverter";

// Makes the converter `class_name` configured by `properties` (the `key.converter.` or
// `value.converter.` prefix already stripped, e.g. {"schemas.enable", "false"}).
// InvalidArgument naming the class or property when either is unknown or malformed.
absl::StatusOr<std::unique_ptr<Converter>> CreateConverter(
    std::string_view class_name,
    const std::vector<std::pair<std::string, std::string>>& properties);

}  // namespace sluice::convert

#endif  // SLUICE_RUNTIME_CONVERT_CONVERTER_H_
