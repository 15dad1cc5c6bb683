// The Kafka clients' options as the worker config dictates them: one place that maps worker
// properties onto producer, admin and offsets-store settings.
#ifndef SLUICE_RUNTIME_KAFKA_WORKER_CLIENTS_H_
#define SLUICE_RUNTIME_KAFKA_WORKER_CLIENTS_H_

#include <algorithm>
#include <string>

#include "runtime/config/worker_config.h"
#include "runtime/kafka/offset_store.h"
#include "runtime/kafka/producer.h"
#include "runtime/kafka/topic_admin.h"

namespace sluice::kafka {

// A task's data producer: `producer.*`, the in-flight byte bound and max block.
inline ProducerOptions ProducerOptionsFor(const config::WorkerConfig& c, std::string client_id) {
  return ProducerOptions{c.bootstrap_servers, c.producer_overrides, c.producer_buffer_memory,
                         c.producer_max_block, std::move(client_id)};
}

// `admin.*`; each request waits up to offset.flush.timeout.ms or 30 s, whichever is longer.
inline TopicAdmin::Options AdminOptionsFor(const config::WorkerConfig& c) {
  return TopicAdmin::Options{c.bootstrap_servers, c.admin_overrides,
                             std::max(absl::Seconds(30), c.offset_flush_timeout)};
}

// The offsets topic, written with the producer overrides and read with the consumer ones.
inline OffsetStoreOptions OffsetStoreOptionsFor(const config::WorkerConfig& c) {
  return OffsetStoreOptions{c.bootstrap_servers, c.offset_storage.name, c.producer_overrides,
                            c.consumer_overrides};
}

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_WORKER_CLIENTS_H_
