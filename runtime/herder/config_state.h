// What the config topic says, rebuilt by applying its records in order, as Kafka Connect's
// KafkaConfigBackingStore does: connector configs and target states apply at once; task configs
// are buffered per connector and applied together only when the connector's commit record
// arrives, so a reader never mixes two generations of task configs. A commit whose task configs
// are incomplete (lost to compaction or a writer that died mid-write) marks the connector
// inconsistent: its task configs must be regenerated.
//
// Threads: not thread-safe; the herder thread owns it.
#ifndef SLUICE_RUNTIME_HERDER_CONFIG_STATE_H_
#define SLUICE_RUNTIME_HERDER_CONFIG_STATE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runtime/herder/connect_records.h"
#include "runtime/kafka/topic_log.h"
#include "runtime/plugin/host_api.h"

namespace sluice::herder {

struct ConnectorEntry {
  ConfigMap config;
  std::vector<ConfigMap> tasks;  // committed task configs
  bool inconsistent = false;
};

class ConfigState {
 public:
  // Applies one record of the config topic; records it does not understand are ignored (and
  // counted), as Kafka Connect logs and skips them.
  void Apply(const kafka::KeyedRecord& record);

  const std::map<std::string, ConnectorEntry>& connectors() const { return connectors_; }
  // STARTED when no target-state record was written (Kafka Connect's default).
  TargetState target_state(const std::string& connector) const;
  int skipped() const { return skipped_; }
  // The count of the newest `tasks-fencing-<name>` record (a zombie fencing round covered the
  // task generation of that many tasks); nullopt when none was written.
  std::optional<int> task_count_record(const std::string& connector) const;
  // Whether task configs were committed after the newest `tasks-fencing-<name>` record (or with
  // none): under exactly-once their generation must not start before a fencing round (KIP-618).
  bool fencing_pending(const std::string& connector) const {
    return fencing_pending_.contains(connector);
  }

 private:
  std::map<std::string, int> task_count_records_;
  std::set<std::string> fencing_pending_;
  std::map<std::string, ConnectorEntry> connectors_;
  std::map<std::string, TargetState> target_states_;
  std::map<std::string, std::map<int, ConfigMap>> pending_tasks_;
  int skipped_ = 0;
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_CONFIG_STATE_H_
