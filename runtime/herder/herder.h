// The herder: owns every connector's config, target state and status, keeps them in Kafka
// Connect's config and status topics, and drives the worker to match them (Kafka Connect's
// Herder). A restarted worker reads the topics and brings every connector back in its target
// state: STARTED runs it with its tasks, PAUSED starts the connector with its tasks stopped,
// STOPPED starts nothing.
//
// Threads: one herder thread owns all state and does all the work, fed by a request queue (as
// Kafka Connect's DistributedHerder does): every public method may be called from any thread; it
// posts a request and waits for its answer. The same thread notices failed tasks and samples
// per-task throughput for Watch subscribers every `tick`.
//
// Pause and stop, as implemented here: a PAUSED connector keeps its connector instance and stops
// its tasks (each flushes and commits first), so nothing is produced; resume starts the tasks
// again from their committed offsets. A STOPPED connector has neither connector nor tasks, and its
// task configs are emptied in the config topic (KIP-875); only then may its offsets be altered.
#ifndef SLUICE_RUNTIME_HERDER_HERDER_H_
#define SLUICE_RUNTIME_HERDER_HERDER_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/plugin/host_context.h"
#include "runtime/herder/config_state.h"
#include "runtime/herder/connect_records.h"
#include "runtime/herder/herder_types.h"
#include "runtime/herder/secret_scrubber.h"
#include "runtime/herder/watch.h"
#include "runtime/kafka/compacted_topic.h"
#include "runtime/offsets/source_offset.h"
#include "runtime/worker/worker.h"

namespace sluice::herder {

struct HerderOptions {
  std::string worker_id;  // shown in statuses; the admin listener's address
  absl::Duration tick = absl::Milliseconds(250);
  absl::Duration metrics_interval = absl::Seconds(1);
};

class Herder {
 public:
  // Creates the worker (internal topics, plugins), reads the config and status topics and brings
  // every connector back in its target state. Secrets resolved for tasks are scrubbed from
  // everything written to `log`.
  static absl::StatusOr<std::unique_ptr<Herder>> Start(config::WorkerConfig config,
                                                       plugin::LogSink log, HerderOptions options);
  // Stops the herder thread, then every task (flush, commit) and connector.
  ~Herder();

  // Kafka Connect's REST operations. Errors: NotFound (no such connector or task),
  // AlreadyExists, InvalidArgument naming keys, FailedPrecondition (wrong state), Unavailable
  // (Kafka did not answer).
  absl::StatusOr<ConnectorInfo> Create(const std::string& name, plugin::ConfigMap config,
                                       TargetState initial);
  absl::StatusOr<ConnectorInfo> Get(const std::string& name);
  std::vector<ConnectorInfo> List();
  // Replaces the config; creates the connector when missing (`*created` says which).
  absl::StatusOr<ConnectorInfo> PutConfig(const std::string& name, plugin::ConfigMap config,
                                          bool* created);
  // Sets the keys of `set` and removes those of `remove` (Kafka Connect's PATCH, null = remove).
  absl::StatusOr<ConnectorInfo> PatchConfig(const std::string& name, const plugin::ConfigMap& set,
                                            const std::vector<std::string>& remove);
  absl::Status Delete(const std::string& name);
  absl::StatusOr<ConnectorStatusInfo> Pause(const std::string& name);
  absl::StatusOr<ConnectorStatusInfo> Resume(const std::string& name);
  absl::StatusOr<ConnectorStatusInfo> Stop(const std::string& name);
  absl::StatusOr<ConnectorStatusInfo> Restart(const std::string& name, bool include_tasks,
                                              bool only_failed);
  absl::StatusOr<ConnectorStatusInfo> RestartTask(const std::string& name, int task);
  absl::StatusOr<ConnectorStatusInfo> Status(const std::string& name);
  ValidationResult Validate(const plugin::ConfigMap& config);
  absl::StatusOr<std::vector<PartitionOffset>> Offsets(const std::string& name);
  // Only while STOPPED (FailedPrecondition otherwise), as in Kafka Connect.
  absl::Status AlterOffsets(const std::string& name, const std::vector<PartitionOffset>& offsets);
  absl::Status ResetOffsets(const std::string& name);
  absl::StatusOr<std::vector<std::string>> Topics(const std::string& name);
  absl::Status ResetTopics(const std::string& name);
  std::vector<std::shared_ptr<const plugin::Plugin>> Plugins();

  // Status changes and task metrics from now on (with the current status of every connector
  // first), until the subscription is dropped.
  std::shared_ptr<WatchSubscription> Watch();

  const std::string& worker_id() const { return options_.worker_id; }

 private:
  Herder(HerderOptions options, plugin::LogSink log);

  // Runs `fn` on the herder thread and returns its result.
  template <typename T>
  T Call(std::function<T()> fn);
  void Post(std::function<void()> fn);
  void Run();
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_);
  void Tick();

  // Herder-thread helpers.
  // A running connector asked for its tasks to be reconfigured: its task configs are generated
  // again and, when they changed, stored and its tasks restarted with them (Kafka Connect's
  // requestTaskReconfiguration).
  void ReconfigureTasks(const std::string& name);
  absl::Status Restore();
  absl::Status WriteConfig(const std::vector<kafka::KeyedRecord>& records);
  absl::StatusOr<plugin::ConfigMap> PrepareConfig(const std::string& name,
                                                  plugin::ConfigMap config);
  std::set<std::string> SecretKeys(const plugin::ConfigMap& config) const;
  absl::Status StartConnector(const std::string& name, TargetState target);
  absl::Status StartTasks(const std::string& name, bool only_missing);
  // Resolved values of secret keys and of references go to the scrubber.
  void RememberSecrets(const plugin::ConfigMap& raw, const plugin::ConfigMap& resolved);
  void StartOneTask(const std::string& name, int task);
  absl::Status StopConnectorEmptyingTasks(const std::string& name);
  // Records the topics `name`'s tasks wrote to (status topic, Kafka Connect's active topics).
  void NoteTopics(const std::string& name);
  // Stops the connector and its tasks in the worker, noting their topics first.
  void StopInWorker(const std::string& name);
  void SetConnectorState(const std::string& name, State state, std::string trace = "");
  void SetTaskState(const std::string& name, int task, State state, std::string trace = "");
  void RemoveStatuses(const std::string& name, bool connector_too);
  ConnectorStatusInfo StatusOf(const std::string& name) const;
  ConnectorInfo InfoOf(const std::string& name) const;
  absl::Status RequireConnector(const std::string& name) const;
  void Publish(const WatchEvent& event);

  const HerderOptions options_;
  std::shared_ptr<SecretScrubber> scrubber_;
  plugin::LogSink log_;
  std::unique_ptr<worker::Worker> worker_;
  std::unique_ptr<kafka::CompactedTopic> config_log_;
  std::unique_ptr<kafka::CompactedTopic> status_log_;

  // Herder-thread state.
  ConfigState configs_;
  std::map<std::string, StatusValue> connector_status_;
  std::map<std::string, std::map<int, StatusValue>> task_status_;
  std::map<std::string, std::set<std::string>> topics_;
  struct Sample {
    int64_t records = 0;
    absl::Time at;
  };
  std::map<std::pair<std::string, int>, Sample> samples_;
  absl::Time last_metrics_ = absl::InfinitePast();
  std::map<std::string,
           std::vector<std::pair<offsets::SourcePartition, std::optional<offsets::SourceOffset>>>>
      last_progress_;

  absl::Mutex watchers_mu_;
  std::vector<std::weak_ptr<WatchSubscription>> watchers_ ABSL_GUARDED_BY(watchers_mu_);

  absl::Mutex queue_mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  std::thread thread_;
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_HERDER_H_
