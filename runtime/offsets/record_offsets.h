// A record's source partition and offset, copied out of its batch into the owned form the tracker
// keeps (source_offset.h). The record's views (data::ScalarMap) end with the batch; these copies
// do not.
#ifndef SLUICE_RUNTIME_OFFSETS_RECORD_OFFSETS_H_
#define SLUICE_RUNTIME_OFFSETS_RECORD_OFFSETS_H_

#include "runtime/data/record.h"
#include "runtime/offsets/source_offset.h"

namespace sluice::offsets {

// Copies of the record's views, fields in the record's order, each entry's kind kept.
SourcePartition SourcePartitionOf(const data::SourceRecord& record);
SourceOffset SourceOffsetOf(const data::SourceRecord& record);

// SourcePartitionOf(record) == partition, without the copy: lets a run of records of one partition
// reuse the tracker's handle for it.
bool HasSourcePartition(const data::SourceRecord& record, const SourcePartition& partition);

}  // namespace sluice::offsets

#endif  // SLUICE_RUNTIME_OFFSETS_RECORD_OFFSETS_H_
