// Kafka's org.apache.kafka.connect.transforms.Cast ($Key and $Value): the whole key or value, or
// named fields of its struct, cast to int8, int16, int32, int64, float32, float64, boolean or
// string, with Kafka Connect 4.x's conversions and failures (docs/transforms.md).
#ifndef SLUICE_RUNTIME_TRANSFORM_CAST_H_
#define SLUICE_RUNTIME_TRANSFORM_CAST_H_

#include <memory>
#include <string_view>

#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"

namespace sluice::transform {

inline constexpr std::string_view kCastKeyClass = "org.apache.kafka.connect.transforms.Cast$Key";
inline constexpr std::string_view kCastValueClass =
    "org.apache.kafka.connect.transforms.Cast$Value";

// Read the options (problems recorded in `options`); nullptr when they are refused.
std::unique_ptr<Transformation> MakeCastKey(TransformOptions& options);
std::unique_ptr<Transformation> MakeCastValue(TransformOptions& options);

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_CAST_H_
