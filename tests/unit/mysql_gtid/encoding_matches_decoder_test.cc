// The binary form MysqlGtidSet::Encode writes is the body of MySQL's PREVIOUS_GTIDS event too: the
// binlog decoder, written separately from the same documentation, must read back the same set.
#include <string>

#include "connectors/mysql/gtid/mysql_gtid_set.h"
#include "gtest/gtest.h"
#include "sluice/binlog/decoder.h"
#include "tests/unit/binlog/binlog_builder.h"

namespace sluice::mysql {
namespace {

using binlog::testing::Bytes;

TEST(MysqlGtidSet, EncodingReadsBackThroughTheDecodersPreviousGtids) {
  binlog::BinlogDecoder decoder(binlog::DecoderOptions{.initial_file = "binlog.000001"});
  const std::vector<uint8_t> format = binlog::testing::MakeFormatDescription("8.0.36", true);
  ASSERT_TRUE(decoder.Decode(format).ok());
  for (const std::string& text : std::vector<std::string>{
           std::string(), std::string("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7:9-1000000"),
           std::string("00000000-0000-0000-0000-000000000001:3,"
                       "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,"
                       "ffffffff-ffff-ffff-ffff-ffffffffffff:9223372036854775806")}) {
    const MysqlGtidSet set = *MysqlGtidSet::Parse(text);
    binlog::testing::EventOptions options;
    options.checksum = true;
    const std::vector<uint8_t> event = binlog::testing::MakeEvent(
        binlog::EventType::kPreviousGtids, Bytes().Append(set.Encode()), options);
    absl::StatusOr<binlog::Event> decoded = decoder.Decode(event);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    const auto* previous = decoded->As<binlog::PreviousGtidsEvent>();
    ASSERT_NE(previous, nullptr);
    EXPECT_EQ(previous->ToString(), text);
  }
}

}  // namespace
}  // namespace sluice::mysql
