#include "runtime/herder/connector_lifecycle.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/herder/secrets.h"
#include "runtime/worker/connector_config.h"
#include "sluice/connector.h"

namespace sluice::herder {
namespace {

constexpr char kWho[] = "herder";

}  // namespace

absl::Status ConnectorLifecycle::Start(const std::string& name, TargetState target) {
  if (absl::Status s = StartInstance(name, target); !s.ok() || target == TargetState::kStopped) {
    return s;
  }
  if (target == TargetState::kPaused) {
    statuses_->NoteTopics(name);
    worker_->StopTasks(name);
    const size_t n = configs_->entry(name).tasks.size();
    for (size_t i = 0; i < n; ++i) {
      statuses_->SetTaskState(name, static_cast<int>(i), State::kPaused);
    }
    return absl::OkStatus();
  }
  return StartTasks(name, /*only_missing=*/true);
}

absl::Status ConnectorLifecycle::StartInstance(const std::string& name, TargetState target) {
  if (target == TargetState::kStopped) {
    statuses_->SetConnectorState(name, State::kStopped);
    return absl::OkStatus();
  }
  const ConnectorEntry& entry = configs_->entry(name);
  // The connector sees resolved values (it may need the credentials to check its source, as in
  // Kafka Connect); the task configs it generates are reverse-resolved before they are stored.
  absl::StatusOr<ConfigMap> resolved = preparer_->Resolve(entry.config);
  if (!resolved.ok()) {
    statuses_->SetConnectorState(
        name, State::kFailed,
        absl::StrCat("resolving the connector's config: ", resolved.status().message()));
    return resolved.status();
  }
  absl::StatusOr<worker::ConnectorConfig> config = worker::ConnectorConfigFromMap(*resolved);
  if (!config.ok()) {
    statuses_->SetConnectorState(name, State::kFailed, std::string(config.status().message()));
    return config.status();
  }
  const size_t previous_tasks = entry.tasks.size();
  bool rewritten = false;
  if (!worker_->IsConnectorRunning(name)) {
    absl::StatusOr<std::vector<ConfigMap>> generated = worker_->StartConnectorOnly(*config);
    if (!generated.ok()) {
      statuses_->SetConnectorState(name, State::kFailed, std::string(generated.status().message()));
      return generated.status();
    }
    *generated = ReverseResolve(entry.config, *resolved, *std::move(generated));
    if (entry.inconsistent || *generated != entry.tasks) {
      if (absl::Status s = WriteTaskConfigs(name, *generated); !s.ok()) {
        StopInWorker(name);
        statuses_->SetConnectorState(name, State::kFailed, std::string(s.message()));
        return s;
      }
      rewritten = true;
    }
  }
  statuses_->SetConnectorState(name,
                               target == TargetState::kPaused ? State::kPaused : State::kRunning);
  // In a cluster the leader, which wrote the task configs, runs their fencing round.
  if (target == TargetState::kPaused || units_apart_) return absl::OkStatus();
  return FenceZombiesHere(name, rewritten, previous_tasks);
}

absl::Status ConnectorLifecycle::StartTaskHere(const std::string& name, int task) {
  if (!units_apart_) {
    StartOneTask(name, task);  // its connector runs here, or the task fails saying it does not
    return absl::OkStatus();
  }
  if (AwaitsZombieFencing(name)) {
    return absl::UnavailableError(absl::StrCat(
        "task ", name, "-", task, " waits for its connector's zombie fencing round"));
  }
  const ConnectorEntry& entry = configs_->entry(name);
  absl::StatusOr<ConfigMap> resolved = preparer_->Resolve(entry.config);
  absl::StatusOr<worker::ConnectorConfig> config =
      resolved.ok() ? worker::ConnectorConfigFromMap(*resolved)
                    : absl::StatusOr<worker::ConnectorConfig>(resolved.status());
  absl::Status hosted = config.ok() ? worker_->HostTasks(*config) : config.status();
  if (!hosted.ok()) {
    statuses_->SetTaskState(name, task, State::kFailed,
                            absl::StrCat("preparing its connector here: ", hosted.message()));
    return hosted;
  }
  StartOneTask(name, task);
  return absl::OkStatus();
}

void ConnectorLifecycle::StopTaskHere(const std::string& name, int task) {
  statuses_->NoteTopics(name);
  (void)worker_->StopTask(name, task);
}

void ConnectorLifecycle::StopInstance(const std::string& name) {
  worker_->StopConnectorInstance(name);
}

void ConnectorLifecycle::ReconfigureTasks(const std::string& name) {
  const bool restart_tasks_here = !units_apart_;
  if (!configs_->Has(name) || configs_->state().target_state(name) != TargetState::kStarted ||
      !worker_->IsConnectorRunning(name)) {
    return;
  }
  const ConnectorEntry& entry = configs_->entry(name);
  absl::StatusOr<ConfigMap> resolved = preparer_->Resolve(entry.config);
  if (!resolved.ok()) return;
  absl::StatusOr<worker::ConnectorConfig> config = worker::ConnectorConfigFromMap(*resolved);
  if (!config.ok()) return;
  absl::StatusOr<std::vector<ConfigMap>> generated =
      worker_->RegenerateTaskConfigs(name, static_cast<size_t>(config->tasks_max));
  if (!generated.ok()) {
    statuses_->SetConnectorState(
        name, State::kFailed,
        absl::StrCat("reconfiguring its tasks: ", generated.status().message()));
    return;
  }
  *generated = ReverseResolve(entry.config, *resolved, *std::move(generated));
  if (*generated == entry.tasks) {
    log_(LogLevel::kInfo, kWho,
         absl::StrCat("connector ", name,
                      " asked for a task reconfiguration; its task configs are unchanged"));
    return;
  }
  log_(LogLevel::kInfo, kWho,
       absl::StrCat("connector ", name, " reconfigured its tasks: restarting ", generated->size(),
                    " task(s) with their new configs"));
  if (restart_tasks_here) {
    statuses_->NoteTopics(name);
    worker_->StopTasks(name);
  }
  const size_t previous_tasks = entry.tasks.size();
  if (absl::Status s = WriteTaskConfigs(name, *generated); !s.ok()) {
    statuses_->SetConnectorState(name, State::kFailed, std::string(s.message()));
    return;
  }
  // With units apart the leader, which wrote them, fences the previous generation wherever its
  // tasks ran; the new tasks wait for its record (AwaitsZombieFencing).
  if (!restart_tasks_here) return;
  if (!FenceZombiesHere(name, /*rewritten=*/true, previous_tasks).ok()) return;
  (void)StartTasks(name, /*only_missing=*/false);
}

absl::Status ConnectorLifecycle::WriteTaskConfigs(
    const std::string& name, const std::vector<ConfigMap>& task_configs) {
  if (store_task_configs_) return store_task_configs_(name, task_configs);
  return configs_->Write(TaskConfigRecords(name, task_configs));
}

bool ConnectorLifecycle::AwaitsZombieFencing(const std::string& name) const {
  return worker_->config().exactly_once_source_support ==
             config::ExactlyOnceSourceSupport::kEnabled &&
         configs_->state().fencing_pending(name);
}

absl::Status ConnectorLifecycle::FenceZombies(const std::string& name, bool rewritten,
                                              size_t previous_tasks, const RecordWrite& write) {
  if (worker_->config().exactly_once_source_support !=
      config::ExactlyOnceSourceSupport::kEnabled) {
    return absl::OkStatus();
  }
  const int tasks = static_cast<int>(configs_->entry(name).tasks.size());
  const std::optional<int> recorded = configs_->state().task_count_record(name);
  if (!rewritten && !configs_->state().fencing_pending(name) && recorded == tasks) {
    return absl::OkStatus();  // this generation's round ran
  }
  // Every id the previous generation may have used: its recorded count, the task configs this
  // start replaced, and the new ones (whose own inits would fence them one by one, too late for
  // a task that starts before another's zombie is fenced).
  const int fence = std::max({recorded.value_or(0), static_cast<int>(previous_tasks), tasks});
  log_(LogLevel::kInfo, kWho,
       absl::StrCat("connector ", name, ": zombie fencing round over task ids 0-", fence - 1,
                    " before its ", tasks, " task(s) start"));
  absl::Status s = worker_->FenceTaskProducers(name, fence);
  if (s.ok()) s = write({{TaskCountKey(name), EncodeTaskCount(tasks)}});
  return s;
}

absl::Status ConnectorLifecycle::FenceZombiesHere(const std::string& name, bool rewritten,
                                                  size_t previous_tasks) {
  absl::Status s = FenceZombies(name, rewritten, previous_tasks,
                                [this](const std::vector<kafka::KeyedRecord>& records) {
                                  return configs_->Write(records);
                                });
  if (!s.ok()) {
    // No task of the new generation may start before the round is done.
    const size_t n = configs_->entry(name).tasks.size();
    for (size_t i = 0; i < n; ++i) {
      statuses_->SetTaskState(name, static_cast<int>(i), State::kFailed, std::string(s.message()));
    }
  }
  return s;
}

absl::Status ConnectorLifecycle::StartTasks(const std::string& name, bool only_missing) {
  const size_t n = configs_->entry(name).tasks.size();
  for (size_t i = 0; i < n; ++i) {
    const int id = static_cast<int>(i);
    const worker::TaskView* running = worker_->Task(name, id);
    if (only_missing && running != nullptr && running->state() == worker::TaskState::kRunning) {
      continue;
    }
    if (running != nullptr) {
      statuses_->NoteTopics(name);
      (void)worker_->StopTask(name, id);
    }
    StartOneTask(name, id);
  }
  return absl::OkStatus();
}

void ConnectorLifecycle::StartOneTask(const std::string& name, int task) {
  const ConfigMap& stored = configs_->entry(name).tasks.at(task);
  // References are resolved here and only here; the resolved values live in the task and in the
  // scrubber, never in the config topic.
  absl::StatusOr<ConfigMap> resolved = preparer_->Resolve(stored);
  if (!resolved.ok()) {
    statuses_->SetTaskState(
        name, task, State::kFailed,
        absl::StrCat("resolving the task's config: ", resolved.status().message()));
    return;
  }
  // The connector's history, for a task that finds no committed offsets: the topics it wrote to
  // since it was created or its topics were reset (Kafka Connect's active topics, kept in the
  // status topic, which outlives a lost offsets topic). Never stored; empty when none.
  std::erase_if(*resolved, [](const auto& entry) {
    return entry.first == SLUICE_TASK_CONFIG_ACTIVE_TOPICS;  // the host's word, not the user's
  });
  resolved->emplace_back(SLUICE_TASK_CONFIG_ACTIVE_TOPICS,
                         absl::StrJoin(statuses_->Topics(name), ","));
  if (absl::Status s = worker_->StartTask(name, task, *resolved); !s.ok()) {
    statuses_->SetTaskState(name, task, State::kFailed, std::string(s.message()));
    return;
  }
  statuses_->SetTaskState(name, task, State::kRunning);
}

void ConnectorLifecycle::RestartTask(const std::string& name, int task) {
  StopTaskHere(name, task);
  statuses_->SetTaskState(name, task, State::kRestarting);
  (void)StartTaskHere(name, task);  // a failure is the task's status
}

absl::Status ConnectorLifecycle::StopEmptyingTasks(const std::string& name) {
  StopInWorker(name);
  if (!configs_->entry(name).tasks.empty() || configs_->entry(name).inconsistent) {
    if (absl::Status s = WriteTaskConfigs(name, {}); !s.ok()) return s;
  }
  statuses_->RemoveStatuses(name, /*connector_too=*/false);
  statuses_->SetConnectorState(name, State::kStopped);
  return absl::OkStatus();
}

void ConnectorLifecycle::StopInWorker(const std::string& name) {
  statuses_->NoteTopics(name);  // a task's topics are known only while it exists
  worker_->StopConnector(name);
}

}  // namespace sluice::herder
