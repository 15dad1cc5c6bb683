// The prerequisite checks against real servers: the test server passes; a misconfigured scratch
// server and an under-privileged account fail with the setting named and the fixing statement.
#include "connectors/mysql/server/server_checks.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_server/test_connections.h"

namespace sluice::mysql {
namespace {

using ::testing::HasSubstr;
using sluice::testing::MariaDbCdc;
using sluice::testing::MariaDbScratchAdmin;
using sluice::testing::UniqueName;

TEST(ServerChecks, TheTestServerIsReadyForChangeDataCapture) {
  Connection connection = MustConnect(MariaDbCdc());
  EXPECT_TRUE(CheckBinlogSettings(connection).ok()) << CheckBinlogSettings(connection);
  EXPECT_TRUE(CheckReplicationGrants(connection, /*for_locking_snapshot=*/true).ok())
      << CheckReplicationGrants(connection, true);
  EXPECT_TRUE(CheckServerIdDiffers(connection, 5400).ok());
}

TEST(ServerChecks, WrongBinlogSettingsAreNamedWithTheirFix) {
  Connection admin = MustConnect(MariaDbScratchAdmin());
  ASSERT_TRUE(admin.Execute("SET GLOBAL binlog_row_metadata = 'MINIMAL'").ok());
  ASSERT_TRUE(admin.Execute("SET GLOBAL binlog_row_image = 'MINIMAL'").ok());
  absl::Status status = CheckBinlogSettings(admin);
  ASSERT_TRUE(admin.Execute("SET GLOBAL binlog_row_metadata = 'FULL'").ok());
  // NOBLOB serves, as for Debezium: untouched BLOB/TEXT columns carry a placeholder.
  ASSERT_TRUE(admin.Execute("SET GLOBAL binlog_row_image = 'NOBLOB'").ok());
  absl::Status noblob = CheckBinlogSettings(admin);
  ASSERT_TRUE(admin.Execute("SET GLOBAL binlog_row_image = 'FULL'").ok());
  EXPECT_TRUE(noblob.ok()) << noblob;

  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("binlog_row_metadata is MINIMAL, must be FULL"));
  EXPECT_THAT(status.message(), HasSubstr("SET GLOBAL binlog_row_metadata = 'FULL'"));
  EXPECT_THAT(status.message(), HasSubstr("binlog_row_image is MINIMAL, must be FULL (or NOBLOB)"));
  EXPECT_THAT(status.message(), HasSubstr("SET GLOBAL binlog_row_image = 'FULL'"));
  EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("binlog_format")));
  EXPECT_TRUE(CheckBinlogSettings(admin).ok());
}

TEST(ServerChecks, MissingGrantsAreNamedWithTheGrantStatement) {
  Connection admin = MustConnect(MariaDbScratchAdmin());
  const std::string user = UniqueName("reader");
  ASSERT_TRUE(admin.Execute(absl::StrCat("CREATE USER '", user, "'@'127.0.0.1' IDENTIFIED BY 'pw'")).ok());
  ASSERT_TRUE(admin.Execute(absl::StrCat("GRANT SELECT ON *.* TO '", user, "'@'127.0.0.1'")).ok());
  sluice::testing::MariaDbAccount account = MariaDbScratchAdmin();
  account.user = user;
  account.password = "pw";
  Connection reader = MustConnect(account);

  absl::Status status = CheckReplicationGrants(reader, /*for_locking_snapshot=*/true);
  EXPECT_TRUE(absl::IsPermissionDenied(status)) << status;
  EXPECT_THAT(status.message(),
              HasSubstr("GRANT REPLICATION SLAVE, BINLOG MONITOR, RELOAD, LOCK TABLES ON *.*"));
  EXPECT_THAT(CheckReplicationGrants(reader, false).message(),
              HasSubstr("GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.*"));
  ASSERT_TRUE(admin.Execute(absl::StrCat("DROP USER '", user, "'@'127.0.0.1'")).ok());
}

TEST(ServerChecks, ServerIdEqualToTheServersOwnIsRefused) {
  Connection connection = MustConnect(MariaDbCdc());
  absl::Status status = CheckServerIdDiffers(connection, 1);  // scripts/services/mariadb: server_id=1
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("database.server.id 1"));
}

}  // namespace
}  // namespace sluice::mysql
