// RAII owners for librdkafka's C handles, so no error path leaks one. Each is a unique_ptr with
// the matching destroy function; `.get()` hands the raw pointer to the C API.
#ifndef SLUICE_RUNTIME_KAFKA_HANDLES_H_
#define SLUICE_RUNTIME_KAFKA_HANDLES_H_

#include <librdkafka/rdkafka.h>

#include <memory>

namespace sluice::kafka {

namespace internal {
template <typename T, void (*Destroy)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p != nullptr) Destroy(p);
  }
};
}  // namespace internal

// Note for KafkaHandle: rd_kafka_destroy blocks until librdkafka's threads end; owners that must
// fail outstanding messages first (Producer) purge and poll before letting this go.
using KafkaHandle = std::unique_ptr<rd_kafka_t, internal::Deleter<rd_kafka_t, rd_kafka_destroy>>;
// rd_kafka_new takes ownership of a conf only on success; release() it then.
using ConfHandle =
    std::unique_ptr<rd_kafka_conf_t, internal::Deleter<rd_kafka_conf_t, rd_kafka_conf_destroy>>;
using QueueHandle =
    std::unique_ptr<rd_kafka_queue_t, internal::Deleter<rd_kafka_queue_t, rd_kafka_queue_destroy>>;
using EventHandle =
    std::unique_ptr<rd_kafka_event_t, internal::Deleter<rd_kafka_event_t, rd_kafka_event_destroy>>;
using MessageHandle =
    std::unique_ptr<rd_kafka_message_t,
                    internal::Deleter<rd_kafka_message_t, rd_kafka_message_destroy>>;
using TopicPartitionListHandle = std::unique_ptr<
    rd_kafka_topic_partition_list_t,
    internal::Deleter<rd_kafka_topic_partition_list_t, rd_kafka_topic_partition_list_destroy>>;
using HeadersHandle =
    std::unique_ptr<rd_kafka_headers_t,
                    internal::Deleter<rd_kafka_headers_t, rd_kafka_headers_destroy>>;
using NewTopicHandle =
    std::unique_ptr<rd_kafka_NewTopic_t,
                    internal::Deleter<rd_kafka_NewTopic_t, rd_kafka_NewTopic_destroy>>;
using AdminOptionsHandle =
    std::unique_ptr<rd_kafka_AdminOptions_t,
                    internal::Deleter<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>>;
using ConfigResourceHandle =
    std::unique_ptr<rd_kafka_ConfigResource_t,
                    internal::Deleter<rd_kafka_ConfigResource_t, rd_kafka_ConfigResource_destroy>>;
// An error object of librdkafka's transactional API.
using ErrorHandle =
    std::unique_ptr<rd_kafka_error_t, internal::Deleter<rd_kafka_error_t, rd_kafka_error_destroy>>;

// A topic handle; destroy it before the rd_kafka_t it was made from.
using TopicHandle =
    std::unique_ptr<rd_kafka_topic_t, internal::Deleter<rd_kafka_topic_t, rd_kafka_topic_destroy>>;

inline void DestroyMetadata(const rd_kafka_metadata_t* m) { rd_kafka_metadata_destroy(m); }
using MetadataHandle =
    std::unique_ptr<const rd_kafka_metadata_t,
                    internal::Deleter<const rd_kafka_metadata_t, DestroyMetadata>>;

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_HANDLES_H_
