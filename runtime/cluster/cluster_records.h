// The records Sluice's cluster keeps in the config topic beside Kafka Connect's (docs/cluster.md
// lists them): a worker's plugins (`sluice-worker-<id>`), the leader's assignment
// (`sluice-assignment`), and each worker's acknowledgement of the epoch it applied
// (`sluice-applied-<id>`), and a task restart asked of a worker that does not run the task
// (`sluice-restart-task-<connector>-<task>`; Kafka Connect's own restart record covers only a
// connector with its tasks). Kafka Connect skips keys it does not know; ConfigState skips them too.
#ifndef SLUICE_RUNTIME_CLUSTER_CLUSTER_RECORDS_H_
#define SLUICE_RUNTIME_CLUSTER_CLUSTER_RECORDS_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::cluster {

inline constexpr absl::string_view kAssignmentKey = "sluice-assignment";
inline constexpr absl::string_view kWorkerKeyPrefix = "sluice-worker-";
inline constexpr absl::string_view kAppliedKeyPrefix = "sluice-applied-";
inline constexpr absl::string_view kRestartTaskKeyPrefix = "sluice-restart-task-";

bool IsClusterKey(absl::string_view key);

// `{"plugins":[...],"admin":"host:port"}`: the worker's plugins (class names and aliases) and,
// when it has one, its admin listener as other workers reach it (gRPC forwarding to the leader).
kafka::KeyedRecord WorkerRecord(const std::string& worker_id, const std::set<std::string>& plugins,
                                const std::string& admin_address = "");
std::optional<std::set<std::string>> DecodeWorkerPlugins(absl::string_view value);
// The record's `admin`; empty when it has none.
std::string DecodeWorkerAdmin(absl::string_view value);

// `{"connector":name,"task":id}`: the key names them too, but a connector's name may hold '-'.
struct TaskRestart {
  std::string connector;
  int task = 0;
};
kafka::KeyedRecord RestartTaskRecord(const std::string& connector, int task);
std::optional<TaskRestart> DecodeRestartTask(const kafka::KeyedRecord& record);

kafka::KeyedRecord AppliedRecord(const std::string& worker_id, int64_t epoch);
std::optional<int64_t> DecodeAppliedEpoch(absl::string_view value);

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_CLUSTER_RECORDS_H_
