#include "runtime/cluster/cluster_records.h"

#include "gtest/gtest.h"

namespace sluice::cluster {
namespace {

TEST(ClusterRecords, AWorkerRecordCarriesItsPlugins) {
  const kafka::KeyedRecord r = WorkerRecord("127.0.0.1:8083", {"generator", "mysql"});
  EXPECT_EQ(r.key, "sluice-worker-127.0.0.1:8083");
  ASSERT_TRUE(r.value.has_value());
  EXPECT_EQ(DecodeWorkerPlugins(*r.value), (std::set<std::string>{"generator", "mysql"}));
  EXPECT_EQ(DecodeWorkerPlugins("nope"), std::nullopt);
}

TEST(ClusterRecords, AnAcknowledgementCarriesItsEpoch) {
  const kafka::KeyedRecord r = AppliedRecord("w1", 42);
  EXPECT_EQ(r.key, "sluice-applied-w1");
  EXPECT_EQ(DecodeAppliedEpoch(*r.value), 42);
}

TEST(ClusterRecords, OnlySluiceKeysAreTheClusters) {
  EXPECT_TRUE(IsClusterKey("sluice-assignment"));
  EXPECT_FALSE(IsClusterKey("connector-orders"));
  EXPECT_FALSE(IsClusterKey("target-state-orders"));
}

}  // namespace
}  // namespace sluice::cluster
