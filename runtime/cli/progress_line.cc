#include "runtime/cli/progress_line.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace sluice::cli {

namespace pb = ::sluice::admin::v1;

std::string FormatLag(int64_t lag_ms) {
  if (lag_ms < 10'000) return absl::StrCat(lag_ms, " ms");
  const int64_t seconds = lag_ms / 1000;
  if (seconds < 120) return absl::StrCat(seconds, " s");
  const int64_t minutes = seconds / 60;
  if (minutes < 120) return absl::StrCat(minutes, " min");
  return absl::StrCat(minutes / 60, " h ", minutes % 60, " min");
}

std::string ProgressLine(const pb::TaskProgress& p) {
  std::string line;
  switch (p.phase()) {
    case pb::TASK_PHASE_SNAPSHOT: {
      line = "snapshot";
      if (!p.table().empty()) absl::StrAppend(&line, " ", p.table());
      if (p.has_table_rows_done()) {
        absl::StrAppend(&line, " ", p.table_rows_done());
        if (p.has_table_rows_total() && p.table_rows_total() > 0) {
          // The total is the server's estimate: rows done may pass it, the percentage stops at 100.
          const int64_t percent =
              std::min<int64_t>(100, p.table_rows_done() * 100 / p.table_rows_total());
          absl::StrAppend(&line, "/", p.table_rows_total(), " rows (", percent, "%)");
        } else {
          absl::StrAppend(&line, " rows");
        }
      }
      if (p.has_tables_total()) {
        const int64_t done = p.has_tables_done() ? p.tables_done() : 0;
        if (!p.table().empty() && done < p.tables_total()) {
          absl::StrAppend(&line, ", table ", done + 1, "/", p.tables_total());
        } else {
          absl::StrAppend(&line, ", ", done, "/", p.tables_total(), " tables done");
        }
      }
      if (!p.warning().empty()) absl::StrAppend(&line, "; WARNING: ", p.warning());
      return line;
    }
    case pb::TASK_PHASE_STREAMING:
      line = "streaming";
      if (p.has_lag_ms()) absl::StrAppend(&line, ", lag ", FormatLag(p.lag_ms()));
      break;
    case pb::TASK_PHASE_IDLE:
      line = "idle";
      break;
    default:
      line = "phase unknown";
      break;
  }
  if (!p.position().empty()) absl::StrAppend(&line, " at ", p.position());
  if (!p.warning().empty()) absl::StrAppend(&line, "; WARNING: ", p.warning());
  return line;
}

std::string StalenessNote(const pb::TaskProgress& p, int64_t now_ms) {
  if (p.reported_at_ms() <= 0 || now_ms - p.reported_at_ms() < 10'000) return "";
  return absl::StrCat(" (reported ", FormatLag(now_ms - p.reported_at_ms()), " ago)");
}

}  // namespace sluice::cli
