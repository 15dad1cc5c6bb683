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
  EXPECT_EQ(DecodeWorkerAdmin(*r.value), "");
}

TEST(ClusterRecords, AWorkerRecordCarriesItsAdminListenerForForwarding) {
  const kafka::KeyedRecord r = WorkerRecord("127.0.0.1:8083", {"generator"}, "10.0.0.7:8084");
  ASSERT_TRUE(r.value.has_value());
  EXPECT_EQ(DecodeWorkerAdmin(*r.value), "10.0.0.7:8084");
  EXPECT_EQ(DecodeWorkerPlugins(*r.value), (std::set<std::string>{"generator"}));
}

TEST(ClusterRecords, AnAcknowledgementCarriesItsEpoch) {
  const kafka::KeyedRecord r = AppliedRecord("w1", 42);
  EXPECT_EQ(r.key, "sluice-applied-w1");
  EXPECT_EQ(DecodeAppliedEpoch(*r.value), 42);
}

TEST(ClusterRecords, ATaskRestartNamesItsConnectorAndTaskInTheValue) {
  const kafka::KeyedRecord r = RestartTaskRecord("my-conn-2", 3);
  EXPECT_EQ(r.key, "sluice-restart-task-my-conn-2-3");
  std::optional<TaskRestart> decoded = DecodeRestartTask(r);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->connector, "my-conn-2");
  EXPECT_EQ(decoded->task, 3);
  EXPECT_FALSE(DecodeRestartTask({r.key, std::nullopt}).has_value());
  EXPECT_FALSE(DecodeRestartTask({"restart-connector-x", r.value}).has_value());
}

TEST(ClusterRecords, OnlySluiceKeysAreTheClusters) {
  EXPECT_TRUE(IsClusterKey("sluice-assignment"));
  EXPECT_FALSE(IsClusterKey("connector-orders"));
  EXPECT_FALSE(IsClusterKey("target-state-orders"));
}

}  // namespace
}  // namespace sluice::cluster
