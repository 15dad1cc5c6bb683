#include "runtime/herder/herder.h"

#include <algorithm>
#include <future>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kafka/compacted_topic.h"
#include "runtime/plugin/plugin_calls.h"
#include "runtime/worker/worker.h"

namespace sluice::herder {
namespace {

constexpr char kWho[] = "herder";
constexpr absl::Duration kWriteTimeout = absl::Seconds(30);
constexpr absl::Duration kReadTimeout = absl::Seconds(60);

}  // namespace

absl::StatusOr<std::unique_ptr<Herder>> Herder::Start(config::WorkerConfig config, LogSink log,
                                                      HerderOptions options) {
  HerderParts parts;
  parts.scrubber = std::make_shared<SecretScrubber>();
  const std::string bootstrap = config.bootstrap_servers;
  auto config_options =
      kafka::CompactedTopicOptions{bootstrap, config.config_storage.name, config.producer_overrides,
                                   config.consumer_overrides, "sluice-configs"};
  auto status_options =
      kafka::CompactedTopicOptions{bootstrap, config.status_storage.name, config.producer_overrides,
                                   config.consumer_overrides, "sluice-statuses"};
  absl::StatusOr<std::unique_ptr<worker::Worker>> worker =
      worker::Worker::Create(std::move(config), ScrubbingLogSink(parts.scrubber, log));
  if (!worker.ok()) return worker.status();
  parts.worker = *std::move(worker);
  absl::StatusOr<std::unique_ptr<kafka::CompactedTopic>> config_log =
      kafka::CompactedTopic::Create(config_options);
  if (!config_log.ok()) return config_log.status();
  parts.config_log = *std::move(config_log);
  absl::StatusOr<std::unique_ptr<kafka::CompactedTopic>> status_log =
      kafka::CompactedTopic::Create(status_options);
  if (!status_log.ok()) return status_log.status();
  parts.status_log = *std::move(status_log);
  return Start(std::move(parts), std::move(log), std::move(options));
}

absl::StatusOr<std::unique_ptr<Herder>> Herder::Start(HerderParts parts, LogSink log,
                                                      HerderOptions options) {
  if (parts.worker == nullptr || parts.config_log == nullptr || parts.status_log == nullptr) {
    return absl::InvalidArgumentError("a herder needs a worker, a config log and a status log");
  }
  std::unique_ptr<Herder> herder(new Herder(std::move(parts), std::move(log), std::move(options)));
  herder->worker_->SetReconfigurationHandler([h = herder.get()](const std::string& name) {
    h->Post([h, name] { h->lifecycle_.ReconfigureTasks(name); });
  });
  // Restore before the thread starts: nothing else can reach the herder yet.
  if (absl::Status status = herder->Restore(); !status.ok()) return status;
  herder->thread_ = std::thread([h = herder.get()] { h->Run(); });
  return herder;
}

Herder::Herder(HerderParts parts, LogSink log, HerderOptions options)
    : options_(std::move(options)),
      scrubber_(parts.scrubber != nullptr ? std::move(parts.scrubber)
                                          : std::make_shared<SecretScrubber>()),
      log_(ScrubbingLogSink(scrubber_, std::move(log))),
      worker_(std::move(parts.worker)),
      configs_(std::move(parts.config_log)),
      statuses_(std::move(parts.status_log), worker_.get(), scrubber_, &watchers_,
                options_.worker_id, log_),
      preparer_(&worker_->plugins(), worker_->config().secrets_dir, scrubber_,
                worker_->config().client_overrides, worker_->config().exactly_once_source_support),
      lifecycle_(worker_.get(), &configs_, &statuses_, &preparer_, log_),
      metrics_(worker_.get(), &watchers_, options_.worker_id, options_.metrics_interval) {}

Herder::~Herder() {
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  worker_->StopAll();
}

// ---- the request queue ----

void Herder::Post(std::function<void()> fn) {
  absl::MutexLock lock(&queue_mu_);
  queue_.push_back(std::move(fn));
}

template <typename T>
T Herder::Call(std::function<T()> fn) {
  std::promise<T> promise;
  std::future<T> future = promise.get_future();
  Post([&promise, &fn] { promise.set_value(fn()); });
  return future.get();
}

void Herder::Run() {
  absl::Time next_tick = absl::Now();
  while (true) {
    std::function<void()> request;
    {
      absl::MutexLock lock(&queue_mu_);
      queue_mu_.AwaitWithDeadline(absl::Condition(this, &Herder::HasWork), next_tick);
      if (stopping_) return;
      if (!queue_.empty()) {
        request = std::move(queue_.front());
        queue_.pop_front();
      }
    }
    if (request) request();
    if (absl::Now() >= next_tick) {
      Tick();
      next_tick = absl::Now() + options_.tick;
    }
  }
}

bool Herder::HasWork() const { return stopping_ || !queue_.empty(); }

// ---- herder-thread helpers ----

absl::Status Herder::Restore() {
  if (absl::Status status = configs_.Restore(kReadTimeout); !status.ok()) return status;
  if (absl::Status status = statuses_.Restore(kReadTimeout); !status.ok()) return status;
  for (const auto& [name, entry] : configs_.state().connectors()) {
    const TargetState target = configs_.state().target_state(name);
    log_(LogLevel::kInfo, kWho,
         absl::StrCat("restoring connector ", name, " (", TargetStateName(target), ")"));
    if (absl::Status status = lifecycle_.Start(name, target); !status.ok()) {
      log_(LogLevel::kError, kWho, absl::StrCat("connector ", name, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

void Herder::Tick() {
  for (const auto& [name, entry] : configs_.state().connectors()) {
    statuses_.Refresh(name, entry.tasks.size());
  }
  metrics_.MaybeSample(configs_.state(), absl::Now());
}

absl::Status Herder::RequireConnector(const std::string& name) const {
  if (configs_.Has(name)) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("connector ", name, " not found"));
}

ConnectorInfo Herder::InfoOf(const std::string& name) const {
  const ConnectorEntry& entry = configs_.entry(name);
  ConnectorInfo info;
  info.name = name;
  info.config = preparer_.Shown(entry.config);
  info.target_state = configs_.state().target_state(name);
  info.task_count = static_cast<int>(entry.tasks.size());
  info.status = statuses_.StatusOf(name);
  return info;
}

// ---- the operations ----

absl::StatusOr<ConnectorInfo> Herder::Create(const std::string& name, ConfigMap config,
                                             TargetState initial) {
  return Call<absl::StatusOr<ConnectorInfo>>([&]() -> absl::StatusOr<ConnectorInfo> {
    if (configs_.Has(name)) {
      return absl::AlreadyExistsError(absl::StrCat("connector ", name, " already exists"));
    }
    absl::StatusOr<ConfigMap> stored = preparer_.Prepare(name, std::move(config));
    if (!stored.ok()) return stored.status();
    // The target state goes first, so a reader never sees the connector without it.
    if (absl::Status s = configs_.Write({{TargetStateKey(name), EncodeTargetState(initial)},
                                         {ConnectorConfigKey(name), EncodeProperties(*stored)}});
        !s.ok()) {
      return s;
    }
    (void)lifecycle_.Start(name, initial);  // a failure is the connector's status, not the call's
    return InfoOf(name);
  });
}

absl::StatusOr<ConnectorInfo> Herder::Get(const std::string& name) {
  return Call<absl::StatusOr<ConnectorInfo>>([&]() -> absl::StatusOr<ConnectorInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    return InfoOf(name);
  });
}

absl::StatusOr<std::vector<ConfigMap>> Herder::TaskConfigs(const std::string& name) {
  return Call<absl::StatusOr<std::vector<ConfigMap>>>(
      [&]() -> absl::StatusOr<std::vector<ConfigMap>> {
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        std::vector<ConfigMap> out;
        for (const ConfigMap& task : configs_.entry(name).tasks) out.push_back(preparer_.Shown(task));
        return out;
      });
}

std::vector<ConnectorInfo> Herder::List() {
  return Call<std::vector<ConnectorInfo>>([&] {
    std::vector<ConnectorInfo> out;
    for (const auto& [name, entry] : configs_.state().connectors()) out.push_back(InfoOf(name));
    return out;
  });
}

absl::StatusOr<ConnectorInfo> Herder::PutConfig(const std::string& name, ConfigMap config,
                                                bool* created) {
  return Call<absl::StatusOr<ConnectorInfo>>([&]() -> absl::StatusOr<ConnectorInfo> {
    const bool exists = configs_.Has(name);
    if (created != nullptr) *created = !exists;
    absl::StatusOr<ConfigMap> stored = preparer_.Prepare(name, std::move(config));
    if (!stored.ok()) return stored.status();
    std::vector<kafka::KeyedRecord> records;
    if (!exists)
      records.push_back({TargetStateKey(name), EncodeTargetState(TargetState::kStarted)});
    records.push_back({ConnectorConfigKey(name), EncodeProperties(*stored)});
    if (absl::Status s = configs_.Write(records); !s.ok()) return s;
    // A new config applies by restarting the connector (and its tasks) in its target state.
    lifecycle_.StopInWorker(name);
    (void)lifecycle_.Start(name, configs_.state().target_state(name));
    return InfoOf(name);
  });
}

absl::StatusOr<ConnectorInfo> Herder::PatchConfig(const std::string& name, const ConfigMap& set,
                                                  const std::vector<std::string>& remove) {
  absl::StatusOr<ConfigMap> merged =
      Call<absl::StatusOr<ConfigMap>>([&]() -> absl::StatusOr<ConfigMap> {
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        ConfigMap config = configs_.entry(name).config;
        for (const std::string& key : remove) {
          std::erase_if(config, [&](const auto& kv) { return kv.first == key; });
        }
        for (const auto& [k, v] : set) {
          auto it = std::find_if(config.begin(), config.end(),
                                 [&](const auto& kv) { return kv.first == k; });
          if (it == config.end()) {
            config.emplace_back(k, v);
          } else {
            it->second = v;
          }
        }
        return config;
      });
  if (!merged.ok()) return merged.status();
  // Between the two calls another request may have deleted it; PutConfig would then recreate it.
  bool created = false;
  absl::StatusOr<ConnectorInfo> info = PutConfig(name, *std::move(merged), &created);
  if (info.ok() && created) {
    (void)Delete(name);
    return absl::NotFoundError(
        absl::StrCat("connector ", name, " was deleted while being patched"));
  }
  return info;
}

absl::Status Herder::Delete(const std::string& name) {
  return Call<absl::Status>([&]() -> absl::Status {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    lifecycle_.StopInWorker(name);
    if (absl::Status s = configs_.Write(
            {{ConnectorConfigKey(name), std::nullopt}, {TargetStateKey(name), std::nullopt}});
        !s.ok()) {
      return s;
    }
    statuses_.RemoveStatuses(name, /*connector_too=*/true);
    watchers_.Publish({WatchEvent::Kind::kConnectorDeleted, name, -1, State::kUnassigned, "",
                       options_.worker_id});
    return absl::OkStatus();
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Pause(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (absl::Status s =
            configs_.Write({{TargetStateKey(name), EncodeTargetState(TargetState::kPaused)}});
        !s.ok()) {
      return s;
    }
    (void)lifecycle_.Start(name, TargetState::kPaused);
    return statuses_.StatusOf(name);
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Resume(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (absl::Status s =
            configs_.Write({{TargetStateKey(name), EncodeTargetState(TargetState::kStarted)}});
        !s.ok()) {
      return s;
    }
    (void)lifecycle_.Start(name, TargetState::kStarted);
    return statuses_.StatusOf(name);
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Stop(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (absl::Status s =
            configs_.Write({{TargetStateKey(name), EncodeTargetState(TargetState::kStopped)}});
        !s.ok()) {
      return s;
    }
    if (absl::Status s = lifecycle_.StopEmptyingTasks(name); !s.ok()) return s;
    return statuses_.StatusOf(name);
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Restart(const std::string& name, bool include_tasks,
                                                    bool only_failed) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    const TargetState target = configs_.state().target_state(name);
    if (target == TargetState::kStopped) {
      return absl::FailedPreconditionError(
          absl::StrCat("connector ", name, " is STOPPED; resume it to run it again"));
    }
    // Restarting the connector regenerates its task configs, so its tasks restart with it:
    // include_tasks is always implied (docs/admin-api.md). With only_failed, a connector that
    // did not fail keeps running and only its FAILED tasks restart.
    (void)include_tasks;
    const ConnectorStatusInfo before = statuses_.StatusOf(name);
    ConnectorStatusInfo::Restarted restarted;
    if (!only_failed || before.state == State::kFailed) {
      lifecycle_.StopInWorker(name);
      statuses_.SetConnectorState(name, State::kRestarting);
      (void)lifecycle_.Start(name, target);
      restarted.connector = true;
      if (target == TargetState::kStarted) {
        for (const TaskStatusInfo& task : statuses_.StatusOf(name).tasks) {
          restarted.tasks.push_back(task.id);
        }
      }
    } else if (target == TargetState::kStarted) {
      for (const TaskStatusInfo& task : before.tasks) {
        if (task.state != State::kFailed) continue;
        lifecycle_.RestartTask(name, task.id);
        restarted.tasks.push_back(task.id);
      }
    }
    ConnectorStatusInfo after = statuses_.StatusOf(name);
    after.restarted = std::move(restarted);
    return after;
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::RestartTask(const std::string& name, int task) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (task < 0 || static_cast<size_t>(task) >= configs_.entry(name).tasks.size()) {
      return absl::NotFoundError(absl::StrCat("task ", name, "-", task, " not found"));
    }
    if (configs_.state().target_state(name) != TargetState::kStarted) {
      return absl::FailedPreconditionError(absl::StrCat(
          "connector ", name, " is ", TargetStateName(configs_.state().target_state(name)),
          "; resume it before restarting a task"));
    }
    lifecycle_.RestartTask(name, task);
    ConnectorStatusInfo after = statuses_.StatusOf(name);
    after.restarted = ConnectorStatusInfo::Restarted{.connector = false, .tasks = {task}};
    return after;
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Status(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    return statuses_.StatusOf(name);
  });
}

plugin::ConfigValidation Herder::Validate(const ConfigMap& config) {
  return Call<plugin::ConfigValidation>([&] { return preparer_.Validate(config); });
}

absl::StatusOr<std::vector<PartitionOffset>> Herder::Offsets(const std::string& name) {
  return Call<absl::StatusOr<std::vector<PartitionOffset>>>(
      [&]() -> absl::StatusOr<std::vector<PartitionOffset>> {
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        if (absl::Status s = worker_->offset_store().ReadToEnd(kReadTimeout); !s.ok()) {
          return absl::UnavailableError(absl::StrCat("reading the offsets topic: ", s.message()));
        }
        std::vector<PartitionOffset> out;
        for (auto& [partition, offset] : worker_->offset_store().OffsetsFor(name)) {
          out.push_back({std::move(partition), std::move(offset)});
        }
        return out;
      });
}

absl::Status Herder::AlterOffsets(const std::string& name,
                                  const std::vector<PartitionOffset>& offsets) {
  return Call<absl::Status>([&]() -> absl::Status {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    const TargetState target = configs_.state().target_state(name);
    if (target != TargetState::kStopped || worker_->IsConnectorRunning(name)) {
      return absl::FailedPreconditionError(
          absl::StrCat("connector ", name, " is ", TargetStateName(target),
                       "; offsets may only be changed while it is STOPPED (stop it first)"));
    }
    // The connector checks every offset before any is written (ABI 1.4 on_offset_check).
    const ConfigMap& config = configs_.state().connectors().at(name).config;
    const std::optional<std::string> cls = plugin::Lookup(config, "connector.class");
    if (std::shared_ptr<const plugin::Plugin> plugin =
            cls ? worker_->plugins().Find(*cls) : nullptr) {
      for (const PartitionOffset& po : offsets) {
        if (!po.offset) continue;
        if (absl::Status s = plugin::CheckOffset(plugin, name, config, po.partition, *po.offset, log_);
            !s.ok()) {
          return absl::Status(s.code(), absl::StrCat(s.message(), "; no offset was written"));
        }
      }
    }
    std::vector<offsets::CommittableOffset> writes;
    for (const PartitionOffset& po : offsets) {
      if (po.offset) {
        writes.push_back({po.partition, *po.offset});
      } else if (absl::Status s = worker_->offset_store().Reset(name, po.partition, kWriteTimeout);
                 !s.ok()) {
        return absl::UnavailableError(absl::StrCat("resetting an offset: ", s.message()));
      }
    }
    if (!writes.empty()) {
      if (absl::Status s = worker_->offset_store().Write(name, writes, kWriteTimeout); !s.ok()) {
        return absl::UnavailableError(absl::StrCat("writing offsets: ", s.message()));
      }
    }
    return absl::OkStatus();
  });
}

absl::Status Herder::ResetOffsets(const std::string& name) {
  absl::StatusOr<std::vector<PartitionOffset>> current = Offsets(name);
  if (!current.ok()) return current.status();
  for (PartitionOffset& po : *current) po.offset.reset();
  if (absl::Status s = AlterOffsets(name, *current); !s.ok()) return s;
  // A reset starts the connector over as a new one: its topic history goes with its offsets, so
  // its next start is not taken for offsets lost (SLUICE_TASK_CONFIG_ACTIVE_TOPICS).
  return ResetTopics(name);
}

absl::StatusOr<std::vector<std::string>> Herder::Topics(const std::string& name) {
  return Call<absl::StatusOr<std::vector<std::string>>>(
      [&]() -> absl::StatusOr<std::vector<std::string>> {
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        statuses_.NoteTopics(name);  // topics first written since the last tick
        return statuses_.Topics(name);
      });
}

absl::Status Herder::ResetTopics(const std::string& name) {
  return Call<absl::Status>([&]() -> absl::Status {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    return statuses_.ResetTopics(name);
  });
}

std::vector<std::shared_ptr<const plugin::Plugin>> Herder::Plugins() {
  return Call<std::vector<std::shared_ptr<const plugin::Plugin>>>(
      [&] { return worker_->plugins().List(); });
}

std::shared_ptr<WatchSubscription> Herder::Watch() {
  return Call<std::shared_ptr<WatchSubscription>>([&] {
    auto sub = std::make_shared<WatchSubscription>();
    for (const auto& [name, entry] : configs_.state().connectors()) {
      const ConnectorStatusInfo status = statuses_.StatusOf(name);
      sub->Push({WatchEvent::Kind::kConnectorStatus, name, -1, status.state, status.trace,
                 status.worker_id});
      for (const TaskStatusInfo& task : status.tasks) {
        sub->Push(
            {WatchEvent::Kind::kTaskStatus, name, task.id, task.state, task.trace, task.worker_id});
      }
    }
    watchers_.Add(sub);
    return sub;
  });
}

}  // namespace sluice::herder
