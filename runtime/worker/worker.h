#ifndef SLUICE_RUNTIME_WORKER_WORKER_H_
#define SLUICE_RUNTIME_WORKER_WORKER_H_

// The worker process's core: its Kafka clients (topic admin, offsets store), its plugins (the
// plugin.path scan plus the drop-in watcher), and the connectors it runs, each with its tasks.
// Runs the connectors it is given (Kafka Connect's standalone mode); cluster membership and the
// admin API build on it.
//
// Threads: all public methods from one controlling thread (the process's main thread); tasks run
// on their own threads.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "plugin/plugin_registry.h"
#include "plugin/plugin_watcher.h"
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
  absl::Status StartConnector(const ConnectorConfig& connector);

  // Stops every task (each flushes and commits), then every connector. Returns once all ended.
  void StopAll();

  // The tasks of `connector`, for status and tests.
  std::vector<const WorkerSourceTask*> Tasks(const std::string& connector) const;
  plugin::PluginRegistry& plugins() { return registry_; }

 private:
  Worker(config::WorkerConfig config, plugin::LogSink log);

  struct RunningConnector {
    std::unique_ptr<plugin::ConnectorInstance> instance;
    std::vector<std::unique_ptr<WorkerSourceTask>> tasks;
  };

  const config::WorkerConfig config_;
  const plugin::LogSink log_;
  std::unique_ptr<kafka::TopicAdmin> admin_;
  std::unique_ptr<kafka::DataTopicCreator> topic_creator_;
  std::unique_ptr<kafka::OffsetStore> offset_store_;
  plugin::PluginRegistry registry_;
  std::unique_ptr<plugin::PluginWatcher> watcher_;
  std::map<std::string, RunningConnector> connectors_;
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_WORKER_H_
