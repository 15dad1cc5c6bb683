// A keyed record produced through librdkafka to the real broker comes back from a consumer with
// its key, value and partition intact.
#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

struct KafkaDeleter {
  void operator()(rd_kafka_t* handle) const { rd_kafka_destroy(handle); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

KafkaHandle NewClient(rd_kafka_type_t type, std::initializer_list<std::pair<const char*, const char*>> settings) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  EXPECT_EQ(rd_kafka_conf_set(conf, "bootstrap.servers", KafkaBootstrap().c_str(), error, sizeof error),
            RD_KAFKA_CONF_OK);
  for (const auto& [key, value] : settings) {
    EXPECT_EQ(rd_kafka_conf_set(conf, key, value, error, sizeof error), RD_KAFKA_CONF_OK) << error;
  }
  rd_kafka_t* handle = rd_kafka_new(type, conf, error, sizeof error);
  EXPECT_NE(handle, nullptr) << error;
  return KafkaHandle(handle);
}

void CreateTopic(rd_kafka_t* client, const std::string& topic, int partitions) {
  char error[512];
  rd_kafka_NewTopic_t* new_topic = rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, error, sizeof error);
  ASSERT_NE(new_topic, nullptr) << error;
  rd_kafka_queue_t* queue = rd_kafka_queue_new(client);
  rd_kafka_CreateTopics(client, &new_topic, 1, nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30000);
  ASSERT_NE(event, nullptr) << "no answer to CreateTopics within 30 s";
  size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
  ASSERT_EQ(count, 1u);
  EXPECT_EQ(rd_kafka_topic_result_error(results[0]), RD_KAFKA_RESP_ERR_NO_ERROR)
      << rd_kafka_topic_result_error_string(results[0]);
  rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(new_topic);
}

TEST(KafkaRig, KeyedRecordRoundTripsThroughTheRealBroker) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok())
      << CheckServiceReachable("kafka", KafkaPort());
  const std::string topic = UniqueName("rig");
  KafkaHandle producer = NewClient(RD_KAFKA_PRODUCER, {{"enable.idempotence", "true"},
                                                       {"acks", "all"},
                                                       {"partitioner", "murmur2_random"},
                                                       {"message.timeout.ms", "30000"}});
  ASSERT_TRUE(producer);
  CreateTopic(producer.get(), topic, 3);

  const std::string key = "order-42";
  const std::string value = R"({"id":42})";
  ASSERT_EQ(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                              RD_KAFKA_V_KEY(key.data(), key.size()),
                              RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(rd_kafka_flush(producer.get(), 30000), RD_KAFKA_RESP_ERR_NO_ERROR);

  KafkaHandle consumer = NewClient(RD_KAFKA_CONSUMER, {{"group.id", topic.c_str()},
                                                       {"auto.offset.reset", "earliest"},
                                                       {"enable.auto.commit", "false"}});
  ASSERT_TRUE(consumer);
  rd_kafka_poll_set_consumer(consumer.get());
  rd_kafka_topic_partition_list_t* subscription = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(subscription, topic.c_str(), RD_KAFKA_PARTITION_UA);
  ASSERT_EQ(rd_kafka_subscribe(consumer.get(), subscription), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(subscription);

  bool received = false;
  for (int attempt = 0; attempt < 60 && !received; ++attempt) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer.get(), 500);
    if (message == nullptr) continue;
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      received = true;
      EXPECT_EQ(std::string(static_cast<const char*>(message->key), message->key_len), key);
      EXPECT_EQ(std::string(static_cast<const char*>(message->payload), message->len), value);
      EXPECT_GE(message->partition, 0);
      EXPECT_LT(message->partition, 3);
    }
    rd_kafka_message_destroy(message);
  }
  EXPECT_TRUE(received) << "the record did not come back within 30 s";
  rd_kafka_consumer_close(consumer.get());
}

}  // namespace
}  // namespace sluice::testing
