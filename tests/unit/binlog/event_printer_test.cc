// The inspect tool's rendering of events and values.
#include "connectors/mysql/binlog_inspect/event_printer.h"

#include <deque>
#include <string>
#include <vector>

#include "binlog_builder.h"
#include "gtest/gtest.h"

namespace sluice::binlog {
namespace {

using testing::AllColumns;
using testing::Bytes;
using testing::ColumnSpec;
using testing::MakeEvent;
using testing::MakeFormatDescription;
using testing::OptionalField;
using testing::RowsData;
using testing::TableMapData;

class PrinterTest : public ::testing::Test {
 protected:
  PrinterTest() : decoder_(DecoderOptions{.initial_file = "binlog.000001"}) {
    (void)decoder_.Decode(Keep(MakeFormatDescription("10.11.6-MariaDB-log", false)));
    Bytes names;
    names.PackedStr("id").PackedStr("name").PackedStr("color").PackedStr("raw");
    Bytes meta;
    meta.Append(OptionalField(4, names));
    meta.Append(OptionalField(6, Bytes().Packed(2).PackedStr("red").PackedStr("blue")));
    meta.Append(OptionalField(2, Bytes().Packed(45).Packed(1).Packed(63)));
    std::vector<ColumnSpec> cols = {{ColumnType::kLong, {}, false},
                                    {ColumnType::kVarchar, Bytes().U16(40)},
                                    {ColumnType::kString, Bytes{0xf7, 1}},
                                    {ColumnType::kBlob, Bytes{1}}};
    (void)decoder_.Decode(
        Keep(MakeEvent(EventType::kTableMap, TableMapData(3, "shop", "items", cols, meta))));
  }
  std::span<const uint8_t> Keep(std::vector<uint8_t> b) {
    kept_.push_back(std::move(b));
    return kept_.back();
  }
  Event Decode(EventType type, const Bytes& data) {
    auto e = decoder_.Decode(Keep(MakeEvent(type, data, {.start_position = 500})));
    EXPECT_TRUE(e.ok()) << e.status();
    return *std::move(e);
  }

  std::deque<std::vector<uint8_t>> kept_;
  BinlogDecoder decoder_;
};

Bytes ItemRow(int id, std::string_view name) {
  Bytes r;
  r.U8(0).U32(id).U8(name.size()).Str(name).U8(2).U8(2).Append(Bytes{0x00, 0xff});
  return r;
}

TEST_F(PrinterTest, RowsAsTextWithColumnNamesEnumValuesAndBinary) {
  Event e = Decode(EventType::kWriteRowsV1,
                   RowsData(3, 1, 4, AllColumns(4), nullptr, ItemRow(7, "it's")));
  std::string text;
  ASSERT_TRUE(AppendEventText(e, &text).ok());
  EXPECT_NE(text.find("# at 500  binlog.000001"), std::string::npos) << text;
  EXPECT_NE(text.find("WRITE_ROWS_EVENT_V1"), std::string::npos) << text;
  EXPECT_NE(text.find("### INSERT INTO `shop`.`items`"), std::string::npos) << text;
  EXPECT_NE(text.find("###   @1=7 /* id */"), std::string::npos) << text;
  EXPECT_NE(text.find("###   @2='it\\'s' /* name */"), std::string::npos) << text;
  EXPECT_NE(text.find("###   @3='blue' /* color */"), std::string::npos) << text;
  EXPECT_NE(text.find("###   @4=X'00ff' /* raw */"), std::string::npos) << text;
}

TEST_F(PrinterTest, RowsAsOneJsonObject) {
  Bytes after = AllColumns(4);
  Bytes rows = ItemRow(1, "a");
  rows.Append(ItemRow(1, "b"));
  Event e = Decode(EventType::kUpdateRowsV1, RowsData(3, 1, 4, AllColumns(4), &after, rows));
  std::string json;
  ASSERT_TRUE(AppendEventJson(e, &json).ok());
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_NE(json.find(R"("type":"UPDATE_ROWS_EVENT_V1")"), std::string::npos) << json;
  EXPECT_NE(
      json.find(
          R"("rows":[{"before":{"id":1,"name":"a","color":"blue","raw":"0x00ff"},"after":{"id":1,"name":"b")"),
      std::string::npos)
      << json;
}

TEST_F(PrinterTest, TemporalAndSpecialValues) {
  ColumnInfo c;
  std::string out;
  EXPECT_TRUE(
      AppendValueText(ColumnValue::OfDateTime(DateTime{2024, 2, 29, 13, 45, 7, 123456}, 3), c, &out)
          .ok());
  EXPECT_EQ(out, "'2024-02-29 13:45:07.123'");
  out.clear();
  EXPECT_TRUE(
      AppendValueText(ColumnValue::OfTime(TimeValue{true, 838, 59, 59, 0}, 0), c, &out).ok());
  EXPECT_EQ(out, "'-838:59:59'");
  out.clear();
  EXPECT_TRUE(AppendValueText(ColumnValue::OfTimestamp(Timestamp{1700000000, 5}, 6), c, &out).ok());
  EXPECT_EQ(out, "'2023-11-14 22:13:20.000005'");
  out.clear();
  uint8_t bits[] = {0x0a, 0xbc};
  EXPECT_TRUE(AppendValueText(ColumnValue::Bytes(ValueKind::kBit, bits, 2, 12), c, &out).ok());
  EXPECT_EQ(out, "b'101010111100'");
  out.clear();
  EXPECT_TRUE(AppendValueText(ColumnValue::Null(), c, &out).ok());
  EXPECT_EQ(out, "NULL");
}

TEST_F(PrinterTest, DamagedBinaryJsonIsAnErrorNotText) {
  ColumnInfo c;
  const uint8_t damaged[] = {0x0c, 0x05, 'a'};  // a string of 5 bytes that holds 1
  std::string out = "kept";
  absl::Status s =
      AppendValueText(ColumnValue::Bytes(ValueKind::kJson, damaged, sizeof damaged), c, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(out, "kept");  // nothing appended
  const uint8_t fine[] = {0x04, 0x01};
  ASSERT_TRUE(
      AppendValueText(ColumnValue::Bytes(ValueKind::kJson, fine, sizeof fine), c, &out).ok());
  EXPECT_EQ(out, "kepttrue");
}

TEST_F(PrinterTest, HeaderLineOfOtherEvents) {
  Event e = Decode(EventType::kMariaGtid, Bytes().U64(12).U32(0).U8(0).Zeros(6));
  std::string text;
  ASSERT_TRUE(AppendEventText(e, &text).ok());
  EXPECT_NE(text.find("GTID_EVENT  GTID 0-1-12"), std::string::npos) << text;
}

}  // namespace
}  // namespace sluice::binlog
