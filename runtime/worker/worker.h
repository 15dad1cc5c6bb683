#ifndef SLUICE_RUNTIME_WORKER_WORKER_H_
#define SLUICE_RUNTIME_WORKER_WORKER_H_

// The worker process's core: its Kafka clients (topic admin, offsets store), its plugins (the
// plugin.path scan plus the drop-in watcher), and the connectors it runs, each with its tasks.
// Runs the connectors it is given (Kafka Connect's standalone mode), or what a herder drives
// through WorkerControl (worker_control.h), which it implements.
//
// Threads: all public methods from one controlling thread (the process's main thread, or the
// herder's); tasks run on their own threads.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/config/worker_config.h"
#include "runtime/kafka/topic_admin.h"
#include "runtime/plugin/plugin_registry.h"
#include "runtime/plugin/plugin_watcher.h"
#include "runtime/worker/connector_config.h"
#include "runtime/worker/offset_backing_store.h"
#include "runtime/worker/connector_check.h"
#include "runtime/worker/source_task.h"
#include "runtime/worker/worker_control.h"

namespace sluice::worker {

class Worker : public WorkerControl {
 public:
  // Creates the internal topics when missing, reads the offsets topic, loads plugin.path (a
  // refused plugin is logged and skipped) and starts watching it for drop-ins.
  static absl::StatusOr<std::unique_ptr<Worker>> Create(config::WorkerConfig config,
                                                        LogSink log);
  ~Worker() override;

  // From now on every offset write (tasks' commits, the herder's alters, to the worker's
  // offsets topic and to a connector's own `offsets.storage.topic`) first asks `fence` and is
  // refused with its error (FencedOffsetBackingStore), and every task asks it before it sends a
  // poll's records. Call before any connector starts.
  void Fence(std::function<absl::Status()> fence) {
    fence_ = fence;
    offset_store_ =
        std::make_unique<FencedOffsetBackingStore>(std::move(offset_store_), std::move(fence));
  }

  // Validates `connector` against its plugin's config definition, starts it, asks it for up to
  // tasks.max task configs and starts those tasks. NotFound when no plugin has that name.
  // (Standalone mode: `sluice worker` with connector files.)
  absl::Status StartConnector(const ConnectorConfig& connector);

  // WorkerControl: the steps the herder drives one by one (worker_control.h says what each
  // promises).
  const config::WorkerConfig& config() const override { return config_; }
  plugin::PluginRegistry& plugins() override { return registry_; }
  OffsetBackingStore& offset_store() override { return *offset_store_; }
  const std::optional<std::string>& kafka_cluster_id() const override { return cluster_id_; }
  void SetReconfigurationHandler(
      std::function<void(const std::string& connector)> handler) override {
    on_reconfigure_ = std::move(handler);
  }
  absl::StatusOr<std::vector<ConfigMap>> StartConnectorOnly(
      const ConnectorConfig& connector) override;
  absl::StatusOr<std::vector<ConfigMap>> RegenerateTaskConfigs(const std::string& name,
                                                                       size_t max_tasks) override;
  bool IsConnectorRunning(const std::string& connector) const override;
  absl::Status HostTasks(const ConnectorConfig& connector) override;
  void StopConnectorInstance(const std::string& connector) override;
  absl::Status StartTask(const std::string& connector, int task_id,
                         const ConfigMap& task_config) override;
  absl::Status FenceTaskProducers(const std::string& connector, int task_count) override;
  absl::Status StopTask(const std::string& connector, int task_id) override;
  void StopTasks(const std::string& connector) override;
  void StopConnector(const std::string& connector) override;
  void StopAll() override;
  std::vector<const TaskView*> Tasks(const std::string& connector) const override;
  const TaskView* Task(const std::string& connector, int task_id) const override;

 private:
  Worker(config::WorkerConfig config, LogSink log);
  // The store of a connector's own offsets topic (created compacted when missing).
  absl::StatusOr<OffsetBackingStore*> OwnOffsetStore(const std::string& topic);
  struct RunningConnector;
  // What `connector`'s tasks run with (plugin, converters, overrides, offsets store), its config
  // checked again; no instance. `plugin` (may be null) receives its plugin.
  absl::StatusOr<RunningConnector> PrepareConnector(const ConnectorConfig& connector,
                                                    std::shared_ptr<const plugin::Plugin>* plugin);

  // A connector as its tasks need it here; `instance` is null while only its tasks run here
  // (a cluster runs the instance on another worker).
  struct RunningConnector {
    std::unique_ptr<plugin::ConnectorInstance> instance;
    std::shared_ptr<const plugin::Plugin> plugin;
    TaskRetryPolicy retry;  // its tasks' (errors.retry.*)
    ExactlyOnceConfig exactly_once;  // its transaction settings (used when the worker's is on)
    // Its offsets when it has an `offsets.storage.topic` of its own (over offset_stores_'s and
    // the worker's); null: the worker's store.
    std::unique_ptr<OffsetBackingStore> offset_store;
    std::map<int, std::unique_ptr<WorkerSourceTask>> tasks;
    // `producer.override.*` of the connector's config, prefix removed, for its tasks' producers.
    std::map<std::string, std::string> producer_overrides;
    ConnectorConverters converters;  // its tasks' (ConvertersFor)
    // Its data topics' creation when its config has topic.creation.* keys; null: the worker's.
    std::unique_ptr<kafka::DataTopics> topic_creator;
    // Its config, for the transform chain each task builds (`transforms`, `predicates`).
    ConfigMap config;
  };

  const config::WorkerConfig config_;
  const LogSink log_;
  std::function<void(const std::string&)> on_reconfigure_;
  std::function<absl::Status()> fence_;  // null: a single worker, never fenced
  std::unique_ptr<kafka::TopicAdmin> admin_;
  std::optional<std::string> cluster_id_;  // set by Create
  std::unique_ptr<kafka::DataTopicCreator> topic_creator_;
  std::unique_ptr<OffsetBackingStore> offset_store_;
  // Connectors' own offsets topics (`offsets.storage.topic`), one store per topic, made on first
  // use and kept while the worker runs.
  std::map<std::string, std::unique_ptr<OffsetBackingStore>> offset_stores_;
  plugin::PluginRegistry registry_;
  std::unique_ptr<plugin::PluginWatcher> watcher_;
  std::map<std::string, RunningConnector> connectors_;
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_WORKER_H_
