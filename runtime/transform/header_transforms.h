// Kafka's transforms of whole records and their headers: Filter, InsertHeader, DropHeaders,
// HeaderFrom (`$Key`, `$Value`)
// (org.apache.kafka.connect.transforms.*), with their options and semantics (docs/transforms.md).
#ifndef SLUICE_RUNTIME_TRANSFORM_HEADER_TRANSFORMS_H_
#define SLUICE_RUNTIME_TRANSFORM_HEADER_TRANSFORMS_H_

#include <memory>
#include <string_view>

#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"

namespace sluice::transform {

inline constexpr std::string_view kFilterClass = "org.apache.kafka.connect.transforms.Filter";
inline constexpr std::string_view kInsertHeaderClass =
    "org.apache.kafka.connect.transforms.InsertHeader";
inline constexpr std::string_view kHeaderFromKeyClass =
    "org.apache.kafka.connect.transforms.HeaderFrom$Key";
inline constexpr std::string_view kHeaderFromValueClass =
    "org.apache.kafka.connect.transforms.HeaderFrom$Value";
inline constexpr std::string_view kDropHeadersClass =
    "org.apache.kafka.connect.transforms.DropHeaders";

// Read the options (problems recorded in `options`); nullptr when they are refused.
std::unique_ptr<Transformation> MakeFilter(TransformOptions& options);
std::unique_ptr<Transformation> MakeInsertHeader(TransformOptions& options);
std::unique_ptr<Transformation> MakeDropHeaders(TransformOptions& options);
std::unique_ptr<Transformation> MakeHeaderFromKey(TransformOptions& options);
std::unique_ptr<Transformation> MakeHeaderFromValue(TransformOptions& options);

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_HEADER_TRANSFORMS_H_
