// A source partition or source offset that outlives its batch: owned strings, stable order.
//
// Records carry partitions and offsets as views into their batch (record.h); the offset tracker
// and the offsets read back from Kafka need copies that live on. Equality is Kafka Connect's map
// equality: the same keys with equal values, in any order.
#ifndef SLUICE_RUNTIME_DATA_OWNED_SCALAR_MAP_H_
#define SLUICE_RUNTIME_DATA_OWNED_SCALAR_MAP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/data/record.h"

namespace sluice::data {

struct OwnedScalar {
  std::string key;
  ScalarKind kind = ScalarKind::kNull;
  int64_t i = 0;
  double f = 0;
  bool b = false;
  std::string str;

  static OwnedScalar Int(std::string key, int64_t v);
  static OwnedScalar Float(std::string key, double v);
  static OwnedScalar Boolean(std::string key, bool v);
  static OwnedScalar String(std::string key, std::string v);
  static OwnedScalar Null(std::string key);

  bool SameValue(const OwnedScalar& other) const;
};

class OwnedScalarMap {
 public:
  OwnedScalarMap() = default;
  explicit OwnedScalarMap(std::vector<OwnedScalar> entries) : entries_(std::move(entries)) {}
  static OwnedScalarMap CopyOf(ScalarMap view);

  const std::vector<OwnedScalar>& entries() const { return entries_; }
  void Add(OwnedScalar e) { entries_.push_back(std::move(e)); }
  const OwnedScalar* Find(std::string_view key) const;

  // Order-insensitive, as Kafka Connect compares partition maps.
  bool Equals(const OwnedScalarMap& other) const;
  bool Equals(ScalarMap view) const;

 private:
  std::vector<OwnedScalar> entries_;
};

// A committed offset for one source partition, as the worker hands it to a task at start.
struct SourceOffset {
  OwnedScalarMap partition;
  OwnedScalarMap offset;
};

}  // namespace sluice::data

#endif  // SLUICE_RUNTIME_DATA_OWNED_SCALAR_MAP_H_
