// A record's views copied into owned partitions and offsets, and the copy-free check that a record
// carries a partition, which must agree with the owned equality.
#include "runtime/offsets/record_offsets.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sluice::offsets {
namespace {

using data::ScalarKind;

// Entries as a connector's batch holds them: only the kind's member is set.
data::ScalarEntry Null(std::string_view k) { return {k, ScalarKind::kNull, 0, 0, false, {}}; }
data::ScalarEntry Int(std::string_view k, int64_t v) {
  return {k, ScalarKind::kInt, v, 0, false, {}};
}
data::ScalarEntry Float(std::string_view k, double v) {
  return {k, ScalarKind::kFloat, 0, v, false, {}};
}
data::ScalarEntry Boolean(std::string_view k, bool v) {
  return {k, ScalarKind::kBoolean, 0, 0, v, {}};
}
data::ScalarEntry Text(std::string_view k, std::string_view v) {
  return {k, ScalarKind::kString, 0, 0, false, v};
}

data::SourceRecord With(data::ScalarMap partition, data::ScalarMap offset = {}) {
  data::SourceRecord r;
  r.source_partition = partition;
  r.source_offset = offset;
  return r;
}

TEST(RecordOffsets, CopiesTheViewsInOrderWithTheirKinds) {
  const std::vector<data::ScalarEntry> partition = {Text("server", "shop")};
  const std::vector<data::ScalarEntry> offset = {Text("file", "mariadb-bin.000001"), Int("pos", 4),
                                                 Float("f", 0.5), Boolean("snapshot", true),
                                                 Null("gtids")};
  const data::SourceRecord record = With(partition, offset);
  EXPECT_EQ(SourcePartitionOf(record), (SourcePartition{{"server", std::string("shop")}}));
  EXPECT_EQ(SourceOffsetOf(record), (SourceOffset{{"file", std::string("mariadb-bin.000001")},
                                                  {"pos", int64_t{4}},
                                                  {"f", 0.5},
                                                  {"snapshot", true},
                                                  {"gtids", std::monostate{}}}));
  EXPECT_TRUE(SourceOffsetOf(With({})).empty());
}

TEST(RecordOffsets, ViewComparisonsAgreeWithTheOwnedEquality) {
  const std::vector<std::vector<data::ScalarEntry>> views = {
      {Text("server", "s"), Int("shard", 1)},
      {Int("shard", 1), Text("server", "s")},
      {Text("server", "s"), Int("shard", 2)},
      {Text("server", "s"), Text("shard", "1")},
      {Text("server", "s"), Float("shard", 1.0)},
      {Text("server", "s")},
      {Float("x", 0.0)},
      {Float("x", -0.0)},
      {Boolean("x", true)},
      {Null("x")},
      {},
  };
  for (const auto& a : views) {
    const SourcePartition owned = SourcePartitionOf(With(a));
    for (const auto& b : views) {
      const data::SourceRecord record = With(b);
      EXPECT_EQ(HasSourcePartition(record, owned), SourcePartitionOf(record) == owned);
      EXPECT_EQ(data::SameScalars(a, b), SourcePartitionOf(record) == owned)
          << "two records' views compare as their owned copies do";
    }
  }
}

}  // namespace
}  // namespace sluice::offsets
