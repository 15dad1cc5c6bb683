#ifndef SLUICE_RUNTIME_WORKER_OFFSET_BRIDGE_H_
#define SLUICE_RUNTIME_WORKER_OFFSET_BRIDGE_H_

// Between the record side (data::ScalarMap views that a connector built into a batch) and the
// Kafka side (offsets::FieldMap values that the tracker and the offsets topic hold).

#include <vector>

#include "runtime/data/owned_scalar_map.h"
#include "runtime/data/record.h"
#include "runtime/offsets/source_offset.h"

namespace sluice::worker {

offsets::SourcePartition ToSourcePartition(data::ScalarMap view);
offsets::SourceOffset ToSourceOffset(data::ScalarMap view);

// The owned form a task receives its committed offsets in.
data::OwnedScalarMap ToOwnedScalarMap(const std::vector<offsets::OffsetField>& fields);

// Views of `fields` as a connector sees them (entries point into `fields`, which must outlive
// the result).
std::vector<data::ScalarEntry> ScalarEntriesOf(const std::vector<offsets::OffsetField>& fields);

// Whether `view` holds exactly `partition`'s entries, in the same order (the cheap check that
// lets consecutive records of one partition skip building a new SourcePartition).
bool SameEntries(data::ScalarMap view, const offsets::SourcePartition& partition);

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_OFFSET_BRIDGE_H_
