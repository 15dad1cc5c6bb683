// The steps the herder's operations are made of: a connector started per its target state
// (STARTED = connector and tasks, PAUSED = the connector only, its tasks reported PAUSED,
// STOPPED = nothing), the task configs it generates stored when they changed, its tasks started,
// restarted and stopped, and each outcome written as a status. The herder decides which
// connectors run here; a cluster herder decides it from its assignment, unit by unit (a
// connector's instance and each task apart).
//
// Configs reach the worker resolved (ConfigPreparer::Resolve); task configs the connector
// generates are reverse-resolved before they are stored, so the config topic never holds a
// resolved secret.
//
// Threads: not thread-safe; the herder thread owns it.
#ifndef SLUICE_RUNTIME_HERDER_CONNECTOR_LIFECYCLE_H_
#define SLUICE_RUNTIME_HERDER_CONNECTOR_LIFECYCLE_H_

#include <functional>
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

// How the task configs a connector generated (empty: a stop's) are stored: in a cluster,
// through the leader, the config topic's one writer (Herder::StoreTaskConfigs). OK once they are
// written or will be (the herder retries a write the leader could not take yet).
using TaskConfigStore =
    std::function<absl::Status(const std::string& name, const std::vector<ConfigMap>& tasks)>;

class ConnectorLifecycle {
 public:
  // Every pointer must outlive this. `units_apart`: cluster mode, where a connector's instance
  // and each of its tasks may run on different workers (the *Here and *Instance steps below).
  // `store_task_configs`: null = written to `configs` here (a single worker).
  ConnectorLifecycle(worker::WorkerControl* worker, ConfigLog* configs, StatusWriter* statuses,
                     const ConfigPreparer* preparer, LogSink log, bool units_apart,
                     TaskConfigStore store_task_configs = nullptr)
      : worker_(worker),
        configs_(configs),
        statuses_(statuses),
        preparer_(preparer),
        log_(std::move(log)),
        units_apart_(units_apart),
        store_task_configs_(std::move(store_task_configs)) {}

  // Brings connector `name` (REQUIRES: in the config log) to `target`. A connector that already
  // runs keeps its instance; tasks that run are left alone. Task configs the connector generates
  // are written to the config topic when they differ from the committed ones. An error is also
  // the connector's status (FAILED, with the error).
  absl::Status Start(const std::string& name, TargetState target);

  // The steps of units apart (cluster mode). StartInstance: Start without the tasks (the
  // instance started when it does not run, its task configs written when they changed; the
  // connector's status RUNNING, PAUSED or STOPPED). StartTaskHere: task `task` of `name`
  // (REQUIRES: its config committed) started here from its committed config, with units apart
  // its connector hosted here for it (WorkerControl::HostTasks) when the instance runs elsewhere;
  // a failure is also the task's status. StopTaskHere: that task stopped (it flushes and
  // commits), its topics noted. StopInstance: the instance alone.
  // Under exactly-once StartTaskHere answers Unavailable, starting nothing, while
  // AwaitsZombieFencing: task configs committed with no fencing round after them (the leader,
  // their writer, runs the round and writes its record), so the caller tries again later.
  absl::Status StartInstance(const std::string& name, TargetState target);
  bool AwaitsZombieFencing(const std::string& name) const;
  absl::Status StartTaskHere(const std::string& name, int task);
  void StopTaskHere(const std::string& name, int task);
  void StopInstance(const std::string& name);

  // A running connector asked for its tasks to be reconfigured (Kafka Connect's
  // requestTaskReconfiguration): its task configs are generated again and, when they changed,
  // stored and its tasks restarted with them. Nothing happens unless the connector is STARTED
  // and runs here: a paused or stopped one regenerates its task configs when it starts again.
  // With units apart only the configs are written: each worker restarts the tasks it runs when
  // it sees their new configs.
  void ReconfigureTasks(const std::string& name);

  // Stops task `task` of `name` when it runs, reports it RESTARTING and starts it again.
  void RestartTask(const std::string& name, int task);

  // KIP-875's stop: connector and tasks stopped, the task configs emptied in the config topic
  // (so no worker runs them) unless they are already, task statuses removed, the connector
  // reported STOPPED.
  absl::Status StopEmptyingTasks(const std::string& name);

  // Stops the connector and its tasks in the worker, noting their topics first.
  void StopInWorker(const std::string& name);

  // Exactly-once (the worker's exactly.once.source.support=enabled; OK otherwise): Kafka
  // Connect's zombie fencing round before a new task generation starts (worker/zombie_fencing.h),
  // run by the task configs' one writer (a single worker; in a cluster the leader) right after
  // it wrote them. When the task configs were just `rewritten`, or no round followed the newest
  // ones, or the task-count record differs from the task count, fences every id up to the
  // largest of the record, `previous_tasks` and the new count, then stores the task-count record
  // with `write`. Until that record is read, no task of the new generation starts.
  using RecordWrite = std::function<absl::Status(const std::vector<kafka::KeyedRecord>&)>;
  absl::Status FenceZombies(const std::string& name, bool rewritten, size_t previous_tasks,
                            const RecordWrite& write);

 private:
  // On a single worker, which writes its own task configs: the round (FenceZombies) right after
  // they were written, or when one is missing; on failure the tasks are reported FAILED.
  absl::Status FenceZombiesHere(const std::string& name, bool rewritten, size_t previous_tasks);
  absl::Status StartTasks(const std::string& name, bool only_missing);
  void StartOneTask(const std::string& name, int task);
  // The task configs and the commit record that makes them current, stored together.
  absl::Status WriteTaskConfigs(const std::string& name,
                                const std::vector<ConfigMap>& task_configs);

  worker::WorkerControl* const worker_;
  ConfigLog* const configs_;
  StatusWriter* const statuses_;
  const ConfigPreparer* const preparer_;
  const LogSink log_;
  const bool units_apart_;
  const TaskConfigStore store_task_configs_;
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_CONNECTOR_LIFECYCLE_H_
