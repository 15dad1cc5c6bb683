// The config topic as the herder keeps it (Kafka Connect's KafkaConfigBackingStore role):
// replayed into a ConfigState when the herder starts, and written through, so the state always
// says what the topic says. A cluster herder reads the same log to follow the leader's writes.
//
// Threads: not thread-safe; the herder thread owns it.
#ifndef SLUICE_RUNTIME_HERDER_CONFIG_LOG_H_
#define SLUICE_RUNTIME_HERDER_CONFIG_LOG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "runtime/herder/config_state.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::herder {

class ConfigLog {
 public:
  explicit ConfigLog(std::unique_ptr<kafka::TopicLog> log) : log_(std::move(log)) {}

  // Applies every record of the topic, from the beginning, to the state (Unavailable retried
  // until `timeout`). Called once, before the herder serves anything.
  absl::Status Restore(absl::Duration timeout);

  // Writes `records` in order and, once Kafka has all of them, applies them to the state.
  // Unavailable naming the topic when the write fails; the state is then unchanged.
  absl::Status Write(const std::vector<kafka::KeyedRecord>& records);

  // Applies records another reader followed (a cluster worker's tail of the topic), in order.
  void Follow(const std::vector<kafka::KeyedRecord>& records) {
    for (const kafka::KeyedRecord& record : records) state_.Apply(record);
  }

  const ConfigState& state() const { return state_; }
  // The connector's entry; REQUIRES: it exists (state().connectors() has it).
  const ConnectorEntry& entry(const std::string& connector) const {
    return state_.connectors().at(connector);
  }
  bool Has(const std::string& connector) const { return state_.connectors().contains(connector); }

 private:
  const std::unique_ptr<kafka::TopicLog> log_;
  ConfigState state_;
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_CONFIG_LOG_H_
