// Kafka's Java client hash: Utils.murmur2 and Utils.toPositive. A keyed record from a Java
// producer goes to partition toPositive(murmur2(key)) % partitions; librdkafka's
// `partitioner=murmur2_random` computes the same for non-null keys. This copy exists so tests and
// tools can say in advance where a key lands.
#ifndef SLUICE_RUNTIME_KAFKA_MURMUR2_H_
#define SLUICE_RUNTIME_KAFKA_MURMUR2_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace sluice::kafka {

// MurmurHash2, 32-bit, seed 0x9747b28c, as Kafka's Java client computes it (a signed Java int).
int32_t Murmur2(absl::string_view key);

// Clears the sign bit (Java's `number & 0x7fffffff`; not abs(), which differs for INT_MIN).
inline int32_t ToPositive(int32_t number) { return number & 0x7fffffff; }

// The partition a Java producer (and librdkafka's murmur2_random) picks for a non-null key.
// REQUIRES: partitions > 0.
inline int32_t PartitionForKey(absl::string_view key, int32_t partitions) {
  return ToPositive(Murmur2(key)) % partitions;
}

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_MURMUR2_H_
