// Source partitions and source offsets: the flat maps of primitives a connector attaches to each
// record (Kafka Connect's `Map<String, ?>` sourcePartition / sourceOffset), owned. This is the one
// form the runtime keeps them in beyond a batch: the tracker, the offsets store, the committed
// offsets a task looks up, the herder and the admin API. A record holds views into its batch
// (data::ScalarMap, copied here by record_offsets.h); the ABI passes C views (plugin/host_api.h).
#ifndef SLUICE_RUNTIME_OFFSETS_SOURCE_OFFSET_H_
#define SLUICE_RUNTIME_OFFSETS_SOURCE_OFFSET_H_

#include <bit>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace sluice::offsets {

// A primitive value: null, boolean, integer, floating point or string. Kafka Connect allows only
// primitives in offsets (OffsetUtils.validateFormat), and Debezium uses only these.
using OffsetValue = std::variant<std::monostate, bool, int64_t, double, std::string>;

// The same value under FieldMap's equality: the same alternative holding the same value, a double
// compared by its bits (0.0 and -0.0 are spelled differently in JSON; a NaN equals itself).
inline bool SameOffsetValue(const OffsetValue& a, const OffsetValue& b) {
  if (a.index() != b.index()) return false;
  if (const double* x = std::get_if<double>(&a)) {
    return std::bit_cast<uint64_t>(*x) == std::bit_cast<uint64_t>(std::get<double>(b));
  }
  return a == b;
}

struct OffsetField {
  std::string name;
  OffsetValue value;

  friend bool operator==(const OffsetField& a, const OffsetField& b) {
    return a.name == b.name && SameOffsetValue(a.value, b.value);
  }
  template <typename H>
  friend H AbslHashValue(H h, const OffsetField& f) {
    h = H::combine(std::move(h), f.name, f.value.index());
    return std::visit(
        [&h](const auto& v) -> H {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return std::move(h);
          } else if constexpr (std::is_same_v<T, double>) {
            return H::combine(std::move(h), std::bit_cast<uint64_t>(v));  // as SameOffsetValue
          } else {
            return H::combine(std::move(h), v);
          }
        },
        f.value);
  }
};

// An ordered list of fields, tagged so partitions and offsets are distinct types.
//
// Equality, the one rule for partitions and offsets everywhere in the runtime: two maps are equal
// when they hold the same fields with the same values in the same order, which is exactly when the
// offsets topic holds them under the same key bytes (offset_codec.h writes the fields in this
// order). The hash follows the same rule, so hash containers agree with ==.
//
// Why order counts although Kafka Connect compares partitions as Java Maps (any order) in memory:
// what it stores is the JSON of the map in the map's iteration order, and its reader
// (OffsetStorageReaderImpl) finds a committed offset by serializing the partition the task asks
// for and looking those bytes up. To the offsets topic, its compaction and every Kafka Connect
// worker reading it, {"a":1,"b":2} and {"b":2,"a":1} are two partitions. We keep the connector's
// order (the key bytes are Kafka Connect's format and must not change), so ordered equality is the
// rule under which "equal" means "the same offsets-topic key": the tracker, the store, a task's
// committed-offset lookup and the admin API then agree with each other and with Kafka Connect.
//
// Consequence, by decision: a committed offset stored under another field order (e.g. written by a
// Java connector whose HashMap iterates in another order) is not found when a task asks with its
// own order; the task starts as if none were committed. A connector must spell its partition as
// the stored key does, as it must anyway for Kafka Connect to find what we write. Debezium's MySQL
// partition, {"server":...}, has one field, so its offsets are always found. The alternative, an
// order-insensitive lookup, would find such an offset once, then our first commit would add a
// second key for the "same" partition, and which of the two a later start found would depend on
// hash-map iteration order.
template <typename Tag>
class FieldMap {
 public:
  FieldMap() = default;
  FieldMap(std::initializer_list<OffsetField> fields) : fields_(fields) {}
  explicit FieldMap(std::vector<OffsetField> fields) : fields_(std::move(fields)) {}

  const std::vector<OffsetField>& fields() const { return fields_; }
  std::vector<OffsetField>& mutable_fields() { return fields_; }
  bool empty() const { return fields_.empty(); }

  // nullptr when absent. Linear: these maps have a handful of fields.
  const OffsetValue* Find(absl::string_view name) const {
    for (const OffsetField& f : fields_) {
      if (f.name == name) return &f.value;
    }
    return nullptr;
  }

  friend bool operator==(const FieldMap&, const FieldMap&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const FieldMap& m) {
    return H::combine(std::move(h), m.fields_);
  }

 private:
  std::vector<OffsetField> fields_;
};

struct SourcePartitionTag {};
struct SourceOffsetTag {};
// Distinct types so a partition cannot be passed where an offset is expected.
using SourcePartition = FieldMap<SourcePartitionTag>;
using SourceOffset = FieldMap<SourceOffsetTag>;

}  // namespace sluice::offsets

#endif  // SLUICE_RUNTIME_OFFSETS_SOURCE_OFFSET_H_
