// The one place through which the host calls into a plugin.
//
// PluginCalls wraps a plugin's function table; every call goes through it, so every plugin failure
// becomes an absl::Status that names the connector (and task) and the operation, carrying the
// plugin's own code and message (HostContext::TakeError). ConnectorInstance and TaskInstance are
// the RAII owners of plugin instances built on it: their destructors run the plugin's destroy.
#ifndef SLUICE_RUNTIME_PLUGIN_PLUGIN_CALLS_H_
#define SLUICE_RUNTIME_PLUGIN_PLUGIN_CALLS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/data/record_batch.h"
#include "runtime/offsets/source_offset.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/host_context.h"
#include "runtime/plugin/plugin.h"

namespace sluice::plugin {

class PluginCalls {
 public:
  explicit PluginCalls(std::shared_ptr<const Plugin> plugin) : plugin_(std::move(plugin)) {}

  const Plugin& plugin() const { return *plugin_; }

  absl::StatusOr<void*> ConnectorStart(HostContext& ctx, const ConfigMap& config) const;
  absl::StatusOr<std::vector<ConfigMap>> ConnectorTaskConfigs(HostContext& ctx, void* instance,
                                                              size_t max_tasks) const;
  void ConnectorStop(void* instance) const;
  void ConnectorDestroy(void* instance) const;

  absl::StatusOr<void*> TaskStart(HostContext& ctx, const ConfigMap& config) const;
  absl::Status TaskPoll(HostContext& ctx, void* instance, data::RecordBatch& batch,
                        int64_t timeout_ms) const;
  void TaskAcknowledged(void* instance, const offsets::SourcePartition& partition,
                        const offsets::SourceOffset& offset, bool committed) const;
  void TaskStop(void* instance) const;
  void TaskDestroy(void* instance) const;

  // The plugin's on_offset_check (ABI 1.4) on an offset a user sets: OK when it accepts it or
  // has no such callback (built before 1.4, or NULL); its code and message when it refuses.
  absl::Status OffsetCheck(HostContext& ctx, const ConfigMap& config,
                           const offsets::SourcePartition& partition,
                           const offsets::SourceOffset& offset) const;

 private:
  std::shared_ptr<const Plugin> plugin_;  // keeps the library loaded while instances live
};

// Asks `plugin` whether connector `connector_name` (its stored `config`) accepts `offset` for
// `partition`, before the host writes it (PluginCalls::OffsetCheck). Any control thread.
absl::Status CheckOffset(std::shared_ptr<const Plugin> plugin, std::string connector_name,
                         const ConfigMap& config, const offsets::SourcePartition& partition,
                         const offsets::SourceOffset& offset, LogSink log);

// A running connector instance. Not thread-safe: one control thread uses it.
class ConnectorInstance {
 public:
  // Starts the connector `connector_name` of `plugin` with `config` (validate it first, see
  // config_validation.h). `on_reconfigure` runs, on any thread, when the plugin asks for its tasks
  // to be reconfigured.
  static absl::StatusOr<std::unique_ptr<ConnectorInstance>> Start(
      std::shared_ptr<const Plugin> plugin, std::string connector_name, const ConfigMap& config,
      LogSink log, std::function<void()> on_reconfigure = nullptr);

  ConnectorInstance(const ConnectorInstance&) = delete;
  ConnectorInstance& operator=(const ConnectorInstance&) = delete;
  // Runs the plugin's stop (if any) and destroy.
  ~ConnectorInstance();

  absl::StatusOr<std::vector<ConfigMap>> TaskConfigs(size_t max_tasks);

 private:
  ConnectorInstance(PluginCalls calls, std::unique_ptr<HostContext> ctx, void* instance)
      : calls_(std::move(calls)), ctx_(std::move(ctx)), instance_(instance) {}
  PluginCalls calls_;
  std::unique_ptr<HostContext> ctx_;
  void* instance_;
};

// A running task instance. Poll, Acknowledged and the destructor run on the task's thread; Stop
// may be called from any thread, also while Poll runs.
class TaskInstance {
 public:
  // Starts task `task_id` with its task config and the committed offsets the worker read for
  // this connector, one per partition (the task looks them up with api->offset_get).
  static absl::StatusOr<std::unique_ptr<TaskInstance>> Start(
      std::shared_ptr<const Plugin> plugin, std::string connector_name, int task_id,
      const ConfigMap& config,
      std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> committed_offsets,
      LogSink log);

  TaskInstance(const TaskInstance&) = delete;
  TaskInstance& operator=(const TaskInstance&) = delete;
  // Runs the plugin's destroy. The caller makes sure no Stop() runs concurrently (join the
  // threads that may call it first); Stop() after destruction is a use-after-free.
  ~TaskInstance();

  // Lets the plugin append records to `batch` (which the caller has Reset()). Fails when the
  // plugin fails (its code and message) or when it built an invalid record (InvalidArgument
  // naming the field); records in the batch must then be discarded.
  absl::Status Poll(data::RecordBatch& batch, int64_t timeout_ms);
  // Tells the plugin that `offset` of `partition` is acknowledged (`committed`: and written to
  // the offsets topic).
  void Acknowledged(const offsets::SourcePartition& partition, const offsets::SourceOffset& offset,
                    bool committed);
  void Stop();

  const std::string& who() const { return ctx_->who(); }
  // What the task last reported with api->task_progress_report; any thread.
  std::optional<TaskProgress> progress() const { return ctx_->progress(); }

 private:
  TaskInstance(PluginCalls calls, std::unique_ptr<HostContext> ctx, void* instance)
      : calls_(std::move(calls)), ctx_(std::move(ctx)), instance_(instance) {}
  PluginCalls calls_;
  std::unique_ptr<HostContext> ctx_;  // schemas live here: destroyed after the plugin's destroy
  void* instance_;
};

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_PLUGIN_CALLS_H_
