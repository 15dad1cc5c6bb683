// The steps the herder's operations are made of: a connector started per its target state
// (STARTED = connector and tasks, PAUSED = the connector only, its tasks reported PAUSED,
// STOPPED = nothing), the task configs it generates stored when they changed, its tasks started,
// restarted and stopped, and each outcome written as a status. The herder decides which
// connectors run here; a cluster herder will decide it from its assignment and use these same
// steps.
//
// Configs reach the worker resolved (ConfigPreparer::Resolve); task configs the connector
// generates are reverse-resolved before they are stored, so the config topic never holds a
// resolved secret.
//
// Threads: not thread-safe; the herder thread owns it.
#ifndef SLUICE_RUNTIME_HERDER_CONNECTOR_LIFECYCLE_H_
#define SLUICE_RUNTIME_HERDER_CONNECTOR_LIFECYCLE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "runtime/herder/config_log.h"
#include "runtime/herder/config_preparer.h"
#include "runtime/herder/connect_records.h"
#include "runtime/herder/status_writer.h"
#include "runtime/plugin/host_context.h"
#include "runtime/worker/worker_control.h"

namespace sluice::herder {

class ConnectorLifecycle {
 public:
  // Every pointer must outlive this.
  ConnectorLifecycle(worker::WorkerControl* worker, ConfigLog* configs, StatusWriter* statuses,
                     const ConfigPreparer* preparer, LogSink log)
      : worker_(worker),
        configs_(configs),
        statuses_(statuses),
        preparer_(preparer),
        log_(std::move(log)) {}

  // Brings connector `name` (REQUIRES: in the config log) to `target`. A connector that already
  // runs keeps its instance; tasks that run are left alone. Task configs the connector generates
  // are written to the config topic when they differ from the committed ones. An error is also
  // the connector's status (FAILED, with the error).
  absl::Status Start(const std::string& name, TargetState target);

  // A running connector asked for its tasks to be reconfigured (Kafka Connect's
  // requestTaskReconfiguration): its task configs are generated again and, when they changed,
  // stored and its tasks restarted with them. Nothing happens unless the connector is STARTED
  // and runs here: a paused or stopped one regenerates its task configs when it starts again.
  void ReconfigureTasks(const std::string& name);

  // Stops task `task` of `name` when it runs, reports it RESTARTING and starts it again.
  void RestartTask(const std::string& name, int task);

  // KIP-875's stop: connector and tasks stopped, the task configs emptied in the config topic
  // (so no worker runs them), task statuses removed, the connector reported STOPPED.
  absl::Status StopEmptyingTasks(const std::string& name);

  // Stops the connector and its tasks in the worker, noting their topics first.
  void StopInWorker(const std::string& name);

 private:
  // Exactly-once (the worker's exactly.once.source.support=enabled): Kafka Connect's zombie
  // fencing round before a new task generation starts (worker/zombie_fencing.h): when the task
  // configs were just `rewritten`, or the task-count record differs from the task count, fences
  // every id up to the largest of the record, `previous_tasks` and the new count, then writes
  // the task-count record. On failure the tasks are reported FAILED and must not start.
  absl::Status FenceZombies(const std::string& name, bool rewritten, size_t previous_tasks);
  absl::Status StartTasks(const std::string& name, bool only_missing);
  void StartOneTask(const std::string& name, int task);
  // The task configs and the commit record that makes them current, written together.
  absl::Status WriteTaskConfigs(const std::string& name,
                                const std::vector<ConfigMap>& task_configs);

  worker::WorkerControl* const worker_;
  ConfigLog* const configs_;
  StatusWriter* const statuses_;
  const ConfigPreparer* const preparer_;
  const LogSink log_;
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_CONNECTOR_LIFECYCLE_H_
