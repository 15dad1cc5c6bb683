// The offset's `gtids` while streaming, counted as Debezium's BinlogOffsetContext counts: the
// completed transactions, never the one in progress.
#include "connectors/mysql/connector/gtid_tracker.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

constexpr char kA[] = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr char kB[] = "00000000-0000-0000-0000-000000000001";

SourceUuid Uuid(const char* text) { return *ParseSourceUuid(text); }

TEST(GtidTracker, MySqlSetExcludesTheTransactionInProgress) {
  GtidTracker tracker;
  // As SHOW MASTER STATUS prints Executed_Gtid_Set: normalised at once.
  ASSERT_TRUE(tracker.Reset(false, std::string(kA) + ":1-41,\n" + kB + ":1-3").ok());
  EXPECT_EQ(tracker.text(), std::string(kB) + ":1-3," + kA + ":1-41");
  tracker.Begin(Uuid(kA), 42, "");
  EXPECT_EQ(tracker.text(), std::string(kB) + ":1-3," + kA + ":1-41") << "42 is in progress";
  tracker.Commit();
  EXPECT_EQ(tracker.text(), std::string(kB) + ":1-3," + kA + ":1-42");
  tracker.Commit();
  EXPECT_EQ(tracker.text(), std::string(kB) + ":1-3," + kA + ":1-42") << "nothing pending";
  tracker.Begin(Uuid(kB), 4, "");
  tracker.Commit();
  EXPECT_EQ(tracker.text(), std::string(kB) + ":1-4," + kA + ":1-42");
}

// An XA transaction prepared while its rows wait: its GTID is held back from the set, so the
// server sends it again, and joins the set when the transaction is done with.
TEST(GtidTracker, AHeldBackGtidStaysOutOfTheSetUntilCompleted) {
  GtidTracker tracker;
  ASSERT_TRUE(tracker.Reset(false, std::string(kA) + ":1-5").ok());
  tracker.Begin(Uuid(kA), 6, "");
  std::optional<GtidTracker::MysqlGtid> held = tracker.HoldBack();
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->gno, 6);
  tracker.Commit();
  tracker.Begin(Uuid(kA), 7, "");
  tracker.Commit();
  EXPECT_EQ(tracker.text(), std::string(kA) + ":1-5:7") << "6 held back";
  EXPECT_FALSE(tracker.HoldBack().has_value()) << "nothing pending";
  tracker.Complete(*held);
  EXPECT_EQ(tracker.text(), std::string(kA) + ":1-7");
}

TEST(GtidTracker, ANewGtidCompletesAGroupThatHadNoCommit) {
  // A transaction the task does not look inside: no COMMIT/XID it sees.
  GtidTracker tracker;
  ASSERT_TRUE(tracker.Reset(false, std::string(kA) + ":1-5").ok());
  tracker.Begin(Uuid(kA), 6, "");
  tracker.Begin(Uuid(kA), 7, "");
  EXPECT_EQ(tracker.text(), std::string(kA) + ":1-6");
  tracker.Commit();
  EXPECT_EQ(tracker.text(), std::string(kA) + ":1-7");
}

TEST(GtidTracker, MySqlWithoutAStartingSetWritesNone) {
  GtidTracker tracker;
  ASSERT_TRUE(tracker.Reset(false, "").ok());
  tracker.Begin(Uuid(kA), 6, "");
  tracker.Commit();
  EXPECT_EQ(tracker.text(), "") << "uuid:6 alone would claim 1-5 were never run";
  EXPECT_FALSE(tracker.tracking());

  // A position the server reported (snapshot, snapshot.mode=never/no_data) is complete even when
  // empty: a server with GTIDs on and no transaction yet.
  ASSERT_TRUE(tracker.Reset(false, "", /*complete=*/true).ok());
  tracker.Begin(Uuid(kA), 1, "");
  tracker.Commit();
  EXPECT_EQ(tracker.text(), std::string(kA) + ":1");
}

TEST(GtidTracker, TaggedTransactionsGoToTheirTag) {
  // MySQL 8.3+: `SET gtid_next='AUTOMATIC:mytag'` numbers the transaction in the tag's own series.
  GtidTracker tracker;
  ASSERT_TRUE(tracker.Reset(false, std::string(kA) + ":1-11:mytag:1-2").ok());
  tracker.Begin(Uuid(kA), 3, "mytag");
  tracker.Commit();
  tracker.Begin(Uuid(kA), 12, "");
  tracker.Commit();
  EXPECT_EQ(tracker.text(), std::string(kA) + ":1-12:mytag:1-3");
}

TEST(GtidTracker, MariaDbPositionAdvancesPerDomain) {
  GtidTracker tracker;
  // Debezium's MariaDB connector may list a domain once per server id.
  ASSERT_TRUE(tracker.Reset(true, "0-1-42,0-2-40,1-1-7").ok());
  EXPECT_EQ(tracker.text(), "0-1-42,1-1-7");
  tracker.Begin(MariaDbGtid{0, 1, 43});
  EXPECT_EQ(tracker.text(), "0-1-42,1-1-7");
  tracker.Commit();
  EXPECT_EQ(tracker.text(), "0-1-43,1-1-7");
  tracker.Begin(MariaDbGtid{2, 9, 1});
  tracker.Commit();
  EXPECT_EQ(tracker.text(), "0-1-43,1-1-7,2-9-1");

  ASSERT_TRUE(tracker.Reset(true, "").ok());
  EXPECT_TRUE(tracker.tracking());
  tracker.Begin(MariaDbGtid{0, 1, 5});
  tracker.Commit();
  EXPECT_EQ(tracker.text(), "0-1-5");
}

TEST(GtidTracker, AnOffsetInTheOtherDialectIsRefusedSayingSo) {
  GtidTracker tracker;
  absl::Status status = tracker.Reset(false, "0-1-42");
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_NE(status.message().find("is not a MySQL GTID set"), std::string::npos) << status;
  EXPECT_NE(status.message().find("a MariaDB GTID"), std::string::npos) << status;
  status = tracker.Reset(true, std::string(kA) + ":1-5");
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_NE(status.message().find("is not a MariaDB GTID position"), std::string::npos) << status;
}

}  // namespace
}  // namespace sluice::mysql
