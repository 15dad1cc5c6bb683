// A task's progress as its plugin last reported it (api->task_progress_report, ABI 1.2), and the
// slot the host keeps it in, one per task context.
//
// Why a slot with reserved buffers: the ABI promises the call is cheap enough for every poll, so
// Report copies into strings whose capacity was reserved up front (SLUICE_TASK_PROGRESS_MAX_TEXT)
// and allocates nothing; the reader (the herder, a few times a second) pays for its copy.
#ifndef SLUICE_RUNTIME_PLUGIN_TASK_PROGRESS_H_
#define SLUICE_RUNTIME_PLUGIN_TASK_PROGRESS_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "sluice/connector.h"

namespace sluice::plugin {

enum class TaskPhase { kUnknown = 0, kSnapshot = 1, kStreaming = 2, kIdle = 3 };

// "snapshot", "streaming", "idle" or "unknown".
const char* TaskPhaseName(TaskPhase phase);

// One report, owned. Counts and lag are -1 when the plugin did not know them; strings are empty.
struct TaskProgress {
  TaskPhase phase = TaskPhase::kUnknown;
  std::string table;
  int64_t table_rows_done = -1;
  int64_t table_rows_total = -1;
  int64_t tables_done = -1;
  int64_t tables_total = -1;
  int64_t lag_ms = -1;
  std::string position;
  // ABI 1.6 (-1 / empty from older plugins).
  int64_t events_seen = -1;
  int64_t committed_transactions = -1;
  int64_t queue_remaining_capacity = -1;
  int64_t snapshot_completed = -1;  // 1, 0, or -1 unknown
  int64_t snapshot_duration_ms = -1;
  int64_t purge_headroom_bytes = -1;
  int64_t purge_headroom_seconds = -1;
  std::string warning;
  absl::Time reported_at;  // when the host took the report

  bool operator==(const TaskProgress& other) const = default;
};

// The size of sluice_task_progress as ABI 1.2 defines it: the least a report may claim.
inline constexpr size_t kTaskProgressV12Size =
    offsetof(sluice_task_progress, position) + sizeof(sluice_str);

// Thread-safety: Report and Latest may be called from any threads, concurrently.
class TaskProgressSlot {
 public:
  TaskProgressSlot();
  TaskProgressSlot(const TaskProgressSlot&) = delete;
  TaskProgressSlot& operator=(const TaskProgressSlot&) = delete;

  // Checks `report` and makes it the latest; on an error (InvalidArgument naming the problem)
  // the latest report stays as it was. Allocates nothing.
  absl::Status Report(const sluice_task_progress* report);

  // A copy of the latest report, or nullopt when there was none.
  std::optional<TaskProgress> Latest() const;

 private:
  mutable std::mutex mu_;
  TaskProgress latest_;    // GUARDED_BY(mu_); its strings keep their reserved capacity
  bool reported_ = false;  // GUARDED_BY(mu_)
};

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_TASK_PROGRESS_H_
