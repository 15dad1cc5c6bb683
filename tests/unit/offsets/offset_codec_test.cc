#include "runtime/offsets/offset_codec.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::offsets {
namespace {

using ::testing::HasSubstr;

TEST(OffsetCodecTest, KeyIsKafkaConnectsExactBytes) {
  auto key =
      EncodeOffsetKey("inventory-connector", SourcePartition{{"server", std::string("dbserver1")}});
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, R"(["inventory-connector",{"server":"dbserver1"}])");
}

TEST(OffsetCodecTest, KeyKeepsTheConnectorsFieldOrder) {
  auto key = EncodeOffsetKey("c", SourcePartition{{"server", std::string("x")}, {"a", int64_t{1}}});
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, R"(["c",{"server":"x","a":1}])");
}

TEST(OffsetCodecTest, KeyEscapesStrings) {
  auto key =
      EncodeOffsetKey("we\"ird\\name", SourcePartition{{"server", std::string("tab\there")}});
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, R"(["we\"ird\\name",{"server":"tab\there"}])");
}

TEST(OffsetCodecTest, ValueIsCompactJsonOfPrimitives) {
  SourceOffset offset{{"file", std::string("mysql-bin.000003")},
                      {"pos", int64_t{154}},
                      {"row", int64_t{1}},
                      {"ts_sec", int64_t{1700000000}},
                      {"snapshot", true},
                      {"gtids", std::monostate{}},
                      {"ratio", 0.5}};
  auto value = EncodeOffsetValue(offset);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(
      *value,
      R"({"file":"mysql-bin.000003","pos":154,"row":1,"ts_sec":1700000000,"snapshot":true,"gtids":null,"ratio":0.5})");
}

TEST(OffsetCodecTest, NanIsRejected) {
  auto value = EncodeOffsetValue(SourceOffset{{"x", std::nan("")}});
  ASSERT_FALSE(value.ok());
  EXPECT_THAT(value.status().message(), HasSubstr("`x`"));
}

TEST(OffsetCodecTest, RoundTripPreservesOrderAndTypes) {
  SourcePartition partition{{"server", std::string("s")}, {"db", std::string("d")}};
  SourceOffset offset{{"pos", int64_t{-5}},
                      {"big", int64_t{9007199254740993}},
                      {"f", 1.25},
                      {"b", false},
                      {"n", std::monostate{}},
                      {"s", std::string("ü")}};
  auto key = EncodeOffsetKey("conn", partition);
  auto value = EncodeOffsetValue(offset);
  ASSERT_TRUE(key.ok() && value.ok());
  auto decoded_key = DecodeOffsetKey(*key);
  ASSERT_TRUE(decoded_key.ok()) << decoded_key.status();
  EXPECT_EQ(decoded_key->connector, "conn");
  EXPECT_EQ(decoded_key->partition, partition);
  auto decoded_value = DecodeOffsetValue(*value);
  ASSERT_TRUE(decoded_value.ok()) << decoded_value.status();
  EXPECT_EQ(*decoded_value, offset);
}

TEST(OffsetCodecTest, DecodesKeysWrittenByKafkaConnect) {
  auto decoded = DecodeOffsetKey(R"(["mysql-connector",{"server":"dbserver1"}])");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->partition, (SourcePartition{{"server", std::string("dbserver1")}}));
  auto value = DecodeOffsetValue(
      R"({"transaction_id":null,"ts_sec":1700000000,"file":"mysql-bin.000003","pos":1234,"gtids":"a:1-5","row":1,"server_id":223344,"event":2})");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(std::get<int64_t>(*value->Find("pos")), 1234);
  EXPECT_EQ(std::get<std::string>(*value->Find("gtids")), "a:1-5");
  EXPECT_EQ(value->fields().front().name, "transaction_id");
}

TEST(OffsetCodecTest, MalformedRecordsAreDataLoss) {
  for (const char* bad :
       {"not json", R"({"server":"x"})", R"(["only-name"])", R"([1,{"server":"x"}])",
        R"(["c",{"nested":{"a":1}}])", R"(["c",{"list":[1]}])"}) {
    auto decoded = DecodeOffsetKey(bad);
    EXPECT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << bad;
  }
  EXPECT_EQ(DecodeOffsetValue("[1]").status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace sluice::offsets
