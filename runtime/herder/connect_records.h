// The keys and values Kafka Connect writes to its config and status topics
// (KafkaConfigBackingStore, KafkaStatusBackingStore), spelled byte for byte as the Java
// JsonConverter with schemas.enable=false writes them, so a Kafka Connect cluster and its tools can
// read what Sluice writes, and the other way round. docs/admin-api.md lists them.
//
// Config topic (one partition, total order):
//   connector-<name>     {"properties":{...}}          null = deleted
//   task-<name>-<i>      {"properties":{...}}          applied only once commit-<name> follows
//   commit-<name>        {"tasks":N}
//   target-state-<name>  {"state":"STARTED"|"PAUSED","state.v2":"STARTED"|"PAUSED"|"STOPPED"}
//     (KIP-875: a STOPPED connector is written as state PAUSED for workers that predate STOPPED,
//      with the real state in state.v2, which wins when present.)
//   restart-connector-<name>  {"include-tasks":bool,"only-failed":bool}
//     (KIP-745: a restart asked of any worker; each worker restarts what of it runs there.)
// Status topic:
//   status-connector-<name>, status-task-<name>-<i>
//                        {"state":...,"trace":...|null,"worker_id":...,"generation":n}  null = gone
//   status-topic-<topic>:connector-<name>
//                        {"topic":{"name":...,"connector":...,"task":n,"discoverTimestamp":ms}}
#ifndef SLUICE_RUNTIME_HERDER_CONNECT_RECORDS_H_
#define SLUICE_RUNTIME_HERDER_CONNECT_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/kafka/topic_log.h"
#include "runtime/plugin/host_api.h"

namespace sluice::herder {

enum class TargetState { kStarted, kPaused, kStopped };
// Kafka Connect's AbstractStatus.State.
enum class State { kUnassigned, kRunning, kPaused, kStopped, kFailed, kRestarting };

absl::string_view TargetStateName(TargetState state);  // "STARTED", ...
absl::StatusOr<TargetState> ParseTargetState(absl::string_view name);
absl::string_view StateName(State state);  // "RUNNING", ...
absl::StatusOr<State> ParseState(absl::string_view name);

// --- config topic ---
std::string ConnectorConfigKey(absl::string_view connector);
std::string TaskConfigKey(absl::string_view connector, int task);
std::string CommitKey(absl::string_view connector);
std::string TargetStateKey(absl::string_view connector);
// Kafka Connect's task-count record (KIP-618): `tasks-fencing-<name>` → `{"task-count":N}`, written
// after a zombie fencing round fenced the producers of the connector's previous task generation.
std::string TaskCountKey(absl::string_view connector);

struct ConfigTopicKey {
  enum class Kind { kConnector, kTask, kCommit, kTargetState, kRestart, kTaskCount, kUnknown };
  Kind kind = Kind::kUnknown;
  std::string connector;
  int task = -1;
};
ConfigTopicKey ParseConfigTopicKey(absl::string_view key);

// {"properties":{...}}, keys in the map's order; a later duplicate key wins.
std::string EncodeProperties(const ConfigMap& properties);
absl::StatusOr<ConfigMap> DecodeProperties(absl::string_view value);
std::string EncodeCommit(int tasks);
// A connector's task configs and the commit record that makes them current, in the order Kafka
// Connect writes them (`task-<name>-<i>` for each, then `commit-<name>`).
std::vector<kafka::KeyedRecord> TaskConfigRecords(absl::string_view connector,
                                                  const std::vector<ConfigMap>& tasks);
absl::StatusOr<int> DecodeCommit(absl::string_view value);
std::string EncodeTaskCount(int tasks);
absl::StatusOr<int> DecodeTaskCount(absl::string_view value);
std::string EncodeTargetState(TargetState state);
absl::StatusOr<TargetState> DecodeTargetState(absl::string_view value);
std::string RestartRequestKey(absl::string_view connector);
struct RestartRequest {
  bool include_tasks = false;
  bool only_failed = false;
};
std::string EncodeRestartRequest(const RestartRequest& request);
absl::StatusOr<RestartRequest> DecodeRestartRequest(absl::string_view value);

// --- status topic ---
std::string ConnectorStatusKey(absl::string_view connector);
std::string TaskStatusKey(absl::string_view connector, int task);
std::string TopicStatusKey(absl::string_view topic, absl::string_view connector);

struct StatusTopicKey {
  enum class Kind { kConnector, kTask, kTopic, kUnknown };
  Kind kind = Kind::kUnknown;
  std::string connector;
  int task = -1;
  std::string topic;
};
StatusTopicKey ParseStatusTopicKey(absl::string_view key);

struct StatusValue {
  State state = State::kUnassigned;
  std::optional<std::string> trace;
  std::string worker_id;
  int32_t generation = 0;
};
std::string EncodeStatus(const StatusValue& status);
absl::StatusOr<StatusValue> DecodeStatus(absl::string_view value);

struct TopicStatusValue {
  std::string topic;
  std::string connector;
  int32_t task = 0;
  int64_t discover_timestamp_ms = 0;
};
std::string EncodeTopicStatus(const TopicStatusValue& status);
absl::StatusOr<TopicStatusValue> DecodeTopicStatus(absl::string_view value);

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_CONNECT_RECORDS_H_
