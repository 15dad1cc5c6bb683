// librdkafka's in-process mock cluster for unit tests that need a broker: a cluster of `brokers`
// brokers inside a handle that exists only to host it. Header-only; link librdkafka.
#ifndef SLUICE_TESTS_SUPPORT_MOCK_CLUSTER_H_
#define SLUICE_TESTS_SUPPORT_MOCK_CLUSTER_H_

#include <librdkafka/rdkafka.h>
// rdkafka_mock.h must follow rdkafka.h.
#include <librdkafka/rdkafka_mock.h>

#include <string>

#include "runtime/kafka/handles.h"

namespace sluice::testing {

class MockCluster {
 public:
  explicit MockCluster(int brokers) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char errstr[256];
    host_.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
    cluster_ = rd_kafka_mock_cluster_new(host_.get(), brokers);
  }
  ~MockCluster() { rd_kafka_mock_cluster_destroy(cluster_); }
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;
  std::string bootstrap() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }
  rd_kafka_mock_cluster_t* get() const { return cluster_; }

 private:
  kafka::KafkaHandle host_;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_SUPPORT_MOCK_CLUSTER_H_
