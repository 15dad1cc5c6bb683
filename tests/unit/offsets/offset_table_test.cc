// What the offsets topic holds and the committed-offset lookups made of it (offset_table.h): a key
// is found only as spelled, so a partition's fields count in order, as in Kafka Connect's reader.
#include "runtime/offsets/offset_table.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/offsets/offset_codec.h"

namespace sluice::offsets {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

SourceOffset Pos(int64_t pos) { return SourceOffset{{"pos", pos}}; }

// A two-field partition as a Java connector's HashMap may iterate it, and as we would spell it.
constexpr char kJavaOrderKey[] = R"(["inventory",{"database":"shop","server":"db1"}])";
const SourcePartition kJavaOrder{{"database", std::string("shop")}, {"server", std::string("db1")}};
const SourcePartition kOurOrder{{"server", std::string("db1")}, {"database", std::string("shop")}};

TEST(OffsetTable, FindsAnOffsetByThePartitionsKeyBytes) {
  OffsetTable table;
  ASSERT_TRUE(table.Apply(R"(["inventory",{"server":"db1"}])", R"({"file":"b.000003","pos":154})"));
  EXPECT_EQ(table.Get("inventory", SourcePartition{{"server", std::string("db1")}}),
            (SourceOffset{{"file", std::string("b.000003")}, {"pos", int64_t{154}}}));
  EXPECT_EQ(table.Get("other", SourcePartition{{"server", std::string("db1")}}), std::nullopt);
  EXPECT_EQ(table.Get("inventory", SourcePartition{{"server", std::string("db2")}}), std::nullopt);
}

TEST(OffsetTable, AKeyStoredInAnotherFieldOrderIsNotFound) {
  OffsetTable table;
  ASSERT_TRUE(table.Apply(kJavaOrderKey, R"({"pos":7})"));
  EXPECT_EQ(table.Get("inventory", kOurOrder), std::nullopt)
      << "Kafka Connect's reader would not find it for this partition either";
  EXPECT_EQ(table.Get("inventory", kJavaOrder), Pos(7)) << "asked in the stored order, it is";
  EXPECT_THAT(table.OffsetsFor("inventory"), ElementsAre(Pair(kJavaOrder, Pos(7))))
      << "listed as stored, so the admin API shows the order a task must ask in";
}

TEST(OffsetTable, BothOrdersAreTwoPartitionsEachFoundAsSpelled) {
  OffsetTable table;
  ASSERT_TRUE(table.Apply(kJavaOrderKey, R"({"pos":7})"));
  absl::StatusOr<std::string> ours = EncodeOffsetKey("inventory", kOurOrder);
  ASSERT_TRUE(ours.ok());
  ASSERT_TRUE(table.Apply(*ours, R"({"pos":9})"));
  EXPECT_EQ(table.Get("inventory", kJavaOrder), Pos(7));
  EXPECT_EQ(table.Get("inventory", kOurOrder), Pos(9));
  EXPECT_THAT(table.OffsetsFor("inventory"),
              ElementsAre(Pair(kJavaOrder, Pos(7)), Pair(kOurOrder, Pos(9))));
}

TEST(OffsetTable, AnotherSpellingOfTheSameOrderIsNeitherFoundNorListed) {
  OffsetTable table;
  // Valid JSON in Kafka Connect's shape, but not the bytes its writer (or ours) produces.
  ASSERT_TRUE(table.Apply(R"(["inventory", {"server": "db1"}])", R"({"pos":1})"));
  const SourcePartition db1{{"server", std::string("db1")}};
  EXPECT_EQ(table.Get("inventory", db1), std::nullopt);
  EXPECT_THAT(table.OffsetsFor("inventory"), IsEmpty());
  ASSERT_TRUE(table.Apply(R"(["inventory",{"server":"db1"}])", R"({"pos":2})"));
  EXPECT_THAT(table.OffsetsFor("inventory"), ElementsAre(Pair(db1, Pos(2))))
      << "each partition once: the offset Get finds";
}

TEST(OffsetTable, TheLastValueWinsAndATombstoneDeletes) {
  OffsetTable table;
  const char key[] = R"(["c",{"server":"s"}])";
  ASSERT_TRUE(table.Apply(key, R"({"pos":1})"));
  ASSERT_TRUE(table.Apply(key, R"({"pos":2})"));
  EXPECT_EQ(table.Get("c", SourcePartition{{"server", std::string("s")}}), Pos(2));
  ASSERT_TRUE(table.Apply(key, std::nullopt));
  EXPECT_EQ(table.Get("c", SourcePartition{{"server", std::string("s")}}), std::nullopt);
  EXPECT_TRUE(table.Apply(key, std::nullopt)) << "a tombstone for an absent key is fine";
}

TEST(OffsetTable, RecordsNotInKafkaConnectsFormatAreRefusedAndChangeNothing) {
  OffsetTable table;
  const char key[] = R"(["c",{"server":"s"}])";
  ASSERT_TRUE(table.Apply(key, R"({"pos":1})"));
  EXPECT_FALSE(table.Apply(std::nullopt, R"({"pos":2})"));
  EXPECT_FALSE(table.Apply("not json", R"({"pos":2})"));
  EXPECT_FALSE(table.Apply(R"({"server":"s"})", R"({"pos":2})"));
  EXPECT_FALSE(table.Apply(key, "[1,2]"));
  EXPECT_FALSE(table.Apply(key, R"({"pos":{"nested":1}})"));
  EXPECT_EQ(table.Get("c", SourcePartition{{"server", std::string("s")}}), Pos(1));
}

TEST(OffsetTable, OffsetsForListsOneConnectorsPartitionsInKeyOrder) {
  OffsetTable table;
  ASSERT_TRUE(table.Apply(R"(["a",{"server":"z"}])", R"({"pos":1})"));
  ASSERT_TRUE(table.Apply(R"(["b",{"server":"x"}])", R"({"pos":2})"));
  ASSERT_TRUE(table.Apply(R"(["a",{"server":"y"}])", R"({"pos":3})"));
  EXPECT_THAT(table.OffsetsFor("a"),
              ElementsAre(Pair(SourcePartition{{"server", std::string("y")}}, Pos(3)),
                          Pair(SourcePartition{{"server", std::string("z")}}, Pos(1))));
  EXPECT_THAT(table.OffsetsFor("none"), IsEmpty());
}

}  // namespace
}  // namespace sluice::offsets
