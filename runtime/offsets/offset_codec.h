// The byte format of Kafka Connect's offsets topic (FORMATS.md, "Kafka Connect's own topics"):
//   key   = ["<connector>",{<source partition>}]   compact JSON, fields in the connector's order
//   value = {<source offset>}                      compact JSON; a null value (tombstone) = reset
// Kafka Connect compares key bytes, so the encoding here is byte-exact and has one spelling.
#ifndef SLUICE_RUNTIME_OFFSETS_OFFSET_CODEC_H_
#define SLUICE_RUNTIME_OFFSETS_OFFSET_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/offsets/source_offset.h"

namespace sluice::offsets {

// InvalidArgument only for a NaN or infinite double, which JSON cannot carry.
absl::StatusOr<std::string> EncodeOffsetKey(absl::string_view connector,
                                            const SourcePartition& partition);
absl::StatusOr<std::string> EncodeOffsetValue(const SourceOffset& offset);
// A partition alone, `{...}` spelled as inside the key: how the admin API shows and takes one.
absl::StatusOr<std::string> EncodeSourcePartition(const SourcePartition& partition);

struct DecodedOffsetKey {
  std::string connector;
  SourcePartition partition;
};

// DataLoss when the bytes are not in the format above (not JSON, not a 2-element array of a
// string and an object, or a nested value): the record was not written by Kafka Connect or us.
absl::StatusOr<DecodedOffsetKey> DecodeOffsetKey(absl::string_view bytes);
absl::StatusOr<SourceOffset> DecodeOffsetValue(absl::string_view bytes);
// A partition alone (EncodeSourcePartition's format), fields kept in the order given.
absl::StatusOr<SourcePartition> DecodeSourcePartition(absl::string_view bytes);

}  // namespace sluice::offsets

#endif  // SLUICE_RUNTIME_OFFSETS_OFFSET_CODEC_H_
