// A compacted topic used as a key/value log, as Kafka Connect's KafkaBasedLog uses its config and
// status topics: write keyed records (a null value is a tombstone) and wait for Kafka's
// acknowledgement; read every record from the beginning to the current end, in order.
//
// Keys are partitioned with murmur2 as the Java producer partitions them, so a key lands where
// Kafka Connect would read it. Values are opaque bytes here; their JSON lives in runtime/herder.
//
// Threads: all methods may be called from any thread; writes are serialised.
#ifndef SLUICE_RUNTIME_KAFKA_TOPIC_LOG_H_
#define SLUICE_RUNTIME_KAFKA_TOPIC_LOG_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/kafka/handles.h"

namespace sluice::kafka {

struct TopicLogOptions {
  std::string bootstrap_servers;
  std::string topic;
  std::string client_id;                                  // e.g. "sluice-configs"
  std::map<std::string, std::string> producer_overrides;  // `producer.*`
  std::map<std::string, std::string> consumer_overrides;  // `consumer.*`
};

struct TopicLogRecord {
  std::string key;
  std::optional<std::string> value;  // nullopt: a tombstone
};

class TopicLog {
 public:
  static absl::StatusOr<std::unique_ptr<TopicLog>> Create(TopicLogOptions options);
  ~TopicLog();
  TopicLog(const TopicLog&) = delete;
  TopicLog& operator=(const TopicLog&) = delete;

  // Writes `records` in order and waits until Kafka acknowledged all of them (acks=all,
  // idempotent, so their order within a partition is kept). On error some may be written.
  absl::Status Write(const std::vector<TopicLogRecord>& records, absl::Duration timeout);

  // Every record from the beginning of every partition to the end each has when called, in
  // partition order then offset order (the config topic has one partition: total order).
  // Records without a key are skipped.
  absl::StatusOr<std::vector<TopicLogRecord>> ReadAll(absl::Duration timeout) const;

  const std::string& topic() const { return options_.topic; }

 private:
  struct Pending;
  explicit TopicLog(TopicLogOptions options) : options_(std::move(options)) {}
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  absl::StatusOr<std::vector<TopicLogRecord>> ReadAllOnce(absl::Time deadline) const;

  const TopicLogOptions options_;
  KafkaHandle producer_;
  // Made with the producer so its metadata is asked for at once (see CompactedTopic).
  TopicHandle topic_handle_;
  absl::Mutex write_mu_;
};

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_TOPIC_LOG_H_
