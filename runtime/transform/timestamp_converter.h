// Kafka's org.apache.kafka.connect.transforms.TimestampConverter ($Key and $Value): a timestamp
// (the whole key or value, or one field of its struct) converted between a formatted string, a
// Unix time (seconds to nanoseconds), and Connect's Date, Time and Timestamp, in UTC, with Kafka
// Connect 4.x's results and failures (docs/transforms.md).
#ifndef SLUICE_RUNTIME_TRANSFORM_TIMESTAMP_CONVERTER_H_
#define SLUICE_RUNTIME_TRANSFORM_TIMESTAMP_CONVERTER_H_

#include <memory>
#include <string_view>

#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"

namespace sluice::transform {

inline constexpr std::string_view kTimestampConverterKeyClass =
    "org.apache.kafka.connect.transforms.TimestampConverter$Key";
inline constexpr std::string_view kTimestampConverterValueClass =
    "org.apache.kafka.connect.transforms.TimestampConverter$Value";

// Read the options (problems recorded in `options`); nullptr when they are refused.
std::unique_ptr<Transformation> MakeTimestampConverterKey(TransformOptions& options);
std::unique_ptr<Transformation> MakeTimestampConverterValue(TransformOptions& options);

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_TIMESTAMP_CONVERTER_H_
