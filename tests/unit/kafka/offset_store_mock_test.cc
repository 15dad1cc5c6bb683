// The offsets store's read against librdkafka's mock cluster: a read that fails half-way (one
// partition's records came, another's never did) changes nothing the store knows, and the next
// read re-reads what the failed one had reached (offset_store.h, ReadToEnd).
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "runtime/kafka/murmur2.h"
#include "runtime/kafka/offset_store.h"
#include "runtime/offsets/offset_codec.h"
#include "tests/support/mock_cluster.h"

namespace sluice::kafka {
namespace {

using ::sluice::testing::MockCluster;

constexpr char kTopic[] = "offsets";

offsets::SourceOffset Pos(int64_t pos) { return offsets::SourceOffset{{"pos", pos}}; }

// A partition of connector "c" whose offsets record the Java partitioner puts in `partition` of
// the two.
offsets::SourcePartition PartitionLandingIn(int32_t partition) {
  for (int i = 0;; ++i) {
    offsets::SourcePartition candidate{{"server", absl::StrCat("s", i)}};
    absl::StatusOr<std::string> key = offsets::EncodeOffsetKey("c", candidate);
    if (key.ok() && PartitionForKey(*key, 2) == partition) return candidate;
  }
}

TEST(OffsetStoreMockTest, AReadThatFailsHalfWayChangesNothingAndTheNextReadsItAll) {
  // Partition 0 on broker 1, partition 1 on broker 2, so one partition's fetches can fail alone.
  MockCluster cluster(2);
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster.get(), kTopic, 2, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(rd_kafka_mock_partition_set_leader(cluster.get(), kTopic, 0, 1),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(rd_kafka_mock_partition_set_leader(cluster.get(), kTopic, 1, 2),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  const OffsetStoreOptions options{cluster.bootstrap(), kTopic, {}, {}};
  absl::StatusOr<std::unique_ptr<OffsetStore>> reader = OffsetStore::Create(options);
  absl::StatusOr<std::unique_ptr<OffsetStore>> writer = OffsetStore::Create(options);
  ASSERT_TRUE(reader.ok() && writer.ok());
  const offsets::SourcePartition first = PartitionLandingIn(0), second = PartitionLandingIn(1);
  ASSERT_TRUE((*writer)->Write("c", {{first, Pos(1)}, {second, Pos(1)}}, absl::Seconds(10)).ok());
  ASSERT_TRUE((*reader)->ReadToEnd(absl::Seconds(10)).ok());  // the reader is kept from here
  ASSERT_EQ((*reader)->Get("c", first), Pos(1));
  ASSERT_EQ((*reader)->Get("c", second), Pos(1));

  // Broker 2 stops answering fetches (ListOffsets still works, so the read knows partition 1's
  // new end): the next read gets partition 0's new record and never partition 1's.
  for (int i = 0; i < 50; ++i) {
    rd_kafka_mock_broker_push_request_error_rtts(cluster.get(), 2, /*ApiKey Fetch=*/1, 1,
                                                 RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, 0);
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a fetch already at broker 2 returns
  ASSERT_TRUE((*writer)->Write("c", {{first, Pos(2)}, {second, Pos(2)}}, absl::Seconds(10)).ok());
  absl::Status failed = (*reader)->ReadToEnd(absl::Seconds(2));
  ASSERT_FALSE(failed.ok()) << "partition 1 was not to be read to its end";
  EXPECT_EQ((*reader)->Get("c", first), Pos(1))
      << "partition 0's record of the failed read was applied: the read was not all-or-nothing";
  EXPECT_EQ((*reader)->Get("c", second), Pos(1));

  // Partition 1 readable again (its leader moved to broker 1): the next read has both, partition
  // 0's record included, which the failed read had already visited.
  ASSERT_EQ(rd_kafka_mock_partition_set_leader(cluster.get(), kTopic, 1, 1),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  absl::Status next = (*reader)->ReadToEnd(absl::Seconds(20));
  ASSERT_TRUE(next.ok()) << next;
  EXPECT_EQ((*reader)->Get("c", first), Pos(2));
  EXPECT_EQ((*reader)->Get("c", second), Pos(2));
}

}  // namespace
}  // namespace sluice::kafka
