#include "runtime/offsets/offset_committer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::offsets {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// Records every write; fails the next `fail_next` writes.
class FakeWriter : public OffsetWriter {
 public:
  absl::Status Write(absl::string_view connector, absl::Span<const CommittableOffset> offsets,
                     absl::Duration) override {
    if (fail_next > 0) {
      --fail_next;
      return absl::UnavailableError("broker down");
    }
    writes.push_back(
        {std::string(connector), std::vector<CommittableOffset>(offsets.begin(), offsets.end())});
    return absl::OkStatus();
  }
  struct Call {
    std::string connector;
    std::vector<CommittableOffset> offsets;
  };
  std::vector<Call> writes;
  int fail_next = 0;
};

SourcePartition Server(const std::string& s) { return SourcePartition{{"server", s}}; }
SourceOffset Pos(int64_t p) { return SourceOffset{{"pos", p}}; }

TEST(OffsetCommitterTest, NothingToCommitWritesNothing) {
  SubmittedRecords tracker;
  FakeWriter writer;
  OffsetCommitter committer("c", &tracker, &writer);
  tracker.Submit(tracker.Partition(Server("a")), Pos(1));
  EXPECT_TRUE(committer.Commit(absl::Seconds(1)).ok());
  EXPECT_THAT(writer.writes, IsEmpty());
}

TEST(OffsetCommitterTest, WritesTheCommittableOffsetsForTheConnector) {
  SubmittedRecords tracker;
  FakeWriter writer;
  OffsetCommitter committer("inventory", &tracker, &writer);
  PartitionHandle a = tracker.Partition(Server("a"));
  tracker.Submit(a, Pos(1))->Ack();
  tracker.Submit(a, Pos(2))->Ack();
  ASSERT_TRUE(committer.Commit(absl::Seconds(1)).ok());
  ASSERT_THAT(writer.writes, SizeIs(1));
  EXPECT_EQ(writer.writes[0].connector, "inventory");
  ASSERT_THAT(writer.writes[0].offsets, SizeIs(1));
  EXPECT_EQ(writer.writes[0].offsets[0].offset, Pos(2));
  EXPECT_EQ(committer.unwritten(), 0u);
}

TEST(OffsetCommitterTest, AFailedWriteIsRetriedWithTheNewestOffset) {
  SubmittedRecords tracker;
  FakeWriter writer;
  OffsetCommitter committer("c", &tracker, &writer);
  PartitionHandle a = tracker.Partition(Server("a"));
  PartitionHandle b = tracker.Partition(Server("b"));
  tracker.Submit(a, Pos(1))->Ack();
  tracker.Submit(b, Pos(10))->Ack();
  writer.fail_next = 1;
  absl::Status failed = committer.Commit(absl::Seconds(1));
  EXPECT_EQ(failed.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(failed.message(), HasSubstr("connector `c`"));
  EXPECT_EQ(committer.unwritten(), 2u);

  tracker.Submit(a, Pos(2))->Ack();  // a advances; b does not
  ASSERT_TRUE(committer.Commit(absl::Seconds(1)).ok());
  ASSERT_THAT(writer.writes, SizeIs(1));
  ASSERT_THAT(writer.writes[0].offsets, SizeIs(2));
  EXPECT_EQ(writer.writes[0].offsets[0].partition, Server("a"));
  EXPECT_EQ(writer.writes[0].offsets[0].offset, Pos(2));
  EXPECT_EQ(writer.writes[0].offsets[1].partition, Server("b"));
  EXPECT_EQ(writer.writes[0].offsets[1].offset, Pos(10)) << "b's unwritten offset is not lost";
}

TEST(OffsetCommitterTest, ADeliveryFailureCommitsTheSafePrefixThenAborts) {
  SubmittedRecords tracker;
  FakeWriter writer;
  OffsetCommitter committer("c", &tracker, &writer);
  PartitionHandle a = tracker.Partition(Server("a"));
  SubmittedRecord* r1 = tracker.Submit(a, Pos(1));
  SubmittedRecord* r2 = tracker.Submit(a, Pos(2));
  SubmittedRecord* r3 = tracker.Submit(a, Pos(3));
  r3->Ack();
  r2->Fail(absl::DeadlineExceededError("message timed out"));
  r1->Ack();
  absl::Status s = committer.Commit(absl::Seconds(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(s.message(), HasSubstr("message timed out"));
  ASSERT_THAT(writer.writes, SizeIs(1));
  EXPECT_EQ(writer.writes[0].offsets[0].offset, Pos(1)) << "never past the failed record 2";
}

}  // namespace
}  // namespace sluice::offsets
