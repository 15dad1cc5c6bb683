// The offsets topic as last read, and the committed-offset lookups made of it.
//
// It keeps each key's latest value as raw bytes, as the topic holds them, so a key written by
// Kafka Connect is kept as it was written. The lookup rule is the equality of source_offset.h:
// the committed offset of (connector, partition) is the value stored under
// EncodeOffsetKey(connector, partition), byte for byte, as Kafka Connect's reader finds it. A key
// that spells an equal-looking partition differently (fields in another order, spaces, Java's
// spelling of a double) is another key: Get does not find it, and OffsetsFor leaves it out, so
// OffsetsFor lists exactly what Get finds, each partition once.
//
// Not thread-safe: kafka::OffsetStore owns one and guards it.
#ifndef SLUICE_RUNTIME_OFFSETS_OFFSET_TABLE_H_
#define SLUICE_RUNTIME_OFFSETS_OFFSET_TABLE_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "runtime/offsets/source_offset.h"

namespace sluice::offsets {

class OffsetTable {
 public:
  // Applies one record of the topic, in topic order: a value replaces the key's, a null value
  // (tombstone) deletes it. Returns false, changing nothing, when the key or value is not in
  // Kafka Connect's format (offset_codec.h); Kafka Connect ignores such records, and so do we.
  bool Apply(std::optional<absl::string_view> key, std::optional<absl::string_view> value);

  // The offset stored for (connector, partition), or nullopt.
  std::optional<SourceOffset> Get(absl::string_view connector,
                                  const SourcePartition& partition) const;

  // Every partition Get finds an offset for, for `connector`, in the order of their key bytes.
  std::vector<std::pair<SourcePartition, SourceOffset>> OffsetsFor(
      absl::string_view connector) const;

 private:
  // Key bytes -> value bytes, both valid (Apply checks). Ordered, so OffsetsFor is deterministic.
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace sluice::offsets

#endif  // SLUICE_RUNTIME_OFFSETS_OFFSET_TABLE_H_
