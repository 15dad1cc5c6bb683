#include "runtime/herder/config_state.h"

#include <utility>

namespace sluice::herder {

void ConfigState::Apply(const kafka::KeyedRecord& record) {
  const ConfigTopicKey key = ParseConfigTopicKey(record.key);
  switch (key.kind) {
    case ConfigTopicKey::Kind::kConnector: {
      if (!record.value) {
        connectors_.erase(key.connector);
        target_states_.erase(key.connector);
        pending_tasks_.erase(key.connector);
        return;
      }
      absl::StatusOr<ConfigMap> config = DecodeProperties(*record.value);
      if (!config.ok()) break;
      connectors_[key.connector].config = *std::move(config);
      return;
    }
    case ConfigTopicKey::Kind::kTask: {
      if (!record.value)
        return;  // Kafka Connect never deletes task configs; a tombstone means nothing
      absl::StatusOr<ConfigMap> config = DecodeProperties(*record.value);
      if (!config.ok()) break;
      pending_tasks_[key.connector][key.task] = *std::move(config);
      return;
    }
    case ConfigTopicKey::Kind::kCommit: {
      if (!record.value) return;
      absl::StatusOr<int> count = DecodeCommit(*record.value);
      if (!count.ok()) break;
      auto connector = connectors_.find(key.connector);
      std::map<int, ConfigMap>& pending = pending_tasks_[key.connector];
      bool complete = true;
      std::vector<ConfigMap> tasks;
      for (int i = 0; i < *count; ++i) {
        auto it = pending.find(i);
        if (it == pending.end()) {
          complete = false;
          break;
        }
        tasks.push_back(it->second);
      }
      if (connector != connectors_.end()) {
        connector->second.inconsistent = !complete;
        connector->second.tasks = complete ? std::move(tasks) : std::vector<ConfigMap>{};
      }
      pending.clear();
      fencing_pending_.insert(key.connector);
      return;
    }
    case ConfigTopicKey::Kind::kTargetState: {
      if (!record.value) {
        target_states_.erase(key.connector);
        return;
      }
      absl::StatusOr<TargetState> state = DecodeTargetState(*record.value);
      if (!state.ok()) break;
      target_states_[key.connector] = *state;
      return;
    }
    case ConfigTopicKey::Kind::kTaskCount: {
      if (!record.value) return;
      absl::StatusOr<int> count = DecodeTaskCount(*record.value);
      if (!count.ok()) break;
      task_count_records_[key.connector] = *count;
      fencing_pending_.erase(key.connector);
      return;
    }
    case ConfigTopicKey::Kind::kRestart:
      return;  // a request, not state: the herder acts on the ones that arrive (ClusterTick)
    case ConfigTopicKey::Kind::kUnknown:
      break;
  }
  ++skipped_;
}

std::optional<int> ConfigState::task_count_record(const std::string& connector) const {
  auto it = task_count_records_.find(connector);
  if (it == task_count_records_.end()) return std::nullopt;
  return it->second;
}

TargetState ConfigState::target_state(const std::string& connector) const {
  auto it = target_states_.find(connector);
  return it == target_states_.end() ? TargetState::kStarted : it->second;
}

}  // namespace sluice::herder
