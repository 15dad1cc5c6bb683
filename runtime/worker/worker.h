#ifndef SLUICE_RUNTIME_WORKER_WORKER_H_
#define SLUICE_RUNTIME_WORKER_WORKER_H_

// The worker process's core: its Kafka clients (topic admin, offsets store), its plugins (the
// plugin.path scan plus the drop-in watcher), and the connectors it runs, each with its tasks.
// Runs the connectors it is given (Kafka Connect's standalone mode); cluster membership and the
// admin API build on it.
//
// Threads: all public methods from one controlling thread (the process's main thread); tasks run
// on their own threads.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/plugin/plugin_registry.h"
#include "runtime/plugin/plugin_watcher.h"
#include "runtime/config/worker_config.h"
#include "runtime/kafka/offset_store.h"
#include "runtime/kafka/topic_admin.h"
#include "runtime/worker/connector_config.h"
#include "runtime/worker/source_task.h"

namespace sluice::worker {

class Worker {
 public:
  // Creates the internal topics when missing, reads the offsets topic, loads plugin.path (a
  // refused plugin is logged and skipped) and starts watching it for drop-ins.
  static absl::StatusOr<std::unique_ptr<Worker>> Create(config::WorkerConfig config,
                                                        plugin::LogSink log);
  ~Worker();

  // Validates `connector` against its plugin's config definition, starts it, asks it for up to
  // tasks.max task configs and starts those tasks. NotFound when no plugin has that name.
  // (Standalone mode: `sluice worker` with connector files.)
  absl::Status StartConnector(const ConnectorConfig& connector);

  // The pieces the herder drives one by one (runtime/herder).
  //
  // Validates and starts the connector itself (no tasks) and returns the task configs it asks
  // for (at most tasks.max). NotFound when no plugin has that name, InvalidArgument naming keys
  // when the config does not validate, AlreadyExists when it runs.
  // Called, on any thread, when a running connector asks for its tasks to be reconfigured
  // (api->request_reconfiguration). Set before any connector starts; without one, the request
  // is only logged.
  void SetReconfigurationHandler(std::function<void(const std::string& connector)> handler) {
    on_reconfigure_ = std::move(handler);
  }
  // The task configs the running connector `name` generates now (NotFound when not running).
  absl::StatusOr<std::vector<plugin::ConfigMap>> RegenerateTaskConfigs(const std::string& name,
                                                                       size_t max_tasks);

  absl::StatusOr<std::vector<plugin::ConfigMap>> StartConnectorOnly(
      const ConnectorConfig& connector);
  // Starts task `task_id` of a started connector with `task_config` (references already
  // resolved), from the connector's committed offsets. AlreadyExists when that task runs.
  absl::Status StartTask(const std::string& connector, int task_id,
                         const plugin::ConfigMap& task_config);
  // Stops one task (it flushes and commits) and waits for it. Returns how it ended (OK after a
  // clean stop, its failure otherwise); OK when it was not running.
  absl::Status StopTask(const std::string& connector, int task_id);
  // Stops every task of `connector`, in parallel, and waits; the connector itself keeps running.
  void StopTasks(const std::string& connector);
  // Stops the tasks, then the connector.
  void StopConnector(const std::string& connector);
  bool IsConnectorRunning(const std::string& connector) const;

  // Stops every task (each flushes and commits), then every connector. Returns once all ended.
  void StopAll();

  // The tasks of `connector`, by task id, for status and tests.
  std::vector<const WorkerSourceTask*> Tasks(const std::string& connector) const;
  const WorkerSourceTask* Task(const std::string& connector, int task_id) const;
  plugin::PluginRegistry& plugins() { return registry_; }
  kafka::OffsetStore& offset_store() { return *offset_store_; }
  kafka::TopicAdmin& topic_admin() { return *admin_; }
  const config::WorkerConfig& config() const { return config_; }

 private:
  Worker(config::WorkerConfig config, plugin::LogSink log);

  struct RunningConnector {
    std::unique_ptr<plugin::ConnectorInstance> instance;
    std::shared_ptr<const plugin::Plugin> plugin;
    std::map<int, std::unique_ptr<WorkerSourceTask>> tasks;
  };

  const config::WorkerConfig config_;
  const plugin::LogSink log_;
  std::function<void(const std::string&)> on_reconfigure_;
  std::unique_ptr<kafka::TopicAdmin> admin_;
  std::unique_ptr<kafka::DataTopicCreator> topic_creator_;
  std::unique_ptr<kafka::OffsetStore> offset_store_;
  plugin::PluginRegistry registry_;
  std::unique_ptr<plugin::PluginWatcher> watcher_;
  std::map<std::string, RunningConnector> connectors_;
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_WORKER_H_
