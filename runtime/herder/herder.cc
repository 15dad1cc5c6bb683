#include "runtime/herder/herder.h"

#include <algorithm>
#include <future>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/herder/config_check.h"
#include "runtime/herder/secrets.h"
#include "runtime/kafka/worker_clients.h"
#include "runtime/worker/connector_config.h"

namespace sluice::herder {
namespace {

constexpr char kWho[] = "herder";
constexpr absl::Duration kWriteTimeout = absl::Seconds(30);
constexpr absl::Duration kReadTimeout = absl::Seconds(60);

absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

// Keys treated as secret even when the plugin does not declare them: what Debezium and Kafka
// Connect users name their credentials.
bool LooksSecret(absl::string_view key) {
  const std::string lower = absl::AsciiStrToLower(key);
  return absl::EndsWith(lower, "password") || absl::EndsWith(lower, ".secret") ||
         absl::EndsWith(lower, "secret.key") || absl::EndsWith(lower, ".token");
}

// Every keyed record of a config or status topic, from the beginning to its current end, per key
// in the order written. A topic created moments ago may not have a leader yet: what librdkafka
// calls retriable (Unavailable) is retried until `timeout`, each attempt reading from the start.
absl::StatusOr<std::vector<kafka::KeyedRecord>> ReadAll(kafka::CompactedTopic& log,
                                                        absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    std::vector<kafka::KeyedRecord> records;
    absl::Status status = log.ReadToEnd(
        [&records](std::optional<absl::string_view> key, std::optional<absl::string_view> value) {
          if (!key) return;  // not one of ours: every config and status record has a key
          kafka::KeyedRecord& record = records.emplace_back();
          record.key = std::string(*key);
          if (value) record.value = std::string(*value);
        },
        deadline - absl::Now());
    if (status.ok()) return records;
    if (status.code() != absl::StatusCode::kUnavailable || absl::Now() >= deadline) return status;
    absl::SleepFor(absl::Milliseconds(200));
  }
}

}  // namespace

Herder::Herder(HerderOptions options, plugin::LogSink log)
    : options_(std::move(options)), scrubber_(std::make_shared<SecretScrubber>()) {
  std::shared_ptr<SecretScrubber> scrubber = scrubber_;
  log_ = [scrubber, log = std::move(log)](sluice_log_level level, std::string_view who,
                                          std::string_view message) {
    log(level, who, scrubber->Scrub(ToAbsl(message)));
  };
}

absl::StatusOr<std::unique_ptr<Herder>> Herder::Start(config::WorkerConfig config,
                                                      plugin::LogSink log, HerderOptions options) {
  std::unique_ptr<Herder> herder(new Herder(std::move(options), std::move(log)));
  const std::string bootstrap = config.bootstrap_servers;
  auto config_options =
      kafka::CompactedTopicOptions{bootstrap, config.config_storage.name,
                                   config.producer_overrides, config.consumer_overrides,
                                   "sluice-configs"};
  auto status_options =
      kafka::CompactedTopicOptions{bootstrap, config.status_storage.name,
                                   config.producer_overrides, config.consumer_overrides,
                                   "sluice-statuses"};
  absl::StatusOr<std::unique_ptr<worker::Worker>> worker =
      worker::Worker::Create(std::move(config), herder->log_);
  if (!worker.ok()) return worker.status();
  herder->worker_ = *std::move(worker);
  herder->worker_->SetReconfigurationHandler([h = herder.get()](const std::string& name) {
    h->Post([h, name] { h->ReconfigureTasks(name); });
  });
  absl::StatusOr<std::unique_ptr<kafka::CompactedTopic>> config_log =
      kafka::CompactedTopic::Create(config_options);
  if (!config_log.ok()) return config_log.status();
  herder->config_log_ = *std::move(config_log);
  absl::StatusOr<std::unique_ptr<kafka::CompactedTopic>> status_log =
      kafka::CompactedTopic::Create(status_options);
  if (!status_log.ok()) return status_log.status();
  herder->status_log_ = *std::move(status_log);
  // Restore before the thread starts: nothing else can reach the herder yet.
  if (absl::Status status = herder->Restore(); !status.ok()) return status;
  herder->thread_ = std::thread([h = herder.get()] { h->Run(); });
  return herder;
}

Herder::~Herder() {
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  if (worker_ != nullptr) worker_->StopAll();
}

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

// ---- restoring from the topics ----

absl::Status Herder::Restore() {
  absl::StatusOr<std::vector<kafka::KeyedRecord>> configs = ReadAll(*config_log_, kReadTimeout);
  if (!configs.ok()) return Prefixed(configs.status(), "reading the config topic: ");
  for (const kafka::KeyedRecord& record : *configs) configs_.Apply(record);
  absl::StatusOr<std::vector<kafka::KeyedRecord>> statuses = ReadAll(*status_log_, kReadTimeout);
  if (!statuses.ok()) return Prefixed(statuses.status(), "reading the status topic: ");
  for (const kafka::KeyedRecord& record : *statuses) {
    const StatusTopicKey key = ParseStatusTopicKey(record.key);
    if (key.kind != StatusTopicKey::Kind::kTopic) continue;
    if (record.value) {
      topics_[key.connector].insert(key.topic);
    } else {
      topics_[key.connector].erase(key.topic);
    }
  }
  for (const auto& [name, entry] : configs_.connectors()) {
    const TargetState target = configs_.target_state(name);
    log_(SLUICE_LOG_INFO, kWho,
         absl::StrCat("restoring connector ", name, " (", TargetStateName(target), ")"));
    if (absl::Status status = StartConnector(name, target); !status.ok()) {
      log_(SLUICE_LOG_ERROR, kWho, absl::StrCat("connector ", name, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

// ---- helpers (herder thread) ----

absl::Status Herder::WriteConfig(const std::vector<kafka::KeyedRecord>& records) {
  if (absl::Status status = config_log_->Write(records, kWriteTimeout); !status.ok()) {
    return absl::UnavailableError(absl::StrCat("writing the config topic: ", status.message()));
  }
  for (const kafka::KeyedRecord& record : records) configs_.Apply(record);
  return absl::OkStatus();
}

std::set<std::string> Herder::SecretKeys(const plugin::ConfigMap& config) const {
  std::set<std::string> keys;
  for (const auto& [k, v] : config) {
    if (LooksSecret(k)) keys.insert(k);
  }
  if (std::optional<std::string> cls = Lookup(config, "connector.class")) {
    if (auto plugin = worker_->plugins().Find(*cls)) {
      for (const plugin::ConfigDef& def : plugin->config_defs()) {
        if (def.secret || def.type == plugin::ConfigType::kPassword) keys.insert(def.name);
      }
    }
  }
  return keys;
}

absl::StatusOr<plugin::ConfigMap> Herder::PrepareConfig(const std::string& name,
                                                        plugin::ConfigMap config) {
  if (name.empty()) return absl::InvalidArgumentError("`name`: a connector needs a name");
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return absl::InvalidArgumentError(
          "`name`: control characters are not allowed in a connector name");
    }
  }
  if (std::optional<std::string> given = Lookup(config, "name")) {
    if (*given != name) {
      return absl::InvalidArgumentError(
          absl::StrCat("`name`: the config says `", *given, "` but the connector is `", name, "`"));
    }
  } else {
    config.insert(config.begin(), {"name", name});
  }
  std::shared_ptr<const plugin::Plugin> plugin;
  if (std::optional<std::string> cls = Lookup(config, "connector.class"))
    plugin = worker_->plugins().Find(*cls);
  ValidationResult checked =
      CheckConfig(plugin.get(), config, worker_->plugins(), SecretKeys(config));
  if (checked.error_count > 0) {
    std::vector<std::string> problems;
    for (const KeyValidation& key : checked.keys) {
      for (const std::string& error : key.errors)
        problems.push_back(absl::StrCat("`", key.name, "`: ", error));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("connector ", name, ": invalid config: ", absl::StrJoin(problems, "; ")));
  }
  return ProtectSecrets(name, config, SecretKeys(config), worker_->config().secrets_dir);
}

void Herder::Publish(const WatchEvent& event) {
  absl::MutexLock lock(&watchers_mu_);
  std::vector<std::weak_ptr<WatchSubscription>> alive;
  for (auto& weak : watchers_) {
    if (auto sub = weak.lock()) {
      sub->Push(event);
      alive.push_back(weak);
    }
  }
  watchers_ = std::move(alive);
}

void Herder::SetConnectorState(const std::string& name, State state, std::string trace) {
  StatusValue value{
      state, trace.empty() ? std::nullopt : std::optional<std::string>(scrubber_->Scrub(trace)),
      options_.worker_id, 0};
  auto it = connector_status_.find(name);
  if (it != connector_status_.end() && it->second.state == value.state &&
      it->second.trace == value.trace)
    return;
  connector_status_[name] = value;
  if (absl::Status s =
          status_log_->Write({{ConnectorStatusKey(name), EncodeStatus(value)}}, kWriteTimeout);
      !s.ok()) {
    log_(SLUICE_LOG_WARN, kWho,
         absl::StrCat("connector ", name, ": status not written: ", s.message()));
  }
  Publish({WatchEvent::Kind::kConnectorStatus, name, -1, state, value.trace.value_or(""),
           options_.worker_id});
}

void Herder::SetTaskState(const std::string& name, int task, State state, std::string trace) {
  StatusValue value{
      state, trace.empty() ? std::nullopt : std::optional<std::string>(scrubber_->Scrub(trace)),
      options_.worker_id, 0};
  auto& tasks = task_status_[name];
  auto it = tasks.find(task);
  if (it != tasks.end() && it->second.state == value.state && it->second.trace == value.trace)
    return;
  tasks[task] = value;
  if (absl::Status s =
          status_log_->Write({{TaskStatusKey(name, task), EncodeStatus(value)}}, kWriteTimeout);
      !s.ok()) {
    log_(SLUICE_LOG_WARN, kWho,
         absl::StrCat("task ", name, "-", task, ": status not written: ", s.message()));
  }
  Publish({WatchEvent::Kind::kTaskStatus, name, task, state, value.trace.value_or(""),
           options_.worker_id});
}

void Herder::RemoveStatuses(const std::string& name, bool connector_too) {
  std::vector<kafka::KeyedRecord> tombstones;
  for (const auto& [task, value] : task_status_[name])
    tombstones.push_back({TaskStatusKey(name, task), std::nullopt});
  task_status_.erase(name);
  if (connector_too) {
    tombstones.push_back({ConnectorStatusKey(name), std::nullopt});
    connector_status_.erase(name);
  }
  if (tombstones.empty()) return;
  if (absl::Status s = status_log_->Write(tombstones, kWriteTimeout); !s.ok()) {
    log_(SLUICE_LOG_WARN, kWho,
         absl::StrCat("connector ", name, ": statuses not removed: ", s.message()));
  }
}

absl::Status Herder::RequireConnector(const std::string& name) const {
  if (configs_.connectors().contains(name)) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("connector ", name, " not found"));
}

// Starts the connector per `target`: STARTED = connector and tasks, PAUSED = connector only (tasks
// reported PAUSED), STOPPED = nothing. Task configs the connector generates are written to the
// config topic when they differ from the committed ones.
absl::Status Herder::StartConnector(const std::string& name, TargetState target) {
  if (target == TargetState::kStopped) {
    SetConnectorState(name, State::kStopped);
    return absl::OkStatus();
  }
  const ConnectorEntry& entry = configs_.connectors().at(name);
  // The connector sees resolved values (it may need the credentials to check its source, as in
  // Kafka Connect); the task configs it generates are reverse-resolved before they are stored.
  absl::StatusOr<plugin::ConfigMap> resolved = ResolveConfig(entry.config);
  if (!resolved.ok()) {
    SetConnectorState(
        name, State::kFailed,
        absl::StrCat("resolving the connector's config: ", resolved.status().message()));
    return resolved.status();
  }
  RememberSecrets(entry.config, *resolved);
  absl::StatusOr<worker::ConnectorConfig> config = worker::ConnectorConfigFromMap(*resolved);
  if (!config.ok()) {
    SetConnectorState(name, State::kFailed, std::string(config.status().message()));
    return config.status();
  }
  if (!worker_->IsConnectorRunning(name)) {
    absl::StatusOr<std::vector<plugin::ConfigMap>> generated = worker_->StartConnectorOnly(*config);
    if (!generated.ok()) {
      SetConnectorState(name, State::kFailed, std::string(generated.status().message()));
      return generated.status();
    }
    *generated = ReverseResolve(entry.config, *resolved, *std::move(generated));
    if (entry.inconsistent || *generated != entry.tasks) {
      std::vector<kafka::KeyedRecord> records;
      for (size_t i = 0; i < generated->size(); ++i) {
        records.push_back(
            {TaskConfigKey(name, static_cast<int>(i)), EncodeProperties((*generated)[i])});
      }
      records.push_back({CommitKey(name), EncodeCommit(static_cast<int>(generated->size()))});
      if (absl::Status s = WriteConfig(records); !s.ok()) {
        StopInWorker(name);
        SetConnectorState(name, State::kFailed, std::string(s.message()));
        return s;
      }
    }
  }
  if (target == TargetState::kPaused) {
    NoteTopics(name);
    worker_->StopTasks(name);
    SetConnectorState(name, State::kPaused);
    const size_t n = configs_.connectors().at(name).tasks.size();
    for (size_t i = 0; i < n; ++i) SetTaskState(name, static_cast<int>(i), State::kPaused);
    return absl::OkStatus();
  }
  SetConnectorState(name, State::kRunning);
  return StartTasks(name, /*only_missing=*/true);
}

void Herder::ReconfigureTasks(const std::string& name) {
  if (!configs_.connectors().contains(name) ||
      configs_.target_state(name) != TargetState::kStarted || !worker_->IsConnectorRunning(name)) {
    return;  // a paused or stopped connector regenerates its task configs when it starts again
  }
  const ConnectorEntry& entry = configs_.connectors().at(name);
  absl::StatusOr<plugin::ConfigMap> resolved = ResolveConfig(entry.config);
  if (!resolved.ok()) return;
  absl::StatusOr<worker::ConnectorConfig> config = worker::ConnectorConfigFromMap(*resolved);
  if (!config.ok()) return;
  absl::StatusOr<std::vector<plugin::ConfigMap>> generated =
      worker_->RegenerateTaskConfigs(name, static_cast<size_t>(config->tasks_max));
  if (!generated.ok()) {
    SetConnectorState(name, State::kFailed,
                      absl::StrCat("reconfiguring its tasks: ", generated.status().message()));
    return;
  }
  *generated = ReverseResolve(entry.config, *resolved, *std::move(generated));
  if (*generated == entry.tasks) {
    log_(SLUICE_LOG_INFO, "herder",
         absl::StrCat("connector ", name, " asked for a task reconfiguration; its task configs "
                      "are unchanged"));
    return;
  }
  log_(SLUICE_LOG_INFO, "herder",
       absl::StrCat("connector ", name, " reconfigured its tasks: restarting ", generated->size(),
                    " task(s) with their new configs"));
  std::vector<kafka::KeyedRecord> records;
  for (size_t i = 0; i < generated->size(); ++i) {
    records.push_back({TaskConfigKey(name, static_cast<int>(i)), EncodeProperties((*generated)[i])});
  }
  records.push_back({CommitKey(name), EncodeCommit(static_cast<int>(generated->size()))});
  NoteTopics(name);
  worker_->StopTasks(name);
  if (absl::Status s = WriteConfig(records); !s.ok()) {
    SetConnectorState(name, State::kFailed, std::string(s.message()));
    return;
  }
  (void)StartTasks(name, /*only_missing=*/false);
}

absl::Status Herder::StartTasks(const std::string& name, bool only_missing) {
  const size_t n = configs_.connectors().at(name).tasks.size();
  for (size_t i = 0; i < n; ++i) {
    const int id = static_cast<int>(i);
    if (only_missing && worker_->Task(name, id) != nullptr &&
        worker_->Task(name, id)->state() == worker::TaskState::kRunning) {
      continue;
    }
    if (worker_->Task(name, id) != nullptr) {
      NoteTopics(name);
      (void)worker_->StopTask(name, id);
    }
    StartOneTask(name, id);
  }
  return absl::OkStatus();
}

void Herder::RememberSecrets(const plugin::ConfigMap& raw, const plugin::ConfigMap& resolved) {
  const std::set<std::string> secret_keys = SecretKeys(raw);
  for (size_t i = 0; i < resolved.size() && i < raw.size(); ++i) {
    if (secret_keys.contains(resolved[i].first) || HasReference(raw[i].second))
      scrubber_->Add(resolved[i].second);
  }
}

void Herder::StartOneTask(const std::string& name, int task) {
  const plugin::ConfigMap& stored = configs_.connectors().at(name).tasks.at(task);
  // References are resolved here and only here; the resolved values live in the task and in the
  // scrubber, never in the config topic.
  absl::StatusOr<plugin::ConfigMap> resolved = ResolveConfig(stored);
  if (!resolved.ok()) {
    SetTaskState(name, task, State::kFailed,
                 absl::StrCat("resolving the task's config: ", resolved.status().message()));
    return;
  }
  RememberSecrets(stored, *resolved);
  if (absl::Status s = worker_->StartTask(name, task, *resolved); !s.ok()) {
    SetTaskState(name, task, State::kFailed, std::string(s.message()));
    return;
  }
  SetTaskState(name, task, State::kRunning);
}

absl::Status Herder::StopConnectorEmptyingTasks(const std::string& name) {
  StopInWorker(name);
  // KIP-875: a stopped connector's task configs are emptied, so no worker runs its tasks.
  if (!configs_.connectors().at(name).tasks.empty() ||
      configs_.connectors().at(name).inconsistent) {
    if (absl::Status s = WriteConfig({{CommitKey(name), EncodeCommit(0)}}); !s.ok()) return s;
  }
  RemoveStatuses(name, /*connector_too=*/false);
  SetConnectorState(name, State::kStopped);
  return absl::OkStatus();
}

ConnectorStatusInfo Herder::StatusOf(const std::string& name) const {
  ConnectorStatusInfo out;
  out.name = name;
  if (auto it = connector_status_.find(name); it != connector_status_.end()) {
    out.state = it->second.state;
    out.trace = it->second.trace.value_or("");
    out.worker_id = it->second.worker_id;
  }
  if (auto it = task_status_.find(name); it != task_status_.end()) {
    for (const auto& [id, value] : it->second) {
      out.tasks.push_back({id, value.state, value.trace.value_or(""), value.worker_id});
      if (const worker::WorkerSourceTask* task = worker_->Task(name, id); task != nullptr) {
        out.tasks.back().progress = task->progress();
      }
    }
  }
  for (auto& [partition, offset] : worker_->offset_store().OffsetsFor(name)) {
    out.offsets.push_back({std::move(partition), std::move(offset)});
  }
  return out;
}

bool SnapshotRunning(const std::vector<PartitionOffset>& offsets) {
  for (const PartitionOffset& po : offsets) {
    if (!po.offset) continue;
    const offsets::OffsetValue* v = po.offset->Find("snapshot");
    if (v == nullptr) continue;
    if (const bool* b = std::get_if<bool>(v); b != nullptr && !*b) continue;
    if (const std::string* s = std::get_if<std::string>(v);
        s != nullptr && (*s == "false" || s->empty()))
      continue;
    if (std::holds_alternative<std::monostate>(*v)) continue;
    return true;
  }
  return false;
}

bool IsSnapshotting(const ConnectorStatusInfo& status) {
  for (const TaskStatusInfo& task : status.tasks) {
    if (task.progress && task.progress->phase == plugin::TaskPhase::kSnapshot) return true;
  }
  return SnapshotRunning(status.offsets);
}

ConnectorInfo Herder::InfoOf(const std::string& name) const {
  const ConnectorEntry& entry = configs_.connectors().at(name);
  ConnectorInfo info;
  info.name = name;
  info.config = MaskSecrets(entry.config, SecretKeys(entry.config));
  info.target_state = configs_.target_state(name);
  info.task_count = static_cast<int>(entry.tasks.size());
  info.status = StatusOf(name);
  return info;
}

// ---- the tick: failed tasks, new topics, metrics ----

void Herder::StopInWorker(const std::string& name) {
  NoteTopics(name);  // a task's topics are known only while it exists
  worker_->StopConnector(name);
}

void Herder::NoteTopics(const std::string& name) {
  std::vector<kafka::KeyedRecord> new_topics;
  for (const worker::WorkerSourceTask* task : worker_->Tasks(name)) {
    for (const std::string& topic : task->topics()) {
      if (topics_[name].insert(topic).second) {
        new_topics.push_back(
            {TopicStatusKey(topic, name),
             EncodeTopicStatus({topic, name, task->task_id(), absl::ToUnixMillis(absl::Now())})});
      }
    }
  }
  if (new_topics.empty()) return;
  if (absl::Status s = status_log_->Write(new_topics, kWriteTimeout); !s.ok()) {
    log_(SLUICE_LOG_WARN, kWho,
         absl::StrCat("connector ", name, ": active topics not written: ", s.message()));
  }
}

void Herder::Tick() {
  const absl::Time now = absl::Now();
  const bool sample = now - last_metrics_ >= options_.metrics_interval;
  for (const auto& [name, entry] : configs_.connectors()) {
    NoteTopics(name);
    for (size_t i = 0; i < entry.tasks.size(); ++i) {
      const int id = static_cast<int>(i);
      const worker::WorkerSourceTask* task = worker_->Task(name, id);
      if (task == nullptr) continue;
      if (task->state() == worker::TaskState::kFailed) {
        SetTaskState(name, id, State::kFailed, std::string(task->failure().message()));
      }
      if (sample) {
        Sample& last = samples_[{name, id}];
        const int64_t records = task->records_sent();
        WatchEvent event{
            WatchEvent::Kind::kTaskMetrics, name, id, State::kRunning, "", options_.worker_id};
        event.records_sent = records;
        event.in_flight_bytes = task->in_flight_bytes();
        event.progress = task->progress();
        if (last.at != absl::Time() && now > last.at && records >= last.records) {
          event.records_per_second =
              static_cast<double>(records - last.records) / absl::ToDoubleSeconds(now - last.at);
        }
        last = {records, now};
        Publish(event);
      }
    }
  }
  if (sample) {
    last_metrics_ = now;
    // Progress: a connector's committed offsets, published when they moved.
    for (const auto& [name, entry] : configs_.connectors()) {
      std::vector<PartitionOffset> offsets;
      for (auto& [partition, offset] : worker_->offset_store().OffsetsFor(name)) {
        offsets.push_back({std::move(partition), std::move(offset)});
      }
      std::vector<std::pair<offsets::SourcePartition, std::optional<offsets::SourceOffset>>> key;
      for (const PartitionOffset& po : offsets) key.emplace_back(po.partition, po.offset);
      auto& last = last_progress_[name];
      if (last == key) continue;
      last = std::move(key);
      WatchEvent event{
          WatchEvent::Kind::kConnectorProgress, name, -1, State::kRunning, "", options_.worker_id};
      event.offsets = std::move(offsets);
      Publish(event);
    }
  }
}

// ---- the operations ----

absl::StatusOr<ConnectorInfo> Herder::Create(const std::string& name, plugin::ConfigMap config,
                                             TargetState initial) {
  return Call<absl::StatusOr<ConnectorInfo>>([&]() -> absl::StatusOr<ConnectorInfo> {
    if (configs_.connectors().contains(name)) {
      return absl::AlreadyExistsError(absl::StrCat("connector ", name, " already exists"));
    }
    absl::StatusOr<plugin::ConfigMap> stored = PrepareConfig(name, std::move(config));
    if (!stored.ok()) return stored.status();
    // The target state goes first, so a reader never sees the connector without it.
    if (absl::Status s = WriteConfig({{TargetStateKey(name), EncodeTargetState(initial)},
                                      {ConnectorConfigKey(name), EncodeProperties(*stored)}});
        !s.ok()) {
      return s;
    }
    (void)StartConnector(name, initial);  // a failure is the connector's status, not the call's
    return InfoOf(name);
  });
}

absl::StatusOr<ConnectorInfo> Herder::Get(const std::string& name) {
  return Call<absl::StatusOr<ConnectorInfo>>([&]() -> absl::StatusOr<ConnectorInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    return InfoOf(name);
  });
}

std::vector<ConnectorInfo> Herder::List() {
  return Call<std::vector<ConnectorInfo>>([&] {
    std::vector<ConnectorInfo> out;
    for (const auto& [name, entry] : configs_.connectors()) out.push_back(InfoOf(name));
    return out;
  });
}

absl::StatusOr<ConnectorInfo> Herder::PutConfig(const std::string& name, plugin::ConfigMap config,
                                                bool* created) {
  return Call<absl::StatusOr<ConnectorInfo>>([&]() -> absl::StatusOr<ConnectorInfo> {
    const bool exists = configs_.connectors().contains(name);
    if (created != nullptr) *created = !exists;
    absl::StatusOr<plugin::ConfigMap> stored = PrepareConfig(name, std::move(config));
    if (!stored.ok()) return stored.status();
    std::vector<kafka::KeyedRecord> records;
    if (!exists)
      records.push_back({TargetStateKey(name), EncodeTargetState(TargetState::kStarted)});
    records.push_back({ConnectorConfigKey(name), EncodeProperties(*stored)});
    if (absl::Status s = WriteConfig(records); !s.ok()) return s;
    // A new config applies by restarting the connector (and its tasks) in its target state.
    StopInWorker(name);
    (void)StartConnector(name, configs_.target_state(name));
    return InfoOf(name);
  });
}

absl::StatusOr<ConnectorInfo> Herder::PatchConfig(const std::string& name,
                                                  const plugin::ConfigMap& set,
                                                  const std::vector<std::string>& remove) {
  absl::StatusOr<plugin::ConfigMap> merged =
      Call<absl::StatusOr<plugin::ConfigMap>>([&]() -> absl::StatusOr<plugin::ConfigMap> {
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        plugin::ConfigMap config = configs_.connectors().at(name).config;
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
    StopInWorker(name);
    if (absl::Status s = WriteConfig(
            {{ConnectorConfigKey(name), std::nullopt}, {TargetStateKey(name), std::nullopt}});
        !s.ok()) {
      return s;
    }
    RemoveStatuses(name, /*connector_too=*/true);
    Publish({WatchEvent::Kind::kConnectorDeleted, name, -1, State::kUnassigned, "",
             options_.worker_id});
    return absl::OkStatus();
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Pause(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (absl::Status s =
            WriteConfig({{TargetStateKey(name), EncodeTargetState(TargetState::kPaused)}});
        !s.ok()) {
      return s;
    }
    (void)StartConnector(name, TargetState::kPaused);
    return StatusOf(name);
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Resume(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (absl::Status s =
            WriteConfig({{TargetStateKey(name), EncodeTargetState(TargetState::kStarted)}});
        !s.ok()) {
      return s;
    }
    (void)StartConnector(name, TargetState::kStarted);
    return StatusOf(name);
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Stop(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (absl::Status s =
            WriteConfig({{TargetStateKey(name), EncodeTargetState(TargetState::kStopped)}});
        !s.ok()) {
      return s;
    }
    if (absl::Status s = StopConnectorEmptyingTasks(name); !s.ok()) return s;
    return StatusOf(name);
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Restart(const std::string& name, bool include_tasks,
                                                    bool only_failed) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    const TargetState target = configs_.target_state(name);
    if (target == TargetState::kStopped) {
      return absl::FailedPreconditionError(
          absl::StrCat("connector ", name, " is STOPPED; resume it to run it again"));
    }
    const ConnectorStatusInfo before = StatusOf(name);
    const bool connector_failed = before.state == State::kFailed;
    if (!only_failed || connector_failed) {
      // Restarting the connector regenerates its task configs, so its tasks restart with it.
      StopInWorker(name);
      SetConnectorState(name, State::kRestarting);
      (void)StartConnector(name, target);
      return StatusOf(name);
    }
    if (include_tasks && target == TargetState::kStarted) {
      for (const TaskStatusInfo& task : before.tasks) {
        if (task.state != State::kFailed) continue;
        NoteTopics(name);
        (void)worker_->StopTask(name, task.id);
        SetTaskState(name, task.id, State::kRestarting);
        StartOneTask(name, task.id);
      }
    }
    return StatusOf(name);
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::RestartTask(const std::string& name, int task) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (task < 0 || static_cast<size_t>(task) >= configs_.connectors().at(name).tasks.size()) {
      return absl::NotFoundError(absl::StrCat("task ", name, "-", task, " not found"));
    }
    if (configs_.target_state(name) != TargetState::kStarted) {
      return absl::FailedPreconditionError(
          absl::StrCat("connector ", name, " is ", TargetStateName(configs_.target_state(name)),
                       "; resume it before restarting a task"));
    }
    NoteTopics(name);
    (void)worker_->StopTask(name, task);
    SetTaskState(name, task, State::kRestarting);
    StartOneTask(name, task);
    return StatusOf(name);
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Status(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    return StatusOf(name);
  });
}

ValidationResult Herder::Validate(const plugin::ConfigMap& config) {
  return Call<ValidationResult>([&] {
    std::shared_ptr<const plugin::Plugin> plugin;
    if (std::optional<std::string> cls = Lookup(config, "connector.class"))
      plugin = worker_->plugins().Find(*cls);
    return CheckConfig(plugin.get(), config, worker_->plugins(), SecretKeys(config));
  });
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
    if (configs_.target_state(name) != TargetState::kStopped || worker_->IsConnectorRunning(name)) {
      return absl::FailedPreconditionError(
          absl::StrCat("connector ", name, " is ", TargetStateName(configs_.target_state(name)),
                       "; offsets may only be changed while it is STOPPED (stop it first)"));
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
  return AlterOffsets(name, *current);
}

absl::StatusOr<std::vector<std::string>> Herder::Topics(const std::string& name) {
  return Call<absl::StatusOr<std::vector<std::string>>>(
      [&]() -> absl::StatusOr<std::vector<std::string>> {
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        Tick();  // pick up topics first written since the last tick
        const auto it = topics_.find(name);
        if (it == topics_.end()) return std::vector<std::string>{};
        return std::vector<std::string>(it->second.begin(), it->second.end());
      });
}

absl::Status Herder::ResetTopics(const std::string& name) {
  return Call<absl::Status>([&]() -> absl::Status {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    std::vector<kafka::KeyedRecord> tombstones;
    for (const std::string& topic : topics_[name])
      tombstones.push_back({TopicStatusKey(topic, name), std::nullopt});
    if (tombstones.empty()) return absl::OkStatus();
    if (absl::Status s = status_log_->Write(tombstones, kWriteTimeout); !s.ok()) {
      return absl::UnavailableError(absl::StrCat("writing the status topic: ", s.message()));
    }
    topics_.erase(name);
    return absl::OkStatus();
  });
}

std::vector<std::shared_ptr<const plugin::Plugin>> Herder::Plugins() {
  return Call<std::vector<std::shared_ptr<const plugin::Plugin>>>(
      [&] { return worker_->plugins().List(); });
}

std::shared_ptr<WatchSubscription> Herder::Watch() {
  return Call<std::shared_ptr<WatchSubscription>>([&] {
    auto sub = std::make_shared<WatchSubscription>();
    for (const auto& [name, entry] : configs_.connectors()) {
      const ConnectorStatusInfo status = StatusOf(name);
      sub->Push({WatchEvent::Kind::kConnectorStatus, name, -1, status.state, status.trace,
                 status.worker_id});
      for (const TaskStatusInfo& task : status.tasks) {
        sub->Push(
            {WatchEvent::Kind::kTaskStatus, name, task.id, task.state, task.trace, task.worker_id});
      }
    }
    absl::MutexLock lock(&watchers_mu_);
    watchers_.push_back(sub);
    return sub;
  });
}

}  // namespace sluice::herder
