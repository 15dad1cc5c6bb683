#include "connectors/mysql/server/server_checks.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(GlobalPrivilegesIn, ReadsMariaDbGrantStatements) {
  EXPECT_THAT(GlobalPrivilegesIn("GRANT SELECT, RELOAD, REPLICATION SLAVE, BINLOG MONITOR ON *.* "
                                 "TO `cdc`@`%` IDENTIFIED BY PASSWORD '*ABC'"),
              ElementsAre("SELECT", "RELOAD", "REPLICATION SLAVE", "BINLOG MONITOR"));
  EXPECT_THAT(GlobalPrivilegesIn("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"),
              ElementsAre("ALL PRIVILEGES"));
}

TEST(GlobalPrivilegesIn, SpellsMySqlDynamicPrivilegesLikeStaticOnes) {
  EXPECT_THAT(GlobalPrivilegesIn("GRANT REPLICATION_SLAVE_ADMIN ON *.* TO `cdc`@`%`"),
              ElementsAre("REPLICATION SLAVE ADMIN"));
}

TEST(GlobalPrivilegesIn, IgnoresGrantsOnOneDatabaseOrTableAndOtherStatements) {
  EXPECT_THAT(GlobalPrivilegesIn("GRANT SELECT ON `shop`.* TO `cdc`@`%`"), IsEmpty());
  EXPECT_THAT(GlobalPrivilegesIn("GRANT SELECT ON `shop`.`orders` TO `cdc`@`%`"), IsEmpty());
  EXPECT_THAT(GlobalPrivilegesIn("GRANT `role_cdc` TO `cdc`@`%`"), IsEmpty());
  EXPECT_THAT(GlobalPrivilegesIn("SET DEFAULT ROLE role_cdc FOR cdc"), IsEmpty());
}

}  // namespace
}  // namespace sluice::mysql
