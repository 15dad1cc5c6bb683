// The worker as a herder drives it (Kafka Connect's Herder holds a Worker the same way): its
// config and plugins, the offsets topic, and connectors and their tasks started and stopped one
// step at a time. worker::Worker in production; a fake in the herder's unit tests
// (tests/unit/herder). A cluster herder drives the same steps for what its assignment gives it.
//
// Threads: every method from the one controlling thread (the herder's); tasks run on their own.
#ifndef SLUICE_RUNTIME_WORKER_WORKER_CONTROL_H_
#define SLUICE_RUNTIME_WORKER_WORKER_CONTROL_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/config/worker_config.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/plugin_registry.h"
#include "runtime/worker/connector_config.h"
#include "runtime/worker/offset_backing_store.h"
#include "runtime/worker/task_view.h"

namespace sluice::worker {

class WorkerControl {
 public:
  virtual ~WorkerControl() = default;

  virtual const config::WorkerConfig& config() const = 0;
  virtual plugin::PluginRegistry& plugins() = 0;
  virtual OffsetBackingStore& offset_store() = 0;
  // The Kafka cluster's id, learnt when the worker first reached it; nullopt when it did not
  // tell. Constant after creation: any thread.
  virtual const std::optional<std::string>& kafka_cluster_id() const = 0;

  // Called, on any thread, when a running connector asks for its tasks to be reconfigured
  // (api->request_reconfiguration). Set before any connector starts; without one, the request
  // is only logged.
  virtual void SetReconfigurationHandler(
      std::function<void(const std::string& connector)> handler) = 0;

  // Validates and starts the connector itself (no tasks) and returns the task configs it asks
  // for (at most tasks.max). NotFound when no plugin has that name, InvalidArgument naming keys
  // when the config does not validate, AlreadyExists when it runs.
  virtual absl::StatusOr<std::vector<ConfigMap>> StartConnectorOnly(
      const ConnectorConfig& connector) = 0;
  // The task configs the running connector `name` generates now (NotFound when not running).
  virtual absl::StatusOr<std::vector<ConfigMap>> RegenerateTaskConfigs(
      const std::string& name, size_t max_tasks) = 0;
  // Whether the connector's instance runs here (its tasks may run here without it).
  virtual bool IsConnectorRunning(const std::string& connector) const = 0;
  // Cluster mode: readies `connector` to run tasks here while its instance runs on another worker
  // (the same checks and settings as StartConnectorOnly, no instance). OK when it already runs
  // or is hosted; the host goes with its last task (StopTask) unless its instance runs here.
  virtual absl::Status HostTasks(const ConnectorConfig& connector) = 0;
  // Stops the connector's instance alone; its tasks here keep running.
  virtual void StopConnectorInstance(const std::string& connector) = 0;

  // Starts task `task_id` of a started (or hosted) connector with `task_config` (references already
  // resolved), from the connector's committed offsets. AlreadyExists when that task runs.
  virtual absl::Status StartTask(const std::string& connector, int task_id,
                                 const ConfigMap& task_config) = 0;
  // Exactly-once: fences every transactional producer of task ids [0, task_count) of
  // `connector` (zombie_fencing.h), before a new generation of its tasks starts.
  virtual absl::Status FenceTaskProducers(const std::string& connector, int task_count) = 0;
  // Stops one task (it flushes and commits) and waits for it. Returns how it ended (OK after a
  // clean stop, its failure otherwise); OK when it was not running.
  virtual absl::Status StopTask(const std::string& connector, int task_id) = 0;
  // Stops every task of `connector`, in parallel, and waits; the connector itself keeps running.
  virtual void StopTasks(const std::string& connector) = 0;
  // Stops the tasks, then the connector.
  virtual void StopConnector(const std::string& connector) = 0;
  // Stops every task (each flushes and commits), then every connector. Returns once all ended.
  virtual void StopAll() = 0;

  // The running tasks of `connector`, by task id; each valid until it is stopped.
  virtual std::vector<const TaskView*> Tasks(const std::string& connector) const = 0;
  // nullptr when that task does not run here.
  virtual const TaskView* Task(const std::string& connector, int task_id) const = 0;
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_WORKER_CONTROL_H_
