// A worker (worker::WorkerControl) for the herder's unit tests: the real plugin registry holding
// the generator connector and the real validator, but connectors and tasks that are only
// bookkeeping, offsets in memory, and controls to fail a task, change how many task configs a
// connector generates and ask for a reconfiguration as a connector would.
//
// Threads: the herder thread drives it; the test thread reads it and uses the controls.
#ifndef SLUICE_TESTS_UNIT_HERDER_FAKE_WORKER_H_
#define SLUICE_TESTS_UNIT_HERDER_FAKE_WORKER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "runtime/worker/worker_control.h"
#include "tests/unit/worker/in_memory_offsets.h"

namespace sluice::testing {

class FakeTask : public worker::TaskView {
 public:
  FakeTask(int id, ConfigMap config) : id_(id), config_(std::move(config)) {}

  int task_id() const override { return id_; }
  worker::TaskState state() const override {
    absl::MutexLock lock(&mu_);
    return state_;
  }
  absl::Status failure() const override {
    absl::MutexLock lock(&mu_);
    return failure_;
  }
  int64_t records_sent() const override {
    absl::MutexLock lock(&mu_);
    return records_sent_;
  }
  int64_t in_flight_bytes() const override { return 0; }
  std::vector<std::string> topics() const override {
    absl::MutexLock lock(&mu_);
    return topics_;
  }
  std::optional<plugin::TaskProgress> progress() const override { return std::nullopt; }

  const ConfigMap& config() const { return config_; }
  void Fail(absl::Status failure) {
    absl::MutexLock lock(&mu_);
    state_ = worker::TaskState::kFailed;
    failure_ = std::move(failure);
  }
  void Produce(const std::string& topic, int64_t records) {
    absl::MutexLock lock(&mu_);
    if (std::find(topics_.begin(), topics_.end(), topic) == topics_.end()) topics_.push_back(topic);
    records_sent_ += records;
  }

 private:
  const int id_;
  const ConfigMap config_;
  mutable absl::Mutex mu_;
  worker::TaskState state_ ABSL_GUARDED_BY(mu_) = worker::TaskState::kRunning;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  int64_t records_sent_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> topics_ ABSL_GUARDED_BY(mu_);
};

class FakeWorker : public worker::WorkerControl {
 public:
  // Loads the generator connector from `generator_path` into the registry.
  explicit FakeWorker(const std::string& generator_path);

  const config::WorkerConfig& config() const override { return config_; }
  plugin::PluginRegistry& plugins() override { return registry_; }
  worker::OffsetBackingStore& offset_store() override { return offsets_; }
  const std::optional<std::string>& kafka_cluster_id() const override { return cluster_id_; }
  void SetReconfigurationHandler(std::function<void(const std::string&)> handler) override;
  absl::StatusOr<std::vector<ConfigMap>> StartConnectorOnly(
      const worker::ConnectorConfig& connector) override;
  absl::StatusOr<std::vector<ConfigMap>> RegenerateTaskConfigs(const std::string& name,
                                                                       size_t max_tasks) override;
  bool IsConnectorRunning(const std::string& connector) const override;
  absl::Status HostTasks(const worker::ConnectorConfig& connector) override;
  void StopConnectorInstance(const std::string& connector) override;
  absl::Status StartTask(const std::string& connector, int task_id,
                         const ConfigMap& task_config) override;
  // Records "fence gen 0-2" (the ids fenced) as an event.
  absl::Status FenceTaskProducers(const std::string& connector, int task_count) override;
  absl::Status StopTask(const std::string& connector, int task_id) override;
  void StopTasks(const std::string& connector) override;
  void StopConnector(const std::string& connector) override;
  void StopAll() override;
  std::vector<const worker::TaskView*> Tasks(const std::string& connector) const override;
  const worker::TaskView* Task(const std::string& connector, int task_id) const override;

  // Before the herder starts: the worker config it sees (exactly-once on, say).
  config::WorkerConfig& mutable_config() { return config_; }
  // Test controls; any thread.
  // How many task configs a connector generates (at most tasks.max); nullopt = tasks.max.
  void SetGeneratedTasks(std::optional<size_t> count);
  // Acts as connector `name` calling api->request_reconfiguration.
  void RequestReconfiguration(const std::string& name);
  // Marks a running task FAILED with `failure`; false when it does not run.
  bool FailTask(const std::string& connector, int task_id, absl::Status failure);
  bool ProduceFrom(const std::string& connector, int task_id, const std::string& topic);
  // The running tasks of `connector` (ids), and the config task `task_id` was started with.
  std::vector<int> RunningTasks(const std::string& connector) const;
  std::optional<ConfigMap> TaskConfig(const std::string& connector, int task_id) const;
  // "start connector gen", "start task gen-0", "stop task gen-0", "stop connector gen", in order.
  std::vector<std::string> events() const;
  void ClearEvents();
  InMemoryOffsets& offsets() { return offsets_; }

 private:
  struct Running {
    bool instance = false;  // false: hosted for its tasks only (HostTasks)
    std::map<int, std::unique_ptr<FakeTask>> tasks;
  };
  std::vector<ConfigMap> Generate(const worker::ConnectorConfig& connector, size_t max)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status StopTaskLocked(const std::string& connector, int task_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  config::WorkerConfig config_;
  plugin::PluginRegistry registry_;
  InMemoryOffsets offsets_;
  const std::optional<std::string> cluster_id_ = "fake-cluster-id";

  mutable absl::Mutex mu_;
  std::function<void(const std::string&)> on_reconfigure_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Running> running_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, worker::ConnectorConfig> started_with_ ABSL_GUARDED_BY(mu_);
  std::optional<size_t> generated_tasks_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> events_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_UNIT_HERDER_FAKE_WORKER_H_
