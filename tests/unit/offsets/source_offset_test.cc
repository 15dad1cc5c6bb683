// The one equality rule of owned partitions and offsets (source_offset.h, "Equality"): field by
// field in order, which is "the same offsets-topic key", with a hash that agrees.
#include "runtime/offsets/source_offset.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash_testing.h"
#include "gtest/gtest.h"
#include "runtime/offsets/offset_codec.h"

namespace sluice::offsets {
namespace {

// Partitions that differ in one way each from the first: order, value, type, sign of zero, field.
std::vector<SourcePartition> Variants() {
  return {
      SourcePartition{{"server", std::string("s")}, {"database", std::string("d")}},
      SourcePartition{{"database", std::string("d")}, {"server", std::string("s")}},
      SourcePartition{{"server", std::string("s")}, {"database", std::string("e")}},
      SourcePartition{{"server", std::string("s")}},
      SourcePartition{{"shard", int64_t{1}}},
      SourcePartition{{"shard", 1.0}},
      SourcePartition{{"shard", std::string("1")}},
      SourcePartition{{"shard", true}},
      SourcePartition{{"shard", std::monostate{}}},
      SourcePartition{{"shard", 0.0}},
      SourcePartition{{"shard", -0.0}},
      SourcePartition{},
  };
}

TEST(SourceOffsetEquality, IsFieldByFieldInOrder) {
  const SourcePartition a{{"server", std::string("s")}, {"database", std::string("d")}};
  EXPECT_EQ(a, (SourcePartition{{"server", std::string("s")}, {"database", std::string("d")}}));
  EXPECT_NE(a, (SourcePartition{{"database", std::string("d")}, {"server", std::string("s")}}))
      << "the same fields in another order are another offsets-topic key";
  EXPECT_NE((SourceOffset{{"pos", int64_t{1}}}), (SourceOffset{{"pos", 1.0}}));
  EXPECT_NE((SourceOffset{{"pos", 0.0}}), (SourceOffset{{"pos", -0.0}}));
  EXPECT_EQ((SourceOffset{{"x", std::nan("")}}), (SourceOffset{{"x", std::nan("")}}))
      << "a double is compared by its bits, so equality stays reflexive for hash containers";
}

TEST(SourceOffsetEquality, EqualExactlyWhenTheOffsetsTopicKeyBytesAreEqual) {
  const std::vector<SourcePartition> variants = Variants();
  for (const SourcePartition& a : variants) {
    for (const SourcePartition& b : variants) {
      absl::StatusOr<std::string> key_a = EncodeOffsetKey("c", a);
      absl::StatusOr<std::string> key_b = EncodeOffsetKey("c", b);
      ASSERT_TRUE(key_a.ok() && key_b.ok());
      EXPECT_EQ(a == b, *key_a == *key_b) << *key_a << " vs " << *key_b;
    }
  }
}

TEST(SourceOffsetEquality, HashAgreesWithEquality) {
  EXPECT_TRUE(absl::VerifyTypeImplementsAbslHashCorrectly(Variants()));
  std::vector<SourceOffset> offsets = {
      SourceOffset{{"pos", int64_t{4}}}, SourceOffset{{"pos", 4.0}},
      SourceOffset{{"file", std::string("f")}, {"pos", int64_t{4}}},
      SourceOffset{{"pos", int64_t{4}}, {"file", std::string("f")}}};
  EXPECT_TRUE(absl::VerifyTypeImplementsAbslHashCorrectly(offsets));
}

TEST(SourceOffsetEquality, AHashSetHoldsEachOffsetsTopicKeyOnce) {
  absl::flat_hash_set<SourcePartition> set;
  for (const SourcePartition& p : Variants()) set.insert(p);
  for (const SourcePartition& p : Variants()) set.insert(p);
  EXPECT_EQ(set.size(), Variants().size());
  EXPECT_TRUE(set.contains(SourcePartition{{"shard", -0.0}}));
}

}  // namespace
}  // namespace sluice::offsets
