// What the herder answers with: connector infos and statuses, offsets. (Validation verdicts are
// plugin::ConfigValidation, runtime/plugin/config_validation.h.)
#ifndef SLUICE_RUNTIME_HERDER_HERDER_TYPES_H_
#define SLUICE_RUNTIME_HERDER_HERDER_TYPES_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "runtime/herder/connect_records.h"
#include "runtime/offsets/source_offset.h"
#include "runtime/common/lag_histogram.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/plugin.h"
#include "runtime/plugin/task_progress.h"
#include "runtime/worker/task_view.h"

namespace sluice::herder {

// A partition and its offset; nullopt offset = reset that partition.
struct PartitionOffset {
  offsets::SourcePartition partition;
  std::optional<offsets::SourceOffset> offset;

  // offsets::FieldMap's equality (fields in order, the offsets topic's key).
  friend bool operator==(const PartitionOffset&, const PartitionOffset&) = default;
};

struct TaskStatusInfo {
  int id = 0;
  State state = State::kUnassigned;
  std::string trace;
  std::string worker_id;
  // What the task last reported about its progress (api->task_progress_report), while this worker
  // runs it; nullopt when it reported nothing.
  std::optional<plugin::TaskProgress> progress = std::nullopt;
  // The version of the connector plugin the task runs (KIP-891); empty when not known.
  std::string version = {};
};

struct ConnectorStatusInfo {
  std::string name;
  State state = State::kUnassigned;
  std::string trace;
  std::string worker_id;
  std::vector<TaskStatusInfo> tasks;
  // The connector's committed source offsets as this worker knows them: its progress (a
  // snapshot running, the binlog position reached).
  std::vector<PartitionOffset> offsets = {};
  // Set only by Restart and RestartTask: what they restarted.
  struct Restarted {
    bool connector = false;  // the connector, and with it every task
    std::vector<int> tasks;  // the tasks restarted (all of them when `connector`)
  };
  std::optional<Restarted> restarted = {};
  // The connector plugin's version (KIP-891), as each task's; empty when no plugin of the
  // connector's class is installed.
  std::string version = {};
  // What the user should know that changes nothing in the state: `tasks.max` above the tasks the
  // connector made. Shown by the admin API and the CLI; Kafka Connect's REST status has no place
  // for it, so its answer leaves it out.
  std::vector<std::string> warnings = {};
};

// True when a task reports the SNAPSHOT phase (api->task_progress_report): the one answer to "is
// a snapshot running". Offsets are the connector's own business; the runtime does not read
// Debezium's `snapshot` field in them.
bool IsSnapshotting(const ConnectorStatusInfo& status);

// Kafka Connect's name of a config key's type (ConfigDef.Type): "STRING", "INT", ... as both
// APIs show a plugin's config definition.
absl::string_view ConfigTypeName(plugin::ConfigType type);

struct ConnectorInfo {
  std::string name;
  ConfigMap config;  // secrets masked (secrets.h)
  TargetState target_state = TargetState::kStarted;
  int task_count = 0;
  ConnectorStatusInfo status;
};

// The cluster as this worker sees it (docs/cluster.md); `enabled` false for a single worker.
struct ClusterSummary {
  bool enabled = false;
  std::string worker_id;
  std::string group_id;
  int64_t generation = 0;
  int64_t epoch = 0;
  std::string leader;
  bool lease_valid = false;
  std::map<std::string, std::vector<std::string>> members;  // worker id -> its connectors
  std::map<std::string, std::vector<std::string>> member_tasks;  // worker id -> its tasks ("c-0")
  std::vector<std::string> unassigned;        // connectors whose instance no member runs now
  std::vector<std::string> unassigned_tasks;  // tasks no member runs now ("c-0")
};

// Cluster mode: a request another worker performs, asked of this one (Kafka Connect's
// RequestTargetException): a write only the leader performs (NotLeaderException), or a restart
// only the worker running the connector performs (NotAssignedException). Aborted, so that a face
// which does not forward answers "retry" (REST's 409); the target's addresses ride along for the
// faces that forward the request to it (docs/cluster.md, "The admin API on every worker").
struct WorkerAddress {
  std::string id;     // its worker id: the REST API's advertised host:port
  std::string admin;  // its admin listener as published (sluice-worker-<id>); empty = unknown
};
absl::Status RequestTargetError(absl::string_view message, const WorkerAddress& target);
// The worker to forward to when `status` is RequestTargetError's, else nullopt.
std::optional<WorkerAddress> RequestTargetOf(const absl::Status& status);

// Cluster mode: sends the task configs connector `name`'s instance generated on worker `from`
// (this one) to the leader, the config topic's one writer (Kafka Connect's internal
// POST /connectors/{name}/tasks), which writes them (Herder::PutTaskConfigs); the leader's
// answer. Never forwarded further: a worker that no longer leads answers Aborted (retry).
using TaskConfigsSender =
    std::function<absl::Status(const WorkerAddress& leader, const std::string& from,
                               const std::string& name, const std::vector<ConfigMap>& tasks)>;

// What /metrics reports of one connector on this worker (Herder::Figures): its status, and per
// task the counts its TaskView keeps. Read on the herder thread, a copy for the caller.
struct TaskFigures {
  int id = 0;
  State state = State::kUnassigned;
  bool here = false;             // the task runs on this worker (the counts below are its)
  int64_t records_polled = 0;    // records its connector produced since the task started
  int64_t records_sent = 0;      // records handed to the producer since the task started
  int64_t in_flight_bytes = 0;   // handed to Kafka, not yet acknowledged
  worker::TaskErrorFigures errors;  // its transforms' and converters' failures
  std::vector<TopicLag> ack_lags;  // commit-to-ack lag per topic (TaskView::ack_lags)
  std::optional<plugin::TaskProgress> progress;
};
struct ConnectorFigures {
  std::string name;
  std::string connector_class;  // `connector.class` as configured
  std::string topic_prefix;     // `topic.prefix`, empty when the config has none
  State state = State::kUnassigned;
  std::vector<TaskFigures> tasks;
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_HERDER_TYPES_H_
