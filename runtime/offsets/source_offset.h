// Source partitions and source offsets: the flat maps of primitives a connector attaches to each
// record (Kafka Connect's `Map<String, ?>` sourcePartition / sourceOffset).
#ifndef SLUICE_RUNTIME_OFFSETS_SOURCE_OFFSET_H_
#define SLUICE_RUNTIME_OFFSETS_SOURCE_OFFSET_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace sluice::offsets {

// A primitive value: null, boolean, integer, floating point or string. Kafka Connect allows only
// primitives in offsets (OffsetUtils.validateFormat), and Debezium uses only these.
using OffsetValue = std::variant<std::monostate, bool, int64_t, double, std::string>;

struct OffsetField {
  std::string name;
  OffsetValue value;

  friend bool operator==(const OffsetField&, const OffsetField&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const OffsetField& f) {
    h = H::combine(std::move(h), f.name, f.value.index());
    return std::visit(
        [&h](const auto& v) -> H {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
            return std::move(h);
          } else {
            return H::combine(std::move(h), v);
          }
        },
        f.value);
  }
};

// An ordered list of fields, tagged so partitions and offsets are distinct types. Order is kept,
// not sorted: the offsets topic key is compared as raw bytes by Kafka Connect, so
// `{"server":"x","a":1}` and `{"a":1,"server":"x"}` are different partitions to it, and we write
// fields in the order the connector gave them.
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
