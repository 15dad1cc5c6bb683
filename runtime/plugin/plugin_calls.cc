#include "runtime/plugin/plugin_calls.h"

#include "runtime/common/string_view_compat.h"

namespace sluice::plugin {
namespace {

// The host's config as the ABI passes it: views into `config`, which outlives the call.
std::vector<sluice_config_entry> Entries(const ConfigMap& config) {
  std::vector<sluice_config_entry> entries;
  entries.reserve(config.size());
  for (const auto& [k, v] : config) {
    entries.push_back(sluice_config_entry{{k.data(), k.size()}, {v.data(), v.size()}});
  }
  return entries;
}

}  // namespace

// ---- PluginCalls: the only code that calls the descriptor's function pointers -------------

absl::StatusOr<void*> PluginCalls::ConnectorStart(HostContext& ctx, const ConfigMap& config) const {
  std::vector<sluice_config_entry> entries = Entries(config);
  void* instance = nullptr;
  sluice_status st = plugin_->descriptor().on_connector_start(HostApi(), ToC(&ctx), entries.data(),
                                                              entries.size(), &instance);
  if (st != SLUICE_OK) return ctx.TakeError(st, "start");
  return instance;
}

absl::StatusOr<std::vector<ConfigMap>> PluginCalls::ConnectorTaskConfigs(HostContext& ctx,
                                                                         void* instance,
                                                                         size_t max_tasks) const {
  TaskConfigCollector collector;
  collector.max_tasks = max_tasks;
  sluice_status st =
      plugin_->descriptor().on_connector_task_configs(instance, max_tasks, ToC(&collector));
  if (st != SLUICE_OK) return ctx.TakeError(st, "task configs");
  if (collector.configs.empty()) {
    return absl::FailedPreconditionError(
        StrCat(ctx.who(), ": task configs: the connector produced none"));
  }
  return std::move(collector.configs);
}

void PluginCalls::ConnectorStop(void* instance) const {
  if (plugin_->descriptor().on_connector_stop != nullptr) {
    plugin_->descriptor().on_connector_stop(instance);
  }
}

void PluginCalls::ConnectorDestroy(void* instance) const {
  plugin_->descriptor().on_connector_destroy(instance);
}

absl::StatusOr<void*> PluginCalls::TaskStart(HostContext& ctx, const ConfigMap& config) const {
  std::vector<sluice_config_entry> entries = Entries(config);
  void* instance = nullptr;
  sluice_status st = plugin_->descriptor().on_task_start(HostApi(), ToC(&ctx), entries.data(),
                                                         entries.size(), &instance);
  if (st != SLUICE_OK) return ctx.TakeError(st, "start");
  return instance;
}

absl::Status PluginCalls::TaskPoll(HostContext& ctx, void* instance, data::RecordBatch& batch,
                                   int64_t timeout_ms) const {
  sluice_status st = plugin_->descriptor().on_task_poll(instance, ToC(&batch), timeout_ms);
  if (st != SLUICE_OK) return ctx.TakeError(st, "poll");
  if (!batch.error().ok()) {
    // The plugin returned OK but a build call failed: its records cannot be trusted.
    return absl::InvalidArgumentError(
        StrCat(ctx.who(), ": poll built an invalid record: ", ToStd(batch.error().message())));
  }
  return absl::OkStatus();
}

void PluginCalls::TaskAcknowledged(void* instance, const offsets::SourcePartition& partition,
                                   const offsets::SourceOffset& offset, bool committed) const {
  if (plugin_->descriptor().on_task_acknowledged == nullptr) return;
  std::vector<sluice_scalar_entry> p = ScalarEntriesOf(partition.fields());
  std::vector<sluice_scalar_entry> o = ScalarEntriesOf(offset.fields());
  sluice_ack_notice notice{};
  notice.struct_size = sizeof(notice);
  notice.source_partition = sluice_scalar_map{p.data(), p.size()};
  notice.source_offset = sluice_scalar_map{o.data(), o.size()};
  notice.committed = committed ? 1 : 0;
  plugin_->descriptor().on_task_acknowledged(instance, &notice);
}

void PluginCalls::TaskStop(void* instance) const { plugin_->descriptor().on_task_stop(instance); }

void PluginCalls::TaskDestroy(void* instance) const {
  plugin_->descriptor().on_task_destroy(instance);
}

absl::Status PluginCalls::OffsetCheck(HostContext& ctx, const ConfigMap& config,
                                      const offsets::SourcePartition& partition,
                                      const offsets::SourceOffset& offset) const {
  const sluice_connector_descriptor& d = plugin_->descriptor();
  if (!SLUICE_HAS_MEMBER(&d, sluice_connector_descriptor, on_offset_check) ||
      d.on_offset_check == nullptr) {
    return absl::OkStatus();
  }
  std::vector<sluice_config_entry> entries = Entries(config);
  std::vector<sluice_scalar_entry> p = ScalarEntriesOf(partition.fields());
  std::vector<sluice_scalar_entry> o = ScalarEntriesOf(offset.fields());
  sluice_status st = d.on_offset_check(HostApi(), ToC(&ctx), entries.data(), entries.size(),
                                       sluice_scalar_map{p.data(), p.size()},
                                       sluice_scalar_map{o.data(), o.size()});
  if (st != SLUICE_OK) return ctx.TakeError(st, "offset check");
  return absl::OkStatus();
}

absl::Status CheckOffset(std::shared_ptr<const Plugin> plugin, std::string connector_name,
                         const ConfigMap& config, const offsets::SourcePartition& partition,
                         const offsets::SourceOffset& offset, LogSink log) {
  HostContext ctx(HostContext::Kind::kConnector, std::move(connector_name), -1, std::move(log));
  return PluginCalls(std::move(plugin)).OffsetCheck(ctx, config, partition, offset);
}

// ---- ConnectorInstance ------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<ConnectorInstance>> ConnectorInstance::Start(
    std::shared_ptr<const Plugin> plugin, std::string connector_name, const ConfigMap& config,
    LogSink log, std::function<void()> on_reconfigure) {
  PluginCalls calls(std::move(plugin));
  auto ctx = std::make_unique<HostContext>(HostContext::Kind::kConnector, std::move(connector_name),
                                           -1, std::move(log));
  ctx->set_reconfiguration_handler(std::move(on_reconfigure));
  absl::StatusOr<void*> instance = calls.ConnectorStart(*ctx, config);
  if (!instance.ok()) return instance.status();
  return std::unique_ptr<ConnectorInstance>(
      new ConnectorInstance(std::move(calls), std::move(ctx), *instance));
}

ConnectorInstance::~ConnectorInstance() {
  calls_.ConnectorStop(instance_);
  calls_.ConnectorDestroy(instance_);
}

absl::StatusOr<std::vector<ConfigMap>> ConnectorInstance::TaskConfigs(size_t max_tasks) {
  return calls_.ConnectorTaskConfigs(*ctx_, instance_, max_tasks);
}

// ---- TaskInstance -----------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<TaskInstance>> TaskInstance::Start(
    std::shared_ptr<const Plugin> plugin, std::string connector_name, int task_id,
    const ConfigMap& config,
    std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> committed_offsets,
    LogSink log) {
  PluginCalls calls(std::move(plugin));
  auto ctx = std::make_unique<HostContext>(HostContext::Kind::kTask, std::move(connector_name),
                                           task_id, std::move(log));
  ctx->SetCommittedOffsets(std::move(committed_offsets));
  absl::StatusOr<void*> instance = calls.TaskStart(*ctx, config);
  if (!instance.ok()) return instance.status();
  return std::unique_ptr<TaskInstance>(
      new TaskInstance(std::move(calls), std::move(ctx), *instance));
}

TaskInstance::~TaskInstance() { calls_.TaskDestroy(instance_); }

absl::Status TaskInstance::Poll(data::RecordBatch& batch, int64_t timeout_ms) {
  return calls_.TaskPoll(*ctx_, instance_, batch, timeout_ms);
}

void TaskInstance::Acknowledged(const offsets::SourcePartition& partition,
                                const offsets::SourceOffset& offset, bool committed) {
  calls_.TaskAcknowledged(instance_, partition, offset, committed);
}

void TaskInstance::Stop() { calls_.TaskStop(instance_); }

}  // namespace sluice::plugin
