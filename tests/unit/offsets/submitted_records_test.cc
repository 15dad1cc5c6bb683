#include "runtime/offsets/submitted_records.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "absl/time/clock.h"

namespace sluice::offsets {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

SourcePartition Server(const std::string& name) { return SourcePartition{{"server", name}}; }
SourceOffset Pos(int64_t pos) {
  return SourceOffset{{"file", std::string("binlog.000001")}, {"pos", pos}};
}

int64_t PosOf(const SourceOffset& offset) { return std::get<int64_t>(*offset.Find("pos")); }

TEST(SubmittedRecordsTest, NothingCommittableBeforeAnyAck) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  tracker.Submit(p, Pos(1));
  tracker.Submit(p, Pos(2));
  CommittableOffsets c = tracker.TakeCommittable();
  EXPECT_THAT(c.offsets, IsEmpty());
  EXPECT_EQ(c.uncommitted_records, 2);
  EXPECT_TRUE(c.first_failure.ok());
}

TEST(SubmittedRecordsTest, APartitionsFieldsInAnotherOrderAreAnotherPartition) {
  // Each is committed under its own offsets-topic key (source_offset.h, "Equality").
  SubmittedRecords tracker;
  const SourcePartition ours{{"server", std::string("s")}, {"db", std::string("d")}};
  const SourcePartition reordered{{"db", std::string("d")}, {"server", std::string("s")}};
  PartitionHandle a = tracker.Partition(ours);
  PartitionHandle b = tracker.Partition(reordered);
  tracker.Submit(a, Pos(1))->Ack();
  tracker.Submit(b, Pos(2))->Ack();
  tracker.Submit(tracker.Partition(ours), Pos(3))->Ack();
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(2));
  EXPECT_EQ(c.offsets[0].partition, ours);
  EXPECT_EQ(PosOf(c.offsets[0].offset), 3) << "the same order is found again";
  EXPECT_EQ(c.offsets[1].partition, reordered);
  EXPECT_EQ(PosOf(c.offsets[1].offset), 2);
}

TEST(SubmittedRecordsTest, InOrderAcksCommitTheLatest) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  SubmittedRecord* r1 = tracker.Submit(p, Pos(10));
  SubmittedRecord* r2 = tracker.Submit(p, Pos(20));
  r1->Ack();
  r2->Ack();
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(c.offsets[0].partition, Server("a"));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 20);
  EXPECT_EQ(c.uncommitted_records, 0);
  EXPECT_EQ(tracker.pending(), 0);
}

TEST(SubmittedRecordsTest, SubmitDropsTheAcknowledgedPrefixAndKeepsItsOffsetForTheCommit) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  for (int64_t pos = 1; pos <= 1000; ++pos) tracker.Submit(p, Pos(pos))->Ack();
  SubmittedRecord* in_flight = tracker.Submit(p, Pos(1001));
  EXPECT_EQ(tracker.held(), 1) << "the 1,000 acknowledged records are dropped before any commit";

  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 1000) << "the newest acknowledged record before the gap";
  EXPECT_EQ(c.uncommitted_records, 1);
  EXPECT_THAT(tracker.TakeCommittable().offsets, IsEmpty()) << "reported once";

  in_flight->Ack();
  tracker.Submit(p, Pos(1002));
  c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 1001);
}

TEST(SubmittedRecordsTest, AnAckRecordsItsLagFromTheSourceTimeWhenAskedTo) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  LagHistogram lag;
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  SubmittedRecord* observed = tracker.Submit(p, Pos(1));
  observed->ObserveAckLag(&lag, now_ms - 20000);  // a change 20 s old
  SubmittedRecord* plain = tracker.Submit(p, Pos(2));
  observed->Ack();
  plain->Ack();
  const LagHistogram::Counts c = lag.Snapshot();
  EXPECT_EQ(c.count(), 1) << "only the record asked to";
  EXPECT_GE(c.sum_ms, 20000);
  EXPECT_LT(c.sum_ms, 30000);
  EXPECT_EQ(c.buckets[6], 1) << "(10 s, 30 s]";
}

TEST(SubmittedRecordsTest, RecordsWithoutAnOffsetAreWaitedForButNeverCommitted) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  // A poll of three records whose last one carries the offset, then one of two.
  SubmittedRecord* a1 = tracker.SubmitWithoutOffset(p);
  SubmittedRecord* a2 = tracker.SubmitWithoutOffset(p);
  SubmittedRecord* a3 = tracker.Submit(p, Pos(3));
  SubmittedRecord* b1 = tracker.SubmitWithoutOffset(p);
  SubmittedRecord* b2 = tracker.Submit(p, Pos(5));
  EXPECT_FALSE(a1->carries_offset());
  EXPECT_TRUE(a3->carries_offset());

  a1->Ack();
  a2->Ack();
  EXPECT_THAT(tracker.TakeCommittable().offsets, IsEmpty())
      << "no record with an offset is acknowledged yet";
  b1->Ack();
  EXPECT_THAT(tracker.TakeCommittable().offsets, IsEmpty()) << "a3 is still pending";
  a3->Ack();
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 3) << "b1 is acknowledged but carries no offset";
  EXPECT_EQ(c.uncommitted_records, 1);
  b2->Ack();
  c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 5);
  EXPECT_EQ(tracker.pending(), 0);
  EXPECT_EQ(tracker.held(), 0);
}

TEST(SubmittedRecordsTest, AFailedRecordWithoutAnOffsetStillBlocksItsPartition) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  tracker.Submit(p, Pos(1))->Ack();
  SubmittedRecord* lost = tracker.SubmitWithoutOffset(p);
  tracker.Submit(p, Pos(3))->Ack();
  lost->Fail(absl::UnavailableError("broker gone"));
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 1) << "never past the failed record";
  EXPECT_FALSE(c.first_failure.ok());
}

TEST(SubmittedRecordsTest, AnAcknowledgedRecordBehindAPendingOneIsHeld) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  SubmittedRecord* first = tracker.Submit(p, Pos(1));
  tracker.Submit(p, Pos(2))->Ack();
  tracker.Submit(p, Pos(3));
  EXPECT_EQ(tracker.held(), 3);
  EXPECT_THAT(tracker.TakeCommittable().offsets, IsEmpty());
  first->Ack();
  tracker.Submit(p, Pos(4));
  EXPECT_EQ(tracker.held(), 2) << "records 3 and 4 are pending";
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 2);
}

TEST(SubmittedRecordsTest, AckOfALaterRecordWaitsForTheEarlierOne) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  SubmittedRecord* r1 = tracker.Submit(p, Pos(1));
  SubmittedRecord* r2 = tracker.Submit(p, Pos(2));
  SubmittedRecord* r3 = tracker.Submit(p, Pos(3));
  r3->Ack();
  r2->Ack();
  EXPECT_THAT(tracker.TakeCommittable().offsets, IsEmpty()) << "record 1 is not acknowledged yet";
  r1->Ack();
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 3);
}

TEST(SubmittedRecordsTest, AGapStopsTheOffsetBeforeIt) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  SubmittedRecord* r1 = tracker.Submit(p, Pos(1));
  SubmittedRecord* r2 = tracker.Submit(p, Pos(2));
  SubmittedRecord* r3 = tracker.Submit(p, Pos(3));
  r1->Ack();
  r3->Ack();
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 1);
  EXPECT_EQ(c.uncommitted_records, 2);
  r2->Ack();
  c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 3);
}

TEST(SubmittedRecordsTest, OnlyAdvancedPartitionsAreReported) {
  SubmittedRecords tracker;
  PartitionHandle a = tracker.Partition(Server("a"));
  PartitionHandle b = tracker.Partition(Server("b"));
  tracker.Submit(a, Pos(1))->Ack();
  SubmittedRecord* b1 = tracker.Submit(b, Pos(100));
  ASSERT_THAT(tracker.TakeCommittable().offsets, SizeIs(1));
  EXPECT_THAT(tracker.TakeCommittable().offsets, IsEmpty()) << "a was already taken; b not acked";
  b1->Ack();
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(c.offsets[0].partition, Server("b"));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 100);
}

TEST(SubmittedRecordsTest, PartitionsAreIndependent) {
  SubmittedRecords tracker;
  PartitionHandle a = tracker.Partition(Server("a"));
  PartitionHandle b = tracker.Partition(Server("b"));
  SubmittedRecord* a1 = tracker.Submit(a, Pos(1));
  SubmittedRecord* b1 = tracker.Submit(b, Pos(1));
  SubmittedRecord* b2 = tracker.Submit(b, Pos(2));
  b2->Ack();
  b1->Ack();
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1)) << "a's unacked record must not hold b back";
  EXPECT_EQ(c.offsets[0].partition, Server("b"));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 2);
  a1->Ack();
}

TEST(SubmittedRecordsTest, SamePartitionValueGivesSameHandle) {
  SubmittedRecords tracker;
  PartitionHandle a1 = tracker.Partition(Server("a"));
  tracker.Submit(a1, Pos(1));
  PartitionHandle a2 = tracker.Partition(Server("a"));
  tracker.Submit(a2, Pos(2))->Ack();
  EXPECT_THAT(tracker.TakeCommittable().offsets, IsEmpty())
      << "both handles are one partition, record 1 pending";
}

TEST(SubmittedRecordsTest, AFailedRecordBlocksEverythingAfterItForGood) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  SubmittedRecord* r1 = tracker.Submit(p, Pos(1));
  SubmittedRecord* r2 = tracker.Submit(p, Pos(2));
  SubmittedRecord* r3 = tracker.Submit(p, Pos(3));
  r1->Ack();
  r2->Fail(absl::UnavailableError("delivery timed out"));
  r3->Ack();
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 1);
  EXPECT_EQ(c.first_failure.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(c.uncommitted_records, 2);
  // Later acks never move the partition past the failed record.
  SubmittedRecord* r4 = tracker.Submit(p, Pos(4));
  r4->Ack();
  c = tracker.TakeCommittable();
  EXPECT_THAT(c.offsets, IsEmpty());
  EXPECT_FALSE(c.first_failure.ok());
  EXPECT_EQ(tracker.pending(), 0);
}

TEST(SubmittedRecordsTest, FirstFailureIsKept) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  SubmittedRecord* r1 = tracker.Submit(p, Pos(1));
  SubmittedRecord* r2 = tracker.Submit(p, Pos(2));
  r2->Fail(absl::InternalError("first"));
  r1->Fail(absl::InternalError("second"));
  EXPECT_EQ(tracker.TakeCommittable().first_failure.message(), "first");
}

TEST(SubmittedRecordsTest, RemoveLastOnlyRemovesTheLatestPendingRecord) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  SubmittedRecord* r1 = tracker.Submit(p, Pos(1));
  SubmittedRecord* r2 = tracker.Submit(p, Pos(2));
  EXPECT_FALSE(tracker.RemoveLast(r1));
  EXPECT_TRUE(tracker.RemoveLast(r2));
  EXPECT_EQ(tracker.pending(), 1);
  r1->Ack();
  CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(PosOf(c.offsets[0].offset), 1);
  EXPECT_EQ(c.uncommitted_records, 0);
}

// Every permutation of acks over 6 records: after each ack, the committable offset must be the
// longest fully-acked prefix.
TEST(SubmittedRecordsTest, EveryAckOrderCommitsExactlyTheAckedPrefix) {
  std::vector<int> order(6);
  std::iota(order.begin(), order.end(), 0);
  int permutations = 0;
  do {
    SubmittedRecords tracker;
    PartitionHandle p = tracker.Partition(Server("a"));
    std::vector<SubmittedRecord*> records;
    for (int i = 0; i < 6; ++i) records.push_back(tracker.Submit(p, Pos(i)));
    std::vector<bool> acked(6, false);
    int64_t committed = -1;
    for (int idx : order) {
      records[idx]->Ack();
      acked[idx] = true;
      int64_t expected = -1;
      while (expected + 1 < 6 && acked[expected + 1]) ++expected;
      CommittableOffsets c = tracker.TakeCommittable();
      if (expected > committed) {
        ASSERT_THAT(c.offsets, SizeIs(1));
        ASSERT_EQ(PosOf(c.offsets[0].offset), expected);
        committed = expected;
      } else {
        ASSERT_THAT(c.offsets, IsEmpty());
      }
    }
    ASSERT_EQ(committed, 5);
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(permutations, 720);
}

// Acks from other threads, as librdkafka's delivery reports arrive, while the owner submits and
// takes committable offsets. The committed offset never passes an unacknowledged record and ends
// at the last one.
TEST(SubmittedRecordsTest, ConcurrentAcksNeverCommitPastAnUnackedRecord) {
  constexpr int kRecords = 20000;
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  std::vector<SubmittedRecord*> records;
  records.reserve(kRecords);
  for (int i = 0; i < kRecords; ++i) records.push_back(tracker.Submit(p, Pos(i)));
  std::vector<int> order(kRecords);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  std::vector<std::atomic<bool>> acked(kRecords);
  std::thread acker([&] {
    for (int i : order) {
      acked[i].store(true);
      records[i]->Ack();
    }
  });
  int64_t committed = -1;
  while (committed < kRecords - 1) {
    CommittableOffsets c = tracker.TakeCommittable();
    for (const CommittableOffset& o : c.offsets) {
      int64_t pos = PosOf(o.offset);
      ASSERT_GT(pos, committed);
      for (int64_t i = committed + 1; i <= pos; ++i)
        ASSERT_TRUE(acked[i].load()) << "committed past " << i;
      committed = pos;
    }
  }
  acker.join();
  EXPECT_TRUE(tracker.AwaitAllSettled(absl::ZeroDuration()));
}

TEST(SubmittedRecordsTest, AwaitAllSettledWaitsForTheLastAck) {
  SubmittedRecords tracker;
  PartitionHandle p = tracker.Partition(Server("a"));
  SubmittedRecord* r1 = tracker.Submit(p, Pos(1));
  EXPECT_FALSE(tracker.AwaitAllSettled(absl::Milliseconds(20)));
  std::thread late([r1] {
    absl::SleepFor(absl::Milliseconds(50));
    r1->Ack();
  });
  EXPECT_TRUE(tracker.AwaitAllSettled(absl::Seconds(10)));
  late.join();
}

}  // namespace
}  // namespace sluice::offsets
