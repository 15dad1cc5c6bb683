#include "runtime/plugin/task_progress.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace sluice::plugin {
namespace {

constexpr size_t kMaxText = SLUICE_TASK_PROGRESS_MAX_TEXT;
constexpr std::string_view kCut = "...";

// Copies `text` into `out` without growing it past kMaxText: a longer text is cut at a UTF-8
// character boundary and marked with "...", so the reader sees it is not whole.
void AssignBounded(std::string_view text, std::string& out) {
  if (text.size() <= kMaxText) {
    out.assign(text.data(), text.size());
    return;
  }
  size_t keep = kMaxText - kCut.size();
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;
  out.assign(text.data(), keep);
  out.append(kCut.data(), kCut.size());
}

int64_t CountOrUnknown(int64_t value) { return value < 0 ? -1 : value; }

}  // namespace

const char* TaskPhaseName(TaskPhase phase) {
  switch (phase) {
    case TaskPhase::kSnapshot:
      return "snapshot";
    case TaskPhase::kStreaming:
      return "streaming";
    case TaskPhase::kIdle:
      return "idle";
    case TaskPhase::kUnknown:
      break;
  }
  return "unknown";
}

TaskProgressSlot::TaskProgressSlot() {
  latest_.table.reserve(kMaxText);
  latest_.position.reserve(kMaxText);
  latest_.warning.reserve(kMaxText);
}

absl::Status TaskProgressSlot::Report(const sluice_task_progress* report) {
  if (report == nullptr) return absl::InvalidArgumentError("task_progress_report: NULL progress");
  if (report->struct_size < kTaskProgressV12Size) {
    return absl::InvalidArgumentError(
        absl::StrCat("task_progress_report: struct_size ", report->struct_size,
                     " is smaller than ABI 1.2's sluice_task_progress (", kTaskProgressV12Size,
                     "); start from sluice_task_progress_init()"));
  }
  if (report->phase > SLUICE_TASK_PHASE_IDLE) {
    return absl::InvalidArgumentError(
        absl::StrCat("task_progress_report: unknown phase ", report->phase));
  }
  if ((report->table.ptr == nullptr && report->table.len > 0) ||
      (report->position.ptr == nullptr && report->position.len > 0)) {
    return absl::InvalidArgumentError(
        "task_progress_report: a NULL `table` or `position` with a length");
  }
  const bool v16 = SLUICE_HAS_MEMBER(report, sluice_task_progress, warning);
  if (v16 && report->warning.ptr == nullptr && report->warning.len > 0) {
    return absl::InvalidArgumentError("task_progress_report: a NULL `warning` with a length");
  }
  const absl::Time now = absl::Now();
  std::lock_guard<std::mutex> lock(mu_);
  latest_.phase = static_cast<TaskPhase>(report->phase);
  AssignBounded(std::string_view(report->table.ptr, report->table.len), latest_.table);
  latest_.table_rows_done = CountOrUnknown(report->table_rows_done);
  latest_.table_rows_total = CountOrUnknown(report->table_rows_total);
  latest_.tables_done = CountOrUnknown(report->tables_done);
  latest_.tables_total = CountOrUnknown(report->tables_total);
  latest_.lag_ms = CountOrUnknown(report->lag_ms);
  AssignBounded(std::string_view(report->position.ptr, report->position.len), latest_.position);
  if (v16) {
    latest_.events_seen = CountOrUnknown(report->events_seen);
    latest_.committed_transactions = CountOrUnknown(report->committed_transactions);
    latest_.queue_remaining_capacity = CountOrUnknown(report->queue_remaining_capacity);
    latest_.snapshot_completed = CountOrUnknown(report->snapshot_completed);
    latest_.snapshot_duration_ms = CountOrUnknown(report->snapshot_duration_ms);
    // Headroom may be negative: what the task needs is already gone. Unknown is exactly -1.
    latest_.purge_headroom_bytes = report->purge_headroom_bytes;
    latest_.purge_headroom_seconds = report->purge_headroom_seconds;
    AssignBounded(std::string_view(report->warning.ptr, report->warning.len), latest_.warning);
  } else {
    latest_.events_seen = latest_.committed_transactions = latest_.queue_remaining_capacity = -1;
    latest_.snapshot_completed = latest_.snapshot_duration_ms = -1;
    latest_.purge_headroom_bytes = latest_.purge_headroom_seconds = -1;
    latest_.warning.clear();
  }
  latest_.reported_at = now;
  reported_ = true;
  return absl::OkStatus();
}

std::optional<TaskProgress> TaskProgressSlot::Latest() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!reported_) return std::nullopt;
  return latest_;
}

}  // namespace sluice::plugin
