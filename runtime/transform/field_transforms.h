// Kafka's transforms of a record's key or value struct (org.apache.kafka.connect.transforms.*):
// ReplaceField, ExtractField, SetSchemaMetadata (each as `$Key` and `$Value`), InsertField
// MaskField and Flatten (`$Key`, `$Value`) and ValueToKey, with their options and semantics (docs/transforms.md).
#ifndef SLUICE_RUNTIME_TRANSFORM_FIELD_TRANSFORMS_H_
#define SLUICE_RUNTIME_TRANSFORM_FIELD_TRANSFORMS_H_

#include <memory>
#include <string_view>

#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"

namespace sluice::transform {

inline constexpr std::string_view kReplaceFieldKeyClass =
    "org.apache.kafka.connect.transforms.ReplaceField$Key";
inline constexpr std::string_view kReplaceFieldValueClass =
    "org.apache.kafka.connect.transforms.ReplaceField$Value";
inline constexpr std::string_view kExtractFieldKeyClass =
    "org.apache.kafka.connect.transforms.ExtractField$Key";
inline constexpr std::string_view kExtractFieldValueClass =
    "org.apache.kafka.connect.transforms.ExtractField$Value";
inline constexpr std::string_view kSetSchemaMetadataKeyClass =
    "org.apache.kafka.connect.transforms.SetSchemaMetadata$Key";
inline constexpr std::string_view kSetSchemaMetadataValueClass =
    "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value";
inline constexpr std::string_view kInsertFieldKeyClass =
    "org.apache.kafka.connect.transforms.InsertField$Key";
inline constexpr std::string_view kInsertFieldValueClass =
    "org.apache.kafka.connect.transforms.InsertField$Value";
inline constexpr std::string_view kMaskFieldKeyClass =
    "org.apache.kafka.connect.transforms.MaskField$Key";
inline constexpr std::string_view kMaskFieldValueClass =
    "org.apache.kafka.connect.transforms.MaskField$Value";
inline constexpr std::string_view kFlattenKeyClass =
    "org.apache.kafka.connect.transforms.Flatten$Key";
inline constexpr std::string_view kFlattenValueClass =
    "org.apache.kafka.connect.transforms.Flatten$Value";
inline constexpr std::string_view kValueToKeyClass =
    "org.apache.kafka.connect.transforms.ValueToKey";

// Read the options (problems recorded in `options`); nullptr when they are refused.
std::unique_ptr<Transformation> MakeReplaceFieldKey(TransformOptions& options);
std::unique_ptr<Transformation> MakeReplaceFieldValue(TransformOptions& options);
std::unique_ptr<Transformation> MakeExtractFieldKey(TransformOptions& options);
std::unique_ptr<Transformation> MakeExtractFieldValue(TransformOptions& options);
std::unique_ptr<Transformation> MakeSetSchemaMetadataKey(TransformOptions& options);
std::unique_ptr<Transformation> MakeSetSchemaMetadataValue(TransformOptions& options);
std::unique_ptr<Transformation> MakeInsertFieldKey(TransformOptions& options);
std::unique_ptr<Transformation> MakeInsertFieldValue(TransformOptions& options);
std::unique_ptr<Transformation> MakeMaskFieldKey(TransformOptions& options);
std::unique_ptr<Transformation> MakeMaskFieldValue(TransformOptions& options);
std::unique_ptr<Transformation> MakeFlattenKey(TransformOptions& options);
std::unique_ptr<Transformation> MakeFlattenValue(TransformOptions& options);
std::unique_ptr<Transformation> MakeValueToKey(TransformOptions& options);

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_FIELD_TRANSFORMS_H_
