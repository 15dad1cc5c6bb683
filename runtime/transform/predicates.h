// Kafka's predicates (org.apache.kafka.connect.transforms.predicates): TopicNameMatches,
// HasHeaderKey, RecordIsTombstone.
#ifndef SLUICE_RUNTIME_TRANSFORM_PREDICATES_H_
#define SLUICE_RUNTIME_TRANSFORM_PREDICATES_H_

#include <memory>
#include <string_view>

#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"

namespace sluice::transform {

inline constexpr std::string_view kTopicNameMatchesClass =
    "org.apache.kafka.connect.transforms.predicates.TopicNameMatches";
inline constexpr std::string_view kHasHeaderKeyClass =
    "org.apache.kafka.connect.transforms.predicates.HasHeaderKey";
inline constexpr std::string_view kRecordIsTombstoneClass =
    "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone";

// Read the options (problems recorded in `options`); nullptr when they are refused.
std::unique_ptr<Predicate> MakeTopicNameMatches(TransformOptions& options);
std::unique_ptr<Predicate> MakeHasHeaderKey(TransformOptions& options);
std::unique_ptr<Predicate> MakeRecordIsTombstone(TransformOptions& options);

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_PREDICATES_H_
