#include "tests/unit/herder/fake_worker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/plugin/config_validation.h"

namespace sluice::testing {

FakeWorker::FakeWorker(const std::string& generator_path) {
  absl::StatusOr<std::shared_ptr<const plugin::Plugin>> loaded = registry_.LoadFile(generator_path);
  if (!loaded.ok()) std::abort();  // the test binary is built with the generator's path
}

void FakeWorker::SetReconfigurationHandler(std::function<void(const std::string&)> handler) {
  absl::MutexLock lock(&mu_);
  on_reconfigure_ = std::move(handler);
}

std::vector<ConfigMap> FakeWorker::Generate(const worker::ConnectorConfig& connector,
                                                    size_t max) {
  const size_t n = std::min(max, generated_tasks_.value_or(max));
  std::vector<ConfigMap> configs;
  for (size_t i = 0; i < n; ++i) {
    ConfigMap config = connector.config;
    config.emplace_back("task.id", std::to_string(i));
    configs.push_back(std::move(config));
  }
  return configs;
}

absl::StatusOr<std::vector<ConfigMap>> FakeWorker::StartConnectorOnly(
    const worker::ConnectorConfig& connector) {
  absl::MutexLock lock(&mu_);
  if (auto it = running_.find(connector.name); it != running_.end() && it->second.instance) {
    return absl::AlreadyExistsError(absl::StrCat("connector ", connector.name, " is running"));
  }
  std::shared_ptr<const plugin::Plugin> plugin = registry_.Find(connector.connector_class);
  if (plugin == nullptr) return absl::NotFoundError("no such plugin");
  if (absl::Status s = plugin::ValidateConfig(connector.config, *plugin)
                           .ToStatus(absl::StrCat("connector ", connector.name));
      !s.ok()) {
    return s;
  }
  running_[connector.name].instance = true;
  started_with_[connector.name] = connector;
  events_.push_back("start connector " + connector.name);
  return Generate(connector, static_cast<size_t>(connector.tasks_max));
}

absl::Status FakeWorker::HostTasks(const worker::ConnectorConfig& connector) {
  absl::MutexLock lock(&mu_);
  if (running_.contains(connector.name)) return absl::OkStatus();
  if (registry_.Find(connector.connector_class) == nullptr) {
    return absl::NotFoundError("no such plugin");
  }
  running_[connector.name];
  started_with_[connector.name] = connector;
  return absl::OkStatus();
}

void FakeWorker::StopConnectorInstance(const std::string& connector) {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(connector);
  if (it == running_.end() || !it->second.instance) return;
  it->second.instance = false;
  events_.push_back("stop connector " + connector);
  if (it->second.tasks.empty()) running_.erase(it);
}

absl::StatusOr<std::vector<ConfigMap>> FakeWorker::RegenerateTaskConfigs(
    const std::string& name, size_t max_tasks) {
  absl::MutexLock lock(&mu_);
  if (!running_.contains(name)) return absl::NotFoundError("not running");
  return Generate(started_with_.at(name), max_tasks);
}

bool FakeWorker::IsConnectorRunning(const std::string& connector) const {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(connector);
  return it != running_.end() && it->second.instance;
}

absl::Status FakeWorker::StartTask(const std::string& connector, int task_id,
                                   const ConfigMap& task_config) {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(connector);
  if (it == running_.end()) return absl::FailedPreconditionError("connector not running");
  if (it->second.tasks.contains(task_id)) return absl::AlreadyExistsError("task running");
  it->second.tasks[task_id] = std::make_unique<FakeTask>(task_id, task_config);
  events_.push_back(absl::StrCat("start task ", connector, "-", task_id));
  return absl::OkStatus();
}

absl::Status FakeWorker::StopTaskLocked(const std::string& connector, int task_id) {
  auto it = running_.find(connector);
  if (it == running_.end()) return absl::OkStatus();
  auto task = it->second.tasks.find(task_id);
  if (task == it->second.tasks.end()) return absl::OkStatus();
  absl::Status how = task->second->failure();
  it->second.tasks.erase(task);
  events_.push_back(absl::StrCat("stop task ", connector, "-", task_id));
  if (!it->second.instance && it->second.tasks.empty()) running_.erase(it);
  return how;
}

absl::Status FakeWorker::FenceTaskProducers(const std::string& connector, int task_count) {
  absl::MutexLock lock(&mu_);
  events_.push_back(absl::StrCat("fence ", connector, " 0-", task_count - 1));
  return absl::OkStatus();
}

absl::Status FakeWorker::StopTask(const std::string& connector, int task_id) {
  absl::MutexLock lock(&mu_);
  return StopTaskLocked(connector, task_id);
}

void FakeWorker::StopTasks(const std::string& connector) {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(connector);
  if (it == running_.end()) return;
  std::vector<int> ids;
  for (const auto& [id, task] : it->second.tasks) ids.push_back(id);
  for (int id : ids) (void)StopTaskLocked(connector, id);
}

void FakeWorker::StopConnector(const std::string& connector) {
  StopTasks(connector);
  absl::MutexLock lock(&mu_);
  if (running_.erase(connector) > 0) events_.push_back("stop connector " + connector);
}

void FakeWorker::StopAll() {
  std::vector<std::string> names;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [name, running] : running_) names.push_back(name);
  }
  for (const std::string& name : names) StopConnector(name);
}

std::vector<const worker::TaskView*> FakeWorker::Tasks(const std::string& connector) const {
  absl::MutexLock lock(&mu_);
  std::vector<const worker::TaskView*> tasks;
  if (auto it = running_.find(connector); it != running_.end()) {
    for (const auto& [id, task] : it->second.tasks) tasks.push_back(task.get());
  }
  return tasks;
}

const worker::TaskView* FakeWorker::Task(const std::string& connector, int task_id) const {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(connector);
  if (it == running_.end()) return nullptr;
  auto task = it->second.tasks.find(task_id);
  return task == it->second.tasks.end() ? nullptr : task->second.get();
}

void FakeWorker::SetGeneratedTasks(std::optional<size_t> count) {
  absl::MutexLock lock(&mu_);
  generated_tasks_ = count;
}

void FakeWorker::RequestReconfiguration(const std::string& name) {
  std::function<void(const std::string&)> handler;
  {
    absl::MutexLock lock(&mu_);
    handler = on_reconfigure_;
  }
  if (handler) handler(name);
}

bool FakeWorker::FailTask(const std::string& connector, int task_id, absl::Status failure) {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(connector);
  if (it == running_.end() || !it->second.tasks.contains(task_id)) return false;
  it->second.tasks.at(task_id)->Fail(std::move(failure));
  return true;
}

bool FakeWorker::ProduceFrom(const std::string& connector, int task_id, const std::string& topic) {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(connector);
  if (it == running_.end() || !it->second.tasks.contains(task_id)) return false;
  it->second.tasks.at(task_id)->Produce(topic, 1);
  return true;
}

std::vector<int> FakeWorker::RunningTasks(const std::string& connector) const {
  absl::MutexLock lock(&mu_);
  std::vector<int> ids;
  if (auto it = running_.find(connector); it != running_.end()) {
    for (const auto& [id, task] : it->second.tasks) ids.push_back(id);
  }
  return ids;
}

std::optional<ConfigMap> FakeWorker::TaskConfig(const std::string& connector,
                                                        int task_id) const {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(connector);
  if (it == running_.end() || !it->second.tasks.contains(task_id)) return std::nullopt;
  return it->second.tasks.at(task_id)->config();
}

std::vector<std::string> FakeWorker::events() const {
  absl::MutexLock lock(&mu_);
  return events_;
}

void FakeWorker::ClearEvents() {
  absl::MutexLock lock(&mu_);
  events_.clear();
}

}  // namespace sluice::testing
