// Which events and rows of the transaction a committed offset counts into were emitted before the
// restart (the live restarts: MySqlConnector.*Restart*, MySqlConnectorGtids.*).
#include "connectors/mysql/connector/resume_skip.h"

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

TEST(ResumeSkip, TheCountedEventsAndRowsOfTheFirstTransactionAreSkippedOnce) {
  OffsetState offset;
  offset.event = 2;  // two events of the transaction completed
  offset.row = 3;    // and three rows of the third
  ResumeSkip skip;
  skip.Arm(offset);
  EXPECT_FALSE(skip.EmittedBefore(0)) << "nothing before the transaction starts";
  skip.OnTransactionStart();
  EXPECT_TRUE(skip.EmittedBefore(0));
  EXPECT_TRUE(skip.EmittedBefore(1));
  bool all = false;
  EXPECT_EQ(skip.RowsEmittedBefore(1, &all), 0);
  EXPECT_TRUE(all) << "the second event was emitted whole";
  EXPECT_EQ(skip.RowsEmittedBefore(2, &all), 3);
  EXPECT_FALSE(all) << "the third event: its first three rows";
  EXPECT_EQ(skip.RowsEmittedBefore(3, &all), 0) << "skipping ended with the third event";
  EXPECT_FALSE(skip.EmittedBefore(3));
  skip.OnCommit();
  skip.OnTransactionStart();
  EXPECT_FALSE(skip.EmittedBefore(0)) << "only the first transaction after the restart";
}

// A held-back XA transaction the server sends first after the restart is passed over: the
// counts belong to the transaction after it.
TEST(ResumeSkip, APassedOverTransactionLeavesTheCountsToTheNext) {
  OffsetState offset;
  offset.event = 2;
  ResumeSkip skip;
  skip.Arm(offset);
  skip.OnTransactionStart();  // the XA transaction read again
  skip.PassOver();
  EXPECT_FALSE(skip.EmittedBefore(0));
  skip.OnCommit();
  skip.OnTransactionStart();
  EXPECT_TRUE(skip.EmittedBefore(1));
  EXPECT_FALSE(skip.EmittedBefore(2));
}

TEST(ResumeSkip, AnOffsetBetweenTransactionsSkipsNothing) {
  ResumeSkip skip;
  skip.Arm(OffsetState{});
  skip.OnTransactionStart();
  bool all = true;
  EXPECT_EQ(skip.RowsEmittedBefore(0, &all), 0);
  EXPECT_FALSE(all);
  EXPECT_FALSE(skip.EmittedBefore(0));
}

}  // namespace
}  // namespace sluice::mysql
