// The statement a snapshot locks the captured tables with where FLUSH TABLES WITH READ LOCK is not
// allowed (the choice itself runs against the real server: MySqlConnector.ASnapshotWithoutReload...),
// and the primary key of the last row emitted as the offset's `snapshot_key` spells it.
#include "connectors/mysql/connector/snapshot.h"

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

TEST(SnapshotLock, TheFallbackLocksEveryCapturedTableForReading) {
  EXPECT_EQ(LockTablesStatement({{"shop", "orders"}, {"shop", "odd`name"}, {"other", "t"}}),
            "LOCK TABLES `shop`.`orders` READ, `shop`.`odd``name` READ, `other`.`t` READ");
  EXPECT_EQ(LockTablesStatement({}), "") << "nothing captured: nothing to lock";
}

TEST(SnapshotKey, EachValueAsHexJoinedByCommasAndBack) {
  std::string text;
  const std::string binary("a,\0\xff", 4);
  EncodeSnapshotKey({"42", binary, ""}, &text);
  EXPECT_EQ(text, "3432,612c00ff,");
  std::optional<std::vector<std::string>> back = DecodeSnapshotKey(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, (std::vector<std::string>{"42", binary, ""}));
  EXPECT_FALSE(DecodeSnapshotKey("34x2").has_value()) << "not hex";
  EXPECT_FALSE(DecodeSnapshotKey("343").has_value()) << "half a byte";
}

}  // namespace
}  // namespace sluice::mysql
