#include "runtime/worker/worker.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "plugin/config_validation.h"
#include "runtime/kafka/worker_clients.h"

namespace sluice::worker {
namespace {

constexpr char kWho[] = "worker";

}  // namespace

Worker::Worker(config::WorkerConfig config, plugin::LogSink log)
    : config_(std::move(config)), log_(std::move(log)) {}

Worker::~Worker() { StopAll(); }

absl::StatusOr<std::unique_ptr<Worker>> Worker::Create(config::WorkerConfig config,
                                                       plugin::LogSink log) {
  std::unique_ptr<Worker> worker(new Worker(std::move(config), std::move(log)));
  const config::WorkerConfig& c = worker->config_;

  absl::StatusOr<std::unique_ptr<kafka::TopicAdmin>> admin =
      kafka::TopicAdmin::Create(kafka::AdminOptionsFor(c));
  if (!admin.ok()) return admin.status();
  worker->admin_ = *std::move(admin);
  if (absl::Status status = worker->admin_->EnsureInternalTopics(c); !status.ok()) return status;
  worker->topic_creator_ = std::make_unique<kafka::DataTopicCreator>(
      worker->admin_.get(), c.topic_creation_enable, c.topic_creation_default_partitions,
      c.topic_creation_default_replication_factor);

  absl::StatusOr<std::unique_ptr<kafka::OffsetStore>> store =
      kafka::OffsetStore::Create(kafka::OffsetStoreOptionsFor(c));
  if (!store.ok()) return store.status();
  worker->offset_store_ = *std::move(store);
  if (absl::Status status = worker->offset_store_->ReadToEnd(absl::Seconds(60)); !status.ok()) {
    return status;
  }

  for (const std::string& dir : c.plugin_path) {
    for (const absl::Status& refusal : worker->registry_.LoadDirectory(dir)) {
      worker->log_(SLUICE_LOG_WARN, kWho, std::string(refusal.message()));
    }
  }
  for (const auto& plugin : worker->registry_.List()) {
    worker->log_(SLUICE_LOG_INFO, kWho,
                 absl::StrCat("plugin ", plugin->name(), " ", plugin->version(), " from ",
                              plugin->path()));
  }
  if (!c.plugin_path.empty()) {
    Worker* raw = worker.get();
    absl::StatusOr<std::unique_ptr<plugin::PluginWatcher>> watcher = plugin::PluginWatcher::Start(
        &worker->registry_, c.plugin_path,
        [raw](const absl::StatusOr<std::shared_ptr<const plugin::Plugin>>& loaded) {
          if (loaded.ok()) {
            raw->log_(SLUICE_LOG_INFO, kWho,
                      absl::StrCat("plugin ", (*loaded)->name(), " ", (*loaded)->version(),
                                   " added from ", (*loaded)->path()));
          } else {
            raw->log_(SLUICE_LOG_WARN, kWho, std::string(loaded.status().message()));
          }
        });
    if (!watcher.ok()) return watcher.status();
    worker->watcher_ = *std::move(watcher);
  }
  return worker;
}

absl::Status Worker::StartConnector(const ConnectorConfig& connector) {
  if (connectors_.contains(connector.name)) {
    return absl::AlreadyExistsError(absl::StrCat("connector ", connector.name, " is already running"));
  }
  std::shared_ptr<const plugin::Plugin> plugin = registry_.Find(connector.connector_class);
  if (plugin == nullptr) {
    std::vector<std::string> known;
    for (const auto& p : registry_.List()) known.push_back(p->name());
    return absl::NotFoundError(absl::StrCat(
        "connector ", connector.name, ": no plugin named '", connector.connector_class,
        "' in plugin.path (", absl::StrJoin(config_.plugin_path, ","), "); known: ",
        known.empty() ? "none" : absl::StrJoin(known, ", ")));
  }
  if (absl::Status status = plugin::ValidateConfig(*plugin, connector.config); !status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat("connector ", connector.name, ": ", status.message()));
  }
  absl::StatusOr<std::unique_ptr<plugin::ConnectorInstance>> instance =
      plugin::ConnectorInstance::Start(plugin, connector.name, connector.config, log_, [this, name = connector.name] {
        log_(SLUICE_LOG_INFO, kWho,
             absl::StrCat("connector ", name,
                          " asked for its tasks to be reconfigured; restart it to apply"));
      });
  if (!instance.ok()) return instance.status();
  absl::StatusOr<std::vector<plugin::ConfigMap>> task_configs =
      (*instance)->TaskConfigs(static_cast<size_t>(connector.tasks_max));
  if (!task_configs.ok()) return task_configs.status();

  // Each task starts from the offsets committed so far, possibly by another worker.
  if (absl::Status status = offset_store_->ReadToEnd(absl::Seconds(60)); !status.ok()) {
    return status;
  }
  RunningConnector running;
  running.instance = *std::move(instance);
  for (size_t i = 0; i < task_configs->size(); ++i) {
    SourceTaskSpec spec{connector.name, static_cast<int>(i), plugin, (*task_configs)[i]};
    absl::StatusOr<std::unique_ptr<WorkerSourceTask>> task = WorkerSourceTask::Start(
        std::move(spec), {&config_, offset_store_.get(), topic_creator_.get(), log_});
    if (!task.ok()) {
      for (auto& started : running.tasks) started->Stop();
      return task.status();
    }
    running.tasks.push_back(*std::move(task));
  }
  log_(SLUICE_LOG_INFO, kWho,
       absl::StrCat("connector ", connector.name, " started with ", running.tasks.size(),
                    " task(s)"));
  connectors_.emplace(connector.name, std::move(running));
  return absl::OkStatus();
}

void Worker::StopAll() {
  // Signal every task first, so they flush and commit in parallel, then wait for each.
  for (auto& [name, connector] : connectors_) {
    for (auto& task : connector.tasks) task->Stop();
  }
  for (auto& [name, connector] : connectors_) {
    for (auto& task : connector.tasks) {
      absl::Status status = task->Join();
      log_(status.ok() ? SLUICE_LOG_INFO : SLUICE_LOG_ERROR, task->who(),
           status.ok() ? absl::StrCat("stopped after sending ", task->records_sent(), " records")
                       : absl::StrCat("ended FAILED: ", status.message()));
    }
    connector.tasks.clear();
    connector.instance.reset();
  }
  connectors_.clear();
  watcher_.reset();
}

std::vector<const WorkerSourceTask*> Worker::Tasks(const std::string& connector) const {
  std::vector<const WorkerSourceTask*> tasks;
  if (auto it = connectors_.find(connector); it != connectors_.end()) {
    for (const auto& task : it->second.tasks) tasks.push_back(task.get());
  }
  return tasks;
}

}  // namespace sluice::worker
