// A compacted topic as a key/value log, as the herder keeps its config and status topics (Kafka
// Connect's KafkaBasedLog role): read every record from the beginning to the current end, and
// write keyed records, waiting until Kafka has them. kafka::CompactedTopic is the one
// implementation; the herder's unit tests use an in-memory log (tests/unit/herder).
#ifndef SLUICE_RUNTIME_KAFKA_TOPIC_LOG_H_
#define SLUICE_RUNTIME_KAFKA_TOPIC_LOG_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace sluice::kafka {

// One record to write: a key and a value, or no value (a tombstone).
struct KeyedRecord {
  std::string key;
  std::optional<std::string> value;
};

class TopicLog {
 public:
  virtual ~TopicLog() = default;

  // Calls `visit` for every record from the beginning of every partition up to the end offsets
  // the topic has when called, in offset order per partition. A missing key or value (tombstone)
  // is nullopt. The views are valid during the call only.
  // DeadlineExceeded when the end is not reached within `timeout`; NotFound without the topic;
  // Unavailable for what may pass by itself (a topic created moments ago has no leader yet).
  using Visitor = std::function<void(std::optional<absl::string_view> key,
                                     std::optional<absl::string_view> value)>;
  virtual absl::Status ReadToEnd(const Visitor& visit, absl::Duration timeout) = 0;

  // Writes `records` in order and waits until Kafka acknowledged every one. On error some may
  // have been written; writing the same keys again supersedes them.
  virtual absl::Status Write(const std::vector<KeyedRecord>& records, absl::Duration timeout) = 0;
};

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_TOPIC_LOG_H_
