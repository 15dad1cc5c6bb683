#include "runtime/offsets/async_offset_committer.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::offsets {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

SourcePartition Server(const std::string& s) { return SourcePartition{{"server", s}}; }
SourceOffset Pos(int64_t p) { return SourceOffset{{"pos", p}}; }

// A writer standing in for the offsets topic. While `hold` is set, a write waits (as a write
// waits for a broker) until Release(); `fail_next` writes fail.
class SlowWriter : public OffsetWriter {
 public:
  absl::Status Write(absl::string_view, absl::Span<const CommittableOffset> offsets,
                     absl::Duration) override {
    absl::MutexLock lock(&mu_);
    ++entered_;
    mu_.Await(absl::Condition(
        +[](SlowWriter* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) { return !w->hold_; }, this));
    if (fail_next_ > 0) {
      --fail_next_;
      return absl::UnavailableError("broker down");
    }
    std::vector<int64_t> positions;
    for (const CommittableOffset& o : offsets) {
      positions.push_back(std::get<int64_t>(o.offset.fields().front().value));
    }
    writes_.push_back(positions);
    return absl::OkStatus();
  }

  void Hold() {
    absl::MutexLock lock(&mu_);
    hold_ = true;
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    hold_ = false;
  }
  void FailNext(int n) {
    absl::MutexLock lock(&mu_);
    fail_next_ = n;
  }
  // Waits until `n` writes have begun.
  bool AwaitEntered(int n) {
    absl::MutexLock lock(&mu_);
    auto entered = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return entered_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&entered), absl::Seconds(10));
  }
  std::vector<std::vector<int64_t>> writes() {
    absl::MutexLock lock(&mu_);
    return writes_;
  }

 private:
  absl::Mutex mu_;
  bool hold_ ABSL_GUARDED_BY(mu_) = false;
  int fail_next_ ABSL_GUARDED_BY(mu_) = 0;
  int entered_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::vector<int64_t>> writes_ ABSL_GUARDED_BY(mu_);
};

// The committer of one partition's records, with a writer the test can hold or fail.
class AsyncOffsetCommitterTest : public ::testing::Test {
 protected:
  SubmittedRecords tracker;
  SlowWriter writer;
  OffsetCommitter committer{"c", &tracker, &writer};
  AsyncOffsetCommitter async{&committer, absl::Seconds(5)};
  PartitionHandle a = tracker.Partition(Server("a"));
};

// Polls TakeResult as a task thread would between polls, until a commit ended.
absl::Status AwaitResult(AsyncOffsetCommitter& async) {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    if (std::optional<absl::Status> result = async.TakeResult()) return *result;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return absl::DeadlineExceededError("no commit ended within 10 s");
}

TEST_F(AsyncOffsetCommitterTest, RequestReturnsAtOnceWhileTheWriteWaitsOnKafka) {
  tracker.Submit(a, Pos(1))->Ack();

  writer.Hold();  // the broker does not answer
  async.Request();
  ASSERT_TRUE(writer.AwaitEntered(1));
  // The task thread goes on: it asks again, sends and acknowledges more, finds no result yet.
  const absl::Time before = absl::Now();
  async.Request();
  tracker.Submit(a, Pos(2))->Ack();
  tracker.Submit(a, Pos(3))->Ack();
  EXPECT_EQ(async.TakeResult(), std::nullopt);
  EXPECT_LT(absl::Now() - before, absl::Milliseconds(100)) << "the task thread waited";

  writer.Release();
  EXPECT_TRUE(AwaitResult(async).ok());
  // The request made during the write is served by one more commit, with what became
  // committable meanwhile.
  ASSERT_TRUE(writer.AwaitEntered(2));
  for (int i = 0; i < 1000 && async.commits() < 2; ++i) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(async.commits(), 2);
  EXPECT_THAT(writer.writes(), ElementsAre(ElementsAre(1), ElementsAre(3)));
}

TEST_F(AsyncOffsetCommitterTest, NeverCommitsAheadOfAcknowledgedRecords) {
  SubmittedRecord* r1 = tracker.Submit(a, Pos(1));
  SubmittedRecord* r2 = tracker.Submit(a, Pos(2));
  SubmittedRecord* r3 = tracker.Submit(a, Pos(3));
  r1->Ack();
  r3->Ack();  // acknowledged out of order: 2 is still in flight

  async.Request();
  ASSERT_TRUE(AwaitResult(async).ok());
  EXPECT_THAT(writer.writes(), ElementsAre(ElementsAre(1))) << "never past the unacknowledged 2";

  r2->Ack();
  async.Request();
  ASSERT_TRUE(AwaitResult(async).ok());
  EXPECT_THAT(writer.writes(), ElementsAre(ElementsAre(1), ElementsAre(3)));
}

TEST_F(AsyncOffsetCommitterTest, StopWaitsForTheRunningCommitThenTheOwnerCommitsTheRest) {
  tracker.Submit(a, Pos(1))->Ack();

  writer.Hold();
  async.Request();
  ASSERT_TRUE(writer.AwaitEntered(1));
  async.Request();  // pending when Stop comes: dropped, the owner's final commit covers it
  tracker.Submit(a, Pos(2))->Ack();

  absl::Notification stopped;
  std::thread stopper([&] {
    async.Stop();
    stopped.Notify();
  });
  EXPECT_FALSE(stopped.WaitForNotificationWithTimeout(absl::Milliseconds(50)))
      << "Stop must wait for the write in progress";
  writer.Release();
  stopper.join();
  EXPECT_EQ(async.commits(), 1);

  // The final commit, on the owner's thread.
  ASSERT_TRUE(committer.Commit(absl::Seconds(5)).ok());
  EXPECT_THAT(writer.writes(), ElementsAre(ElementsAre(1), ElementsAre(2)));
}

TEST(AsyncOffsetCommitterStopTest, NothingRequestedNothingWritten) {
  SubmittedRecords tracker;
  SlowWriter writer;
  OffsetCommitter committer("c", &tracker, &writer);
  {
    AsyncOffsetCommitter async(&committer, absl::Seconds(5));
    tracker.Submit(tracker.Partition(Server("a")), Pos(1))->Ack();
    absl::SleepFor(absl::Milliseconds(20));
    EXPECT_EQ(async.TakeResult(), std::nullopt);
  }
  EXPECT_THAT(writer.writes(), IsEmpty());
}

TEST_F(AsyncOffsetCommitterTest, AFailedWriteIsReportedAndRetriedByTheNextCommit) {
  tracker.Submit(a, Pos(7))->Ack();
  writer.FailNext(1);
  async.Request();
  EXPECT_EQ(AwaitResult(async).code(), absl::StatusCode::kUnavailable);
  async.Request();
  EXPECT_TRUE(AwaitResult(async).ok());
  EXPECT_THAT(writer.writes(), ElementsAre(ElementsAre(7)));
}

TEST_F(AsyncOffsetCommitterTest, ADeliveryFailureOutranksOtherOutcomesOfCommitsEndedMeanwhile) {
  tracker.Submit(a, Pos(1))->Ack();
  tracker.Submit(a, Pos(2))->Fail(absl::DeadlineExceededError("message timed out"));

  // Two commits end before the task thread looks: a failed write, then the delivery failure.
  writer.FailNext(1);
  async.Request();
  ASSERT_TRUE(writer.AwaitEntered(1));
  for (int i = 0; i < 1000 && async.commits() < 1; ++i) absl::SleepFor(absl::Milliseconds(1));
  async.Request();
  for (int i = 0; i < 1000 && async.commits() < 2; ++i) absl::SleepFor(absl::Milliseconds(1));
  ASSERT_EQ(async.commits(), 2);
  absl::Status result = AwaitResult(async);
  EXPECT_EQ(result.code(), absl::StatusCode::kAborted) << result;
  EXPECT_THAT(writer.writes(), ElementsAre(ElementsAre(1))) << "the safe prefix only";
  EXPECT_EQ(async.TakeResult(), std::nullopt) << "each outcome is taken once";
}

}  // namespace
}  // namespace sluice::offsets
