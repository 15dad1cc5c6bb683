// A compacted topic used as a key/value log (Kafka Connect's KafkaBasedLog role): read it from
// the beginning to its current end, and write keyed records waiting until Kafka has them. The
// offsets store and the herder's config and status topics are built on it.
//
// Writes are idempotent, acks=all, and partitioned by murmur2 of the key like Kafka Connect's
// Java producer, so a key always lives in the partition Kafka Connect reads it from.
//
// A kafka::TopicLog (topic_log.h): what the herder sees of its config and status topics.
//
// Threads: Write and ReadToEnd may be called from any thread; writes are serialised.
#ifndef SLUICE_RUNTIME_KAFKA_COMPACTED_TOPIC_H_
#define SLUICE_RUNTIME_KAFKA_COMPACTED_TOPIC_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/kafka/handles.h"
#include "runtime/kafka/topic_log.h"
#include "runtime/kafka/topic_reader.h"

namespace sluice::kafka {

struct CompactedTopicOptions {
  std::string bootstrap_servers;
  std::string topic;
  std::map<std::string, std::string> producer_overrides;  // `producer.*`
  std::map<std::string, std::string> consumer_overrides;  // `consumer.*`
  std::string client_id = "sluice-log";
};

class CompactedTopic : public TopicLog {
 public:
  static absl::StatusOr<std::unique_ptr<CompactedTopic>> Create(
      const CompactedTopicOptions& options);
  ~CompactedTopic() override;
  CompactedTopic(const CompactedTopic&) = delete;
  CompactedTopic& operator=(const CompactedTopic&) = delete;

  // TopicLog (topic_log.h says what each promises).
  absl::Status ReadToEnd(const Visitor& visit, absl::Duration timeout) override;
  absl::Status Write(const std::vector<KeyedRecord>& records, absl::Duration timeout) override;

  // A reader of this topic, from the beginning, to keep between reads (topic_reader.h); each
  // ReadToEnd above opens one and reads it once.
  absl::StatusOr<std::unique_ptr<TopicReader>> OpenReader(absl::Duration timeout,
                                                          bool kept = true) const;

  const std::string& topic() const { return options_.topic; }

 private:
  struct Pending;
  explicit CompactedTopic(CompactedTopicOptions options) : options_(std::move(options)) {}
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);

  const CompactedTopicOptions options_;
  KafkaHandle producer_;
  // Made with the producer: rd_kafka_topic_new asks for the topic's metadata at once, whereas a
  // record produced by topic name leaves that to librdkafka's 1 s topic scan, which made the
  // first Write of every process wait up to a second (docs/benchmarks.md, latency).
  TopicHandle topic_handle_;
  absl::Mutex write_mu_;  // one Write at a time, so a write's records are not interleaved
};

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_COMPACTED_TOPIC_H_
