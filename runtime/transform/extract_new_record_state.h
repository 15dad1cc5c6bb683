// Debezium's io.debezium.transforms.ExtractNewRecordState ("unwrap"), with Debezium 3.6's options
// and semantics: the change event's envelope replaced by the row after the change; deletes,
// tombstones and truncates handled per `delete.tombstone.handling.mode`; `add.fields` /
// `add.headers` copied from the envelope; `route.by.field`. docs/transforms.md lists the options.
#ifndef SLUICE_RUNTIME_TRANSFORM_EXTRACT_NEW_RECORD_STATE_H_
#define SLUICE_RUNTIME_TRANSFORM_EXTRACT_NEW_RECORD_STATE_H_

#include <memory>

#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"

namespace sluice::transform {

inline constexpr std::string_view kExtractNewRecordStateClass =
    "io.debezium.transforms.ExtractNewRecordState";

// Reads the options (problems recorded in `options`); nullptr when they are refused.
std::unique_ptr<Transformation> MakeExtractNewRecordState(TransformOptions& options);

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_EXTRACT_NEW_RECORD_STATE_H_
