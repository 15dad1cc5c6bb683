// The connector's C ABI boundary (sluice/connector.h): the descriptor and the callbacks. C++
// inside, C outside: every callback catches everything, so no exception crosses into the host.

#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/offset.h"
#include "connectors/mysql/connector/source_task.h"
#include "sluice/connector.h"

namespace sluice::mysql {
namespace {

constexpr char kConnectorVersion[] = "0.1.0";
// Debezium's class names, so a Debezium config's connector.class needs no edit. The MariaDB one
// also selects MariaDB's flavour of the source fields (config.cc).
constexpr const char* kAliases[] = {"io.debezium.connector.mysql.MySqlConnector",
                                    "io.debezium.connector.mariadb.MariaDbConnector"};

struct ConnectorInstance {
  Host host;
  std::map<std::string, std::string> config;
};

struct TaskInstance {
  Host host;
  std::unique_ptr<SourceTask> task;
};

sluice_status Internal(const Host& host, const char* what) {
  return host.Fail(absl::InternalError(absl::StrCat("mysql connector: ", what)));
}

sluice_status ConnectorStart(const sluice_host_api* api, sluice_ctx* ctx,
                             const sluice_config_entry* config, size_t count, void** instance) {
  Host host(api, ctx);
  try {
    auto connector =
        std::make_unique<ConnectorInstance>(ConnectorInstance{host, ConfigMap(config, count)});
    absl::StatusOr<ConnectorConfig> parsed = ParseConnectorConfig(connector->config);
    if (!parsed.ok()) return host.Fail(parsed.status());
    // Once per start of the connector (not per task); the host's validate returns them too.
    for (const std::string& warning : parsed->warnings) host.Log(SLUICE_LOG_WARN, warning);
    *instance = connector.release();
    return SLUICE_OK;
  } catch (const std::exception& error) {
    return Internal(host, error.what());
  } catch (...) {
    return Internal(host, "unexpected exception in on_connector_start");
  }
}

sluice_status ConnectorTaskConfigs(void* instance, size_t max_tasks, sluice_task_configs* out) {
  auto* connector = static_cast<ConnectorInstance*>(instance);
  try {
    if (max_tasks == 0) return SLUICE_OK;
    // One binlog reader: always a single task, whatever tasks.max says.
    std::vector<sluice_config_entry> entries;
    for (const auto& [key, value] : connector->config) {
      entries.push_back(sluice_config_entry{Str(key), Str(value)});
    }
    return connector->host.api()->task_config_add(out, entries.data(), entries.size());
  } catch (...) {
    return Internal(connector->host, "unexpected exception in on_connector_task_configs");
  }
}

void ConnectorDestroy(void* instance) { delete static_cast<ConnectorInstance*>(instance); }

sluice_status TaskStart(const sluice_host_api* api, sluice_ctx* ctx,
                        const sluice_config_entry* config, size_t count, void** instance) {
  Host host(api, ctx);
  try {
    absl::StatusOr<ConnectorConfig> parsed = ParseConnectorConfig(ConfigMap(config, count));
    if (!parsed.ok()) return host.Fail(parsed.status());
    auto task = std::make_unique<TaskInstance>(
        TaskInstance{host, std::make_unique<SourceTask>(host, std::move(*parsed))});
    *instance = task.release();
    return SLUICE_OK;
  } catch (const std::exception& error) {
    return Internal(host, error.what());
  } catch (...) {
    return Internal(host, "unexpected exception in on_task_start");
  }
}

sluice_status TaskPoll(void* instance, sluice_batch* batch, int64_t timeout_ms) {
  auto* task = static_cast<TaskInstance*>(instance);
  try {
    absl::Status status = task->task->Poll(batch, timeout_ms);
    if (!status.ok()) return task->host.Fail(status);
    return SLUICE_OK;
  } catch (const std::bad_alloc&) {
    return task->host.Fail(absl::ResourceExhaustedError("mysql connector: out of memory"));
  } catch (const std::exception& error) {
    return Internal(task->host, error.what());
  } catch (...) {
    return Internal(task->host, "unexpected exception in on_task_poll");
  }
}

void TaskAcknowledged(void* instance, const sluice_ack_notice* notice) {
  try {
    static_cast<TaskInstance*>(instance)->task->Acknowledged(notice->source_offset,
                                                             notice->committed != 0);
  } catch (...) {
  }
}

void TaskStop(void* instance) { static_cast<TaskInstance*>(instance)->task->RequestStop(); }

void TaskDestroy(void* instance) {
  try {
    delete static_cast<TaskInstance*>(instance);
  } catch (...) {
  }
}

// on_offset_check (ABI 1.4): the partition and offset a user sets, checked with the parser the
// task reads its committed offset with.
sluice_status OffsetCheck(const sluice_host_api* api, sluice_ctx* ctx,
                          const sluice_config_entry* config, size_t count,
                          sluice_scalar_map partition, sluice_scalar_map offset) {
  Host host(api, ctx);
  try {
    const std::map<std::string, std::string> entries = ConfigMap(config, count);
    const auto prefix = entries.find("topic.prefix");
    absl::Status status = CheckUserOffset(prefix == entries.end() ? "" : prefix->second, partition,
                                          offset);
    if (!status.ok()) return host.Fail(status);
    return SLUICE_OK;
  } catch (...) {
    return Internal(host, "unexpected exception in on_offset_check");
  }
}

const sluice_connector_descriptor kDescriptor = {
    sizeof(sluice_connector_descriptor),
    SLUICE_ABI_MAJOR,
    SLUICE_ABI_MINOR,
    "mysql",
    kConnectorVersion,
    "MySQL/MariaDB change data capture: a consistent snapshot, then the binlog, as Debezium "
    "change events",
    SLUICE_CONNECTOR_SOURCE,
    nullptr,  // filled below: the table lives in config.cc
    0,
    ConnectorStart,
    ConnectorTaskConfigs,
    nullptr,
    ConnectorDestroy,
    TaskStart,
    TaskPoll,
    TaskAcknowledged,
    TaskStop,
    TaskDestroy,
    kAliases,
    sizeof kAliases / sizeof kAliases[0],
    OffsetCheck,
    // ABI 1.5 (exactly-once): a task restarted from a committed offset emits exactly the changes
    // after it (offset.h: the transaction's start plus event and row skip counts), and it marks
    // where each source transaction ends (binlog_source.cc).
    SLUICE_EXACTLY_ONCE_SUPPORTED,
    SLUICE_TRANSACTION_BOUNDARIES_SUPPORTED,
};

}  // namespace
}  // namespace sluice::mysql

extern "C" SLUICE_EXPORT const sluice_connector_descriptor* sluice_connector_entry(
    uint32_t host_abi_major, uint32_t /*host_abi_minor*/) {
  if (host_abi_major != SLUICE_ABI_MAJOR) return nullptr;
  static const sluice_connector_descriptor descriptor = [] {
    sluice_connector_descriptor d = sluice::mysql::kDescriptor;
    d.config_defs = sluice::mysql::ConfigDefs();
    d.config_def_count = sluice::mysql::ConfigDefCount();
    return d;
  }();
  return &descriptor;
}
