// Topic routers: Kafka's org.apache.kafka.connect.transforms.RegexRouter and TimestampRouter, and
// Debezium's
// io.debezium.transforms.ByLogicalTableRouter, with their options and semantics
// (docs/transforms.md).
#ifndef SLUICE_RUNTIME_TRANSFORM_ROUTERS_H_
#define SLUICE_RUNTIME_TRANSFORM_ROUTERS_H_

#include <memory>
#include <string_view>

#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"

namespace sluice::transform {

inline constexpr std::string_view kRegexRouterClass =
    "org.apache.kafka.connect.transforms.RegexRouter";
inline constexpr std::string_view kTimestampRouterClass =
    "org.apache.kafka.connect.transforms.TimestampRouter";
inline constexpr std::string_view kByLogicalTableRouterClass =
    "io.debezium.transforms.ByLogicalTableRouter";

// Read the options (problems recorded in `options`); nullptr when they are refused.
std::unique_ptr<Transformation> MakeRegexRouter(TransformOptions& options);
std::unique_ptr<Transformation> MakeByLogicalTableRouter(TransformOptions& options);
std::unique_ptr<Transformation> MakeTimestampRouter(TransformOptions& options);

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_ROUTERS_H_
