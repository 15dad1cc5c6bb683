// Single message transforms and predicates: Kafka Connect's Transformation and Predicate, run by
// the worker on each record between the connector and the converter (transform_chain.h).
//
// A record is rewritten in place: a transform replaces the views of `record` (topic, key, value,
// schemas, headers) with new ones. What it builds lives in the record's batch arena (values,
// header arrays) or in the transform itself (derived schemas and topic names, cached by what they
// derive from), so the chain allocates from the heap only when it meets a schema or topic it has
// not seen before: the hot path is arena bumps and copies of 16-byte values.
//
// Lifetime: what a transform hands out (schemas, topic text) stays valid while the transform
// lives; the worker keeps one chain per task for the task's life.
// Thread-safety: none; each task thread owns its chain.
#ifndef SLUICE_RUNTIME_TRANSFORM_TRANSFORMATION_H_
#define SLUICE_RUNTIME_TRANSFORM_TRANSFORMATION_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/data/record.h"
#include "runtime/data/record_batch.h"

namespace sluice::transform {

// What a transform did with a record.
enum class Verdict {
  kKeep,  // send the record as it now is
  kDrop,  // send nothing (Kafka Connect's `return null`); its offset still counts as delivered
};

class Transformation {
 public:
  virtual ~Transformation() = default;
  // Rewrites `record`, building what it needs in `batch` (the batch the record came in). Sets
  // `verdict`. A failure (a record the transform cannot handle, e.g. a field of the wrong type) is
  // InvalidArgument naming the transform's class and the field.
  virtual absl::Status Apply(data::SourceRecord& record, data::RecordBatch& batch,
                             Verdict& verdict) = 0;
};

class Predicate {
 public:
  virtual ~Predicate() = default;
  // Whether `record` matches. A failure (a plugin predicate that cannot judge the record) fails
  // the record as a failing transform does: the chain returns it, and the task's error handler
  // (`errors.tolerance`) decides whether the record is skipped or the task fails.
  virtual absl::StatusOr<bool> Test(const data::SourceRecord& record) = 0;
};

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_TRANSFORMATION_H_
