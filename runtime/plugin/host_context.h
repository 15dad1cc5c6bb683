// The host's side of one connector instance or one task instance: what `sluice_ctx*` points to.
//
// It carries what host functions need about their caller: who it is (for log lines and errors),
// the error the plugin set for the callback now returning, the reconfiguration handler (connector),
// the committed offsets read at start, the schemas the task built and its latest progress report
// (task).
//
// Thread-safety: Log, RequestReconfiguration, SetError, ReportProgress and progress() may be called
// from any thread (the ABI allows plugin threads to log and report); the rest only on the thread
// running the instance's callbacks.
#ifndef SLUICE_RUNTIME_PLUGIN_HOST_CONTEXT_H_
#define SLUICE_RUNTIME_PLUGIN_HOST_CONTEXT_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/common/log.h"
#include "runtime/data/schema.h"
#include "runtime/offsets/source_offset.h"
#include "runtime/plugin/task_progress.h"
#include "sluice/connector.h"

namespace sluice::plugin {

class HostContext {
 public:
  enum class Kind { kConnector, kTask };

  // `task_id` is -1 for a connector context.
  HostContext(Kind kind, std::string connector_name, int task_id, LogSink log);
  HostContext(const HostContext&) = delete;
  HostContext& operator=(const HostContext&) = delete;

  Kind kind() const { return kind_; }
  // "connector `orders`" or "connector `orders` task 2".
  const std::string& who() const { return who_; }

  void Log(LogLevel level, std::string_view message) const;

  // The error slot the plugin fills with api->set_error before failing a callback.
  void SetError(sluice_status code, std::string_view message);
  // Turns the status a callback returned into an absl::Status naming the instance and
  // `operation`, with the message the plugin set (or a note that it set none). Clears the slot.
  absl::Status TakeError(sluice_status returned, std::string_view operation);

  // Connector contexts: what api->request_reconfiguration triggers.
  void set_reconfiguration_handler(std::function<void()> handler) {
    on_reconfigure_ = std::move(handler);
  }
  sluice_status RequestReconfiguration();

  // Task contexts: the committed offsets handed to the task at start, one per partition (as
  // kafka::OffsetStore::OffsetsFor reads them).
  void SetCommittedOffsets(
      std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> committed);
  // api->offset_get: the offset of the committed partition equal to `partition`, fields compared
  // in order (offsets::FieldMap's equality, the offsets topic's key); *out points into this
  // context. SLUICE_NOT_FOUND when there is none.
  sluice_status OffsetGet(sluice_scalar_map partition, sluice_scalar_map* out) const;

  // Task contexts: schemas built through api->schema_create live as long as the task.
  absl::StatusOr<const data::Schema*> CreateSchema(const sluice_schema_spec& spec);
  // The shared owner of a schema this task created, or nullptr.
  data::SchemaPtr FindSchema(const data::Schema* schema) const;

  // Task contexts: api->task_progress_report. FAILED_PRECONDITION for a connector context,
  // INVALID_ARGUMENT for a malformed report (the first refusal per task is logged: a plugin may
  // ignore the code, and one bad report per poll must not flood the log).
  sluice_status ReportProgress(const sluice_task_progress* report);
  // The latest report, or nullopt (none yet, or a connector context).
  std::optional<TaskProgress> progress() const;

 private:
  struct CommittedOffset {
    offsets::SourcePartition partition;
    offsets::SourceOffset offset;
    std::vector<sluice_scalar_entry> offset_entries;  // views into `offset`
  };

  const Kind kind_;
  const std::string connector_name_;
  const std::string who_;
  LogSink log_;

  std::mutex error_mu_;
  std::optional<std::pair<sluice_status, std::string>> error_;  // GUARDED_BY(error_mu_)

  std::function<void()> on_reconfigure_;
  std::vector<CommittedOffset> committed_;
  std::unordered_map<const data::Schema*, data::SchemaPtr> schemas_;
  std::unique_ptr<TaskProgressSlot> progress_;  // tasks only
  std::atomic<bool> progress_refusal_logged_{false};
};

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_HOST_CONTEXT_H_
