// The statement a snapshot locks the captured tables with where FLUSH TABLES WITH READ LOCK is not
// allowed (the choice itself runs against the real server: MySqlConnector.ASnapshotWithoutReload...).
#include "connectors/mysql/connector/snapshot.h"

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

TEST(SnapshotLock, TheFallbackLocksEveryCapturedTableForReading) {
  EXPECT_EQ(LockTablesStatement({{"shop", "orders"}, {"shop", "odd`name"}, {"other", "t"}}),
            "LOCK TABLES `shop`.`orders` READ, `shop`.`odd``name` READ, `other`.`t` READ");
  EXPECT_EQ(LockTablesStatement({}), "") << "nothing captured: nothing to lock";
}

}  // namespace
}  // namespace sluice::mysql
