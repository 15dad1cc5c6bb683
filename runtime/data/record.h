// One source record as the host holds it after a connector appended it to a batch. Every view
// points into the batch's arena (or a schema) and is valid until the batch is reset.
#ifndef SLUICE_RUNTIME_DATA_RECORD_H_
#define SLUICE_RUNTIME_DATA_RECORD_H_

#include <bit>
#include <cstdint>
#include <span>
#include <string_view>

#include "runtime/data/value.h"

namespace sluice::data {

class Schema;

// A primitive in a flat map (source partition, source offset); the kinds are sluice_scalar_kind's.
enum class ScalarKind : uint8_t { kNull = 0, kInt = 1, kFloat = 2, kBoolean = 3, kString = 4 };

struct ScalarEntry {
  std::string_view key;
  ScalarKind kind = ScalarKind::kNull;
  int64_t i = 0;
  double f = 0;
  bool b = false;
  std::string_view str;
};

using ScalarMap = std::span<const ScalarEntry>;

// True when `a` and `b` hold the same entries in the same order: the equality of the owned maps
// (offsets::FieldMap, runtime/offsets/source_offset.h), doubles compared by their bits.
inline bool SameScalars(ScalarMap a, ScalarMap b) {
  if (a.size() != b.size()) return false;
  for (size_t n = 0; n < a.size(); ++n) {
    const ScalarEntry& x = a[n];
    const ScalarEntry& y = b[n];
    if (x.key != y.key || x.kind != y.kind) return false;
    switch (x.kind) {
      case ScalarKind::kNull:
        break;
      case ScalarKind::kInt:
        if (x.i != y.i) return false;
        break;
      case ScalarKind::kFloat:
        if (std::bit_cast<uint64_t>(x.f) != std::bit_cast<uint64_t>(y.f)) return false;
        break;
      case ScalarKind::kBoolean:
        if (x.b != y.b) return false;
        break;
      case ScalarKind::kString:
        if (x.str != y.str) return false;
        break;
    }
  }
  return true;
}

struct Header {
  std::string_view key;
  const Schema* schema = nullptr;
  Value value;
};

struct SourceRecord {
  std::string_view topic;
  int32_t partition = -1;  // -1: chosen from the key by the producer
  const Schema* key_schema = nullptr;
  Value key;
  const Schema* value_schema = nullptr;
  Value value;
  int64_t timestamp_ms = -1;
  std::span<const Header> headers;
  ScalarMap source_partition;
  ScalarMap source_offset;
  // When the change happened at the source (Unix ms; ABI 1.6), -1 when the record has no such
  // time: the start of its commit-to-ack lag (runtime/worker/ack_lag.h).
  int64_t source_timestamp_ms = -1;
};

}  // namespace sluice::data

#endif  // SLUICE_RUNTIME_DATA_RECORD_H_
