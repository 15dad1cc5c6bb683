#include "runtime/worker/worker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/config/client_overrides.h"
#include "runtime/worker/connector_check.h"
#include "runtime/kafka/worker_clients.h"
#include "runtime/plugin/config_validation.h"
#include "runtime/transform/transform_chain.h"
#include "runtime/worker/cluster_wait.h"
#include "runtime/worker/bench_switches.h"
#include "runtime/worker/topic_creation.h"
#include "runtime/worker/zombie_fencing.h"

namespace sluice::worker {
namespace {

constexpr char kWho[] = "worker";

}  // namespace

Worker::Worker(config::WorkerConfig config, LogSink log)
    : config_(std::move(config)), log_(std::move(log)) {
  registry_.SetLogSink(log_);  // transform plugins' lines (api->log) go where the worker's do
}

Worker::~Worker() { StopAll(); }

absl::StatusOr<std::unique_ptr<Worker>> Worker::Create(config::WorkerConfig config, LogSink log) {
  std::unique_ptr<Worker> worker(new Worker(std::move(config), std::move(log)));
  const config::WorkerConfig& c = worker->config_;
  WarnIfBenchSwitchesSet(worker->log_);

  absl::StatusOr<std::unique_ptr<kafka::TopicAdmin>> admin =
      kafka::TopicAdmin::Create(kafka::AdminOptionsFor(c));
  if (!admin.ok()) return admin.status();
  worker->admin_ = *std::move(admin);
  kafka::TopicAdmin* topic_admin = worker->admin_.get();
  if (absl::Status status = WaitForCluster(
          [topic_admin](absl::Duration timeout) { return topic_admin->Ping(timeout); }, c,
          worker->log_);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = worker->admin_->EnsureInternalTopics(c); !status.ok()) return status;
  // The cluster answered just now, so its id comes at once; without one GET / says null.
  if (absl::StatusOr<std::string> id = worker->admin_->ClusterId(absl::Seconds(10)); id.ok()) {
    worker->cluster_id_ = *std::move(id);
  } else {
    worker->log_(LogLevel::kWarn, kWho, absl::StrCat("no Kafka cluster id: ", id.status().message()));
  }
  worker->topic_creator_ = std::make_unique<kafka::DataTopicCreator>(
      worker->admin_.get(), c.topic_creation_enable, c.topic_creation_default_partitions,
      c.topic_creation_default_replication_factor);

  absl::StatusOr<std::unique_ptr<kafka::OffsetStore>> store =
      kafka::OffsetStore::Create(kafka::OffsetStoreOptionsFor(c));
  if (!store.ok()) return store.status();
  worker->offset_store_ = std::make_unique<KafkaOffsetBackingStore>(*std::move(store));
  if (absl::Status status = worker->offset_store_->ReadToEnd(absl::Seconds(60)); !status.ok()) {
    return status;
  }

  // The watcher first: a plugin that lands during the scan is then seen by one or the other
  // (plugin_watcher.h).
  if (!c.plugin_path.empty()) {
    Worker* raw = worker.get();
    absl::StatusOr<std::unique_ptr<plugin::PluginWatcher>> watcher = plugin::PluginWatcher::Start(
        &worker->registry_, c.plugin_path,
        [raw](const absl::StatusOr<std::shared_ptr<const plugin::Plugin>>& loaded) {
          if (loaded.ok()) {
            raw->log_(LogLevel::kInfo, kWho,
                      absl::StrCat("plugin ", (*loaded)->name(), " ", (*loaded)->version(),
                                   " added from ", (*loaded)->path()));
          } else {
            raw->log_(LogLevel::kWarn, kWho, std::string(loaded.status().message()));
          }
        });
    if (!watcher.ok()) return watcher.status();
    worker->watcher_ = *std::move(watcher);
  }
  for (const std::string& dir : c.plugin_path) {
    for (const absl::Status& refusal : worker->registry_.LoadDirectory(dir)) {
      worker->log_(LogLevel::kWarn, kWho, std::string(refusal.message()));
    }
  }
  for (const auto& plugin : worker->registry_.List()) {
    worker->log_(
        LogLevel::kInfo, kWho,
        absl::StrCat("plugin ", plugin->name(), " ", plugin->version(), " from ", plugin->path()));
  }
  return worker;
}

absl::StatusOr<Worker::RunningConnector> Worker::PrepareConnector(
    const ConnectorConfig& connector, std::shared_ptr<const plugin::Plugin>* plugin_out) {
  std::shared_ptr<const plugin::Plugin> plugin = registry_.Find(connector.connector_class);
  if (plugin == nullptr) {
    std::vector<std::string> known;
    for (const auto& p : registry_.List()) known.push_back(p->name());
    return absl::NotFoundError(
        absl::StrCat("connector ", connector.name, ": no plugin named '", connector.connector_class,
                     "' in plugin.path (", absl::StrJoin(config_.plugin_path, ","),
                     "); known: ", known.empty() ? "none" : absl::StrJoin(known, ", ")));
  }
  // A stored config is checked again, by the same check as validate and create: the worker's
  // rules (override policy, converters) may be stricter than those it was stored under. Its
  // warnings are logged here, once per start; the connector logs its own when it starts.
  plugin::ConfigValidation verdict = CheckConnectorConfig(connector.config, registry_, config_,
                                                          nullptr, /*trial_start=*/false);
  if (absl::Status status = verdict.ToStatus(absl::StrCat("connector ", connector.name));
      !status.ok()) {
    return status;
  }
  for (const std::string& warning : verdict.Warnings()) {
    log_(LogLevel::kWarn, kWho, absl::StrCat("connector ", connector.name, ": ", warning));
  }
  absl::StatusOr<ConnectorConverters> converters = ConvertersFor(connector.config, config_);
  if (!converters.ok()) return converters.status();
  RunningConnector running;
  running.converters = *std::move(converters);
  running.plugin = plugin;
  running.producer_overrides = config::ProducerOverrides(connector.config);
  running.retry = {connector.errors_retry_timeout, connector.errors_retry_delay_max};
  running.config = connector.config;
  {
    // Checked above (CheckConnectorConfig): no errors here.
    KeyErrors errors, warnings;
    if (std::optional<TopicCreationRules> rules = TopicCreationRules::From(
            connector.config, config_.topic_creation_enable, &errors, &warnings)) {
      running.topic_creator = std::make_unique<ConnectorTopicCreator>(admin_.get(), *std::move(rules));
    }
  }
  running.exactly_once = connector.exactly_once;
  if (const std::string& topic = connector.exactly_once.offsets_topic;
      !topic.empty() && topic != config_.offset_storage.name) {
    absl::StatusOr<OffsetBackingStore*> own = OwnOffsetStore(topic);
    if (!own.ok()) {
      return absl::Status(own.status().code(),
                          absl::StrCat("connector ", connector.name, ": offsets.storage.topic `",
                                       topic, "`: ", own.status().message()));
    }
    running.offset_store =
        std::make_unique<ConnectorOffsetBackingStore>(*own, offset_store_.get());
  }
  if (plugin_out != nullptr) *plugin_out = std::move(plugin);
  return running;
}

absl::StatusOr<std::vector<ConfigMap>> Worker::StartConnectorOnly(
    const ConnectorConfig& connector) {
  auto hosted = connectors_.find(connector.name);
  if (hosted != connectors_.end() && hosted->second.instance != nullptr) {
    return absl::AlreadyExistsError(
        absl::StrCat("connector ", connector.name, " is already running"));
  }
  std::shared_ptr<const plugin::Plugin> plugin;
  absl::StatusOr<RunningConnector> prepared = PrepareConnector(connector, &plugin);
  if (!prepared.ok()) return prepared.status();
  absl::StatusOr<std::unique_ptr<plugin::ConnectorInstance>> instance =
      plugin::ConnectorInstance::Start(
          plugin, connector.name, connector.config, log_, [this, name = connector.name] {
            if (on_reconfigure_) {
              on_reconfigure_(name);
              return;
            }
            log_(LogLevel::kInfo, kWho,
                 absl::StrCat("connector ", name,
                              " asked for its tasks to be reconfigured; restart it to apply"));
          });
  if (!instance.ok()) return instance.status();
  absl::StatusOr<std::vector<ConfigMap>> task_configs =
      (*instance)->TaskConfigs(static_cast<size_t>(connector.tasks_max));
  if (!task_configs.ok()) return task_configs.status();
  if (task_configs->size() < static_cast<size_t>(connector.tasks_max)) {
    log_(LogLevel::kWarn, kWho,
         absl::StrCat("connector ", connector.name, ": `tasks.max` ",
                      TasksMaxWarning(plugin->name(), connector.tasks_max, task_configs->size())));
  }
  if (hosted != connectors_.end()) {
    // Its tasks already run here (a cluster gave them to this worker first): they keep the
    // settings they started with, which came from the same config.
    hosted->second.instance = *std::move(instance);
  } else {
    prepared->instance = *std::move(instance);
    connectors_.emplace(connector.name, *std::move(prepared));
  }
  return task_configs;
}

absl::Status Worker::HostTasks(const ConnectorConfig& connector) {
  if (connectors_.contains(connector.name)) return absl::OkStatus();
  absl::StatusOr<RunningConnector> prepared = PrepareConnector(connector, nullptr);
  if (!prepared.ok()) return prepared.status();
  connectors_.emplace(connector.name, *std::move(prepared));
  return absl::OkStatus();
}

void Worker::StopConnectorInstance(const std::string& connector) {
  auto it = connectors_.find(connector);
  if (it == connectors_.end()) return;
  it->second.instance.reset();
  if (it->second.tasks.empty()) connectors_.erase(it);
}

absl::StatusOr<OffsetBackingStore*> Worker::OwnOffsetStore(const std::string& topic) {
  if (auto it = offset_stores_.find(topic); it != offset_stores_.end()) return it->second.get();
  // Partitions and replication as the worker's offsets topic.
  config::InternalTopicSettings settings = config_.offset_storage;
  settings.name = topic;
  if (absl::Status status = admin_->EnsureCompacted(settings, "offsets.storage.topic");
      !status.ok()) {
    return status;
  }
  kafka::OffsetStoreOptions options = kafka::OffsetStoreOptionsFor(config_);
  options.topic = topic;
  absl::StatusOr<std::unique_ptr<kafka::OffsetStore>> store = kafka::OffsetStore::Create(options);
  if (!store.ok()) return store.status();
  std::unique_ptr<OffsetBackingStore> backing =
      std::make_unique<KafkaOffsetBackingStore>(*std::move(store));
  if (absl::Status status = backing->ReadToEnd(absl::Seconds(60)); !status.ok()) return status;
  // A cluster worker's lease fences a connector's own topic as it fences the worker's (Fence).
  if (fence_) backing = std::make_unique<FencedOffsetBackingStore>(std::move(backing), fence_);
  OffsetBackingStore* raw = backing.get();
  offset_stores_.emplace(topic, std::move(backing));
  return raw;
}

absl::StatusOr<std::vector<ConfigMap>> Worker::RegenerateTaskConfigs(const std::string& name,
                                                                     size_t max_tasks) {
  auto it = connectors_.find(name);
  if (it == connectors_.end() || it->second.instance == nullptr) {
    return absl::NotFoundError(absl::StrCat("connector ", name, " is not running"));
  }
  return it->second.instance->TaskConfigs(max_tasks);
}

absl::Status Worker::StartTask(const std::string& connector, int task_id,
                               const ConfigMap& task_config) {
  auto it = connectors_.find(connector);
  if (it == connectors_.end()) {
    return absl::FailedPreconditionError(absl::StrCat("connector ", connector, " is not running"));
  }
  if (it->second.tasks.contains(task_id)) {
    return absl::AlreadyExistsError(
        absl::StrCat("task ", connector, "-", task_id, " is already running"));
  }
  // Each task starts from the offsets committed so far, possibly by another worker or an alter.
  // A transient failure (the broker down) is the task's to retry (WorkerSourceTask::Start).
  OffsetBackingStore* offsets =
      it->second.offset_store != nullptr ? it->second.offset_store.get() : offset_store_.get();
  absl::Status offsets_read = offsets->ReadToEnd(absl::Seconds(60));
  if (!offsets_read.ok() && !IsTransientTaskFailure(offsets_read)) return offsets_read;
  // One producer per attempt: a task restarted after a transient failure gets a new one. The
  // connector's `producer.override.*`, as the worker's policy let them through, win over the
  // worker's `producer.*`.
  kafka::ProducerOptions producer_options =
      kafka::ProducerOptionsFor(config_, absl::StrCat("sluice-", connector, "-", task_id));
  for (const auto& [key, value] : it->second.producer_overrides) {
    producer_options.overrides[key] = value;
  }
  std::optional<TaskTransactions> transactions;
  if (config_.exactly_once_source_support == config::ExactlyOnceSourceSupport::kEnabled) {
    // Exactly-once: Kafka Connect's transactional id, so this task fences its predecessor
    // wherever that one ran.
    const ExactlyOnceConfig& eos = it->second.exactly_once;
    producer_options.transactional_id = TaskTransactionalId(config_.group_id, connector, task_id);
    const absl::Duration interval = eos.boundary_interval.value_or(config_.offset_flush_interval);
    if (eos.boundary == TransactionBoundary::kInterval &&
        !producer_options.overrides.contains("transaction.timeout.ms")) {
      // A transaction stays open about one interval: the broker must not abort it first
      // (librdkafka's default is 60 s, the same as offset.flush.interval.ms's). Twice the interval,
      // at least 60 s, at most the broker's default transaction.max.timeout.ms (15 min).
      producer_options.overrides["transaction.timeout.ms"] = absl::StrCat(absl::ToInt64Milliseconds(
          std::clamp(2 * interval, absl::Seconds(60), absl::Minutes(15))));
    }
    transactions = TaskTransactions{
        eos.boundary, interval,
        eos.offsets_topic.empty() ? config_.offset_storage.name : eos.offsets_topic,
        config_.producer_max_block};
  }
  RecordSenderFactory producers =
      [options = std::move(producer_options), connector,
       overridden = !it->second.producer_overrides.empty()]()
      -> absl::StatusOr<std::unique_ptr<kafka::RecordSender>> {
    absl::StatusOr<std::unique_ptr<kafka::Producer>> producer = kafka::Producer::Create(options);
    if (!producer.ok() && overridden) {
      return absl::Status(producer.status().code(),
                          absl::StrCat("connector ", connector,
                                       ": its producer.override.* settings are applied over the "
                                       "worker's producer.* ones: ",
                                       producer.status().message()));
    }
    if (!producer.ok()) return producer.status();
    return std::unique_ptr<kafka::RecordSender>(*std::move(producer));
  };
  SourceTaskSpec spec{connector,         task_id,          it->second.plugin,    task_config,
                      it->second.retry, it->second.config, it->second.converters,
                      std::move(transactions)};
  absl::StatusOr<std::unique_ptr<WorkerSourceTask>> task = WorkerSourceTask::Start(
      std::move(spec),
      {&config_, offsets,
       it->second.topic_creator != nullptr ? it->second.topic_creator.get() : topic_creator_.get(),
       log_, fence_},
      std::move(producers), std::move(offsets_read));
  if (!task.ok()) return task.status();
  it->second.tasks.emplace(task_id, *std::move(task));
  return absl::OkStatus();
}

absl::Status Worker::FenceTaskProducers(const std::string& connector, int task_count) {
  return worker::FenceTaskProducers(config_, connector, task_count, config_.producer_max_block);
}

absl::Status Worker::StopTask(const std::string& connector, int task_id) {
  auto it = connectors_.find(connector);
  if (it == connectors_.end()) return absl::OkStatus();
  auto task = it->second.tasks.find(task_id);
  if (task == it->second.tasks.end()) return absl::OkStatus();
  task->second->Stop();
  absl::Status status = task->second->Join();
  if (!status.ok()) status = task->second->failure();
  it->second.tasks.erase(task);
  // A connector hosted only for its tasks (HostTasks) goes with its last one.
  if (it->second.instance == nullptr && it->second.tasks.empty()) connectors_.erase(it);
  return status;
}

void Worker::StopTasks(const std::string& connector) {
  auto it = connectors_.find(connector);
  if (it == connectors_.end()) return;
  for (auto& [id, task] : it->second.tasks) task->Stop();
  for (auto& [id, task] : it->second.tasks) {
    absl::Status status = task->Join();
    log_(status.ok() ? LogLevel::kInfo : LogLevel::kError, task->who(),
         status.ok() ? absl::StrCat("stopped after sending ", task->records_sent(), " records")
                     : absl::StrCat("ended FAILED: ", status.message()));
  }
  it->second.tasks.clear();
  if (it->second.instance == nullptr) connectors_.erase(it);  // hosted only for its tasks
}

void Worker::StopConnector(const std::string& connector) {
  StopTasks(connector);
  connectors_.erase(connector);
}

bool Worker::IsConnectorRunning(const std::string& connector) const {
  auto it = connectors_.find(connector);
  return it != connectors_.end() && it->second.instance != nullptr;
}

absl::Status Worker::StartConnector(const ConnectorConfig& connector) {
  absl::StatusOr<std::vector<ConfigMap>> task_configs = StartConnectorOnly(connector);
  if (!task_configs.ok()) return task_configs.status();
  for (size_t i = 0; i < task_configs->size(); ++i) {
    if (absl::Status status = StartTask(connector.name, static_cast<int>(i), (*task_configs)[i]);
        !status.ok()) {
      StopConnector(connector.name);
      return status;
    }
  }
  log_(LogLevel::kInfo, kWho,
       absl::StrCat("connector ", connector.name, " started with ", task_configs->size(),
                    " task(s)"));
  return absl::OkStatus();
}

void Worker::StopAll() {
  // Signal every task first, so they flush and commit in parallel, then wait for each.
  for (auto& [name, connector] : connectors_) {
    for (auto& [id, task] : connector.tasks) task->Stop();
  }
  std::vector<std::string> names;
  for (auto& [name, connector] : connectors_) names.push_back(name);
  for (const std::string& name : names) StopConnector(name);
  watcher_.reset();
}

std::vector<const TaskView*> Worker::Tasks(const std::string& connector) const {
  std::vector<const TaskView*> tasks;
  if (auto it = connectors_.find(connector); it != connectors_.end()) {
    for (const auto& [id, task] : it->second.tasks) tasks.push_back(task.get());
  }
  return tasks;
}

const TaskView* Worker::Task(const std::string& connector, int task_id) const {
  auto it = connectors_.find(connector);
  if (it == connectors_.end()) return nullptr;
  auto task = it->second.tasks.find(task_id);
  return task == it->second.tasks.end() ? nullptr : task->second.get();
}

}  // namespace sluice::worker
