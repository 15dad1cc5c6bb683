#include "runtime/kafka/worker_clients.h"

#include "gtest/gtest.h"

namespace sluice::kafka {
namespace {

TEST(WorkerClientsTest, OptionsFollowTheWorkerConfig) {
  auto props = config::ParseProperties(
      "bootstrap.servers=b:1\ngroup.id=g\noffset.storage.topic=offs\nconfig.storage.topic=cfg\n"
      "status.storage.topic=st\nkey.converter=org.apache.kafka.connect.json.JsonConverter\n"
      "value.converter=org.apache.kafka.connect.json.JsonConverter\nproducer.linger.ms=3\n"
      "producer.buffer.memory=1000\nconsumer.fetch.wait.max.ms=7\nadmin.socket.timeout.ms=9\n");
  ASSERT_TRUE(props.ok());
  auto parsed = config::ParseWorkerConfig(*props);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const config::WorkerConfig& c = parsed->config;

  ProducerOptions p = ProducerOptionsFor(c, "task-0");
  EXPECT_EQ(p.bootstrap_servers, "b:1");
  EXPECT_EQ(p.overrides.at("linger.ms"), "3");
  EXPECT_EQ(p.max_in_flight_bytes, 1000);
  EXPECT_EQ(p.client_id, "task-0");

  OffsetStoreOptions o = OffsetStoreOptionsFor(c);
  EXPECT_EQ(o.topic, "offs");
  EXPECT_EQ(o.consumer_overrides.at("fetch.wait.max.ms"), "7");

  TopicAdmin::Options a = AdminOptionsFor(c);
  EXPECT_EQ(a.overrides.at("socket.timeout.ms"), "9");
}

}  // namespace
}  // namespace sluice::kafka
