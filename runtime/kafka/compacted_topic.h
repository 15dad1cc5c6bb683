// A compacted topic used as a key/value log (Kafka Connect's KafkaBasedLog role): read it from
// the beginning to its current end, and write keyed records waiting until Kafka has them. The
// offsets store and the herder's config and status topics are built on it.
//
// Writes are idempotent, acks=all, and partitioned by murmur2 of the key like Kafka Connect's
// Java producer, so a key always lives in the partition Kafka Connect reads it from.
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

namespace sluice::kafka {

struct CompactedTopicOptions {
  std::string bootstrap_servers;
  std::string topic;
  std::map<std::string, std::string> producer_overrides;  // `producer.*`
  std::map<std::string, std::string> consumer_overrides;  // `consumer.*`
  std::string client_id = "sluice-log";
};

// One record to write: a key and a value, or no value (a tombstone).
struct KeyedRecord {
  std::string key;
  std::optional<std::string> value;
};

class CompactedTopic {
 public:
  static absl::StatusOr<std::unique_ptr<CompactedTopic>> Create(
      const CompactedTopicOptions& options);
  ~CompactedTopic();
  CompactedTopic(const CompactedTopic&) = delete;
  CompactedTopic& operator=(const CompactedTopic&) = delete;

  // Calls `visit` for every record from the beginning of every partition up to the end offsets
  // the topic has when called, in offset order per partition. A missing key or value (tombstone)
  // is nullopt. The views are valid during the call only.
  // DeadlineExceeded when the end is not reached within `timeout`; NotFound without the topic.
  using Visitor = std::function<void(std::optional<absl::string_view> key,
                                     std::optional<absl::string_view> value)>;
  absl::Status ReadToEnd(const Visitor& visit, absl::Duration timeout);

  // Produces `records` in order and waits until Kafka acknowledged every one. On error some may
  // have been written; writing the same keys again supersedes them.
  absl::Status Write(const std::vector<KeyedRecord>& records, absl::Duration timeout);

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
