#include "connectors/mysql/connector/progress.h"

#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/clock.h"

namespace sluice::mysql {

std::string BinlogPosition(absl::string_view file, uint64_t pos) {
  return absl::StrCat(file, ":", pos);
}

void ReportSnapshotProgress(const Host& host, absl::string_view table, int64_t rows_done,
                            int64_t rows_estimate, int64_t tables_done, int64_t tables_total,
                            absl::string_view position) {
  sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_SNAPSHOT);
  p.table = Str(table);
  p.table_rows_done = rows_done;
  p.table_rows_total = rows_estimate;
  p.tables_done = tables_done;
  p.tables_total = tables_total;
  p.position = Str(position);  // where streaming will start
  p.snapshot_completed = 0;
  host.ReportProgress(p);
}

void StreamProgress::OnEvent(const binlog::Event& event) {
  const binlog::EventHeader& header = event.header;
  if (const auto* heartbeat = event.As<binlog::HeartbeatEvent>()) {
    // The server is idle at the end of its binlog: nothing is waiting to be read.
    caught_up_ = true;
    if (!heartbeat->log_file.empty()) file_.assign(heartbeat->log_file);
    if (header.log_pos > 0) pos_ = header.log_pos;
    return;
  }
  if (const auto* rotate = event.As<binlog::RotateEvent>()) {
    file_.assign(rotate->next_file);
    pos_ = rotate->position;
    return;
  }
  // Artificial events (the format description the server sends at the start of a dump) carry no
  // position and no time of a change.
  if (header.log_pos == 0 || (header.flags & binlog::kFlagArtificial) != 0) return;
  if (event.context.file != nullptr) file_.assign(*event.context.file);
  pos_ = header.log_pos;  // just past this event: where reading goes on
  if (header.timestamp > 0) event_ms_ = int64_t{header.timestamp} * 1000;
  caught_up_ = false;
}

void StreamProgress::Report(const Host& host, int64_t queue_room) {
  sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_STREAMING);
  p.events_seen = events_seen_;
  p.committed_transactions = committed_transactions_;
  p.queue_remaining_capacity = queue_room;
  p.snapshot_completed = snapshot_completed_;
  p.snapshot_duration_ms = snapshot_duration_ms_;
  p.purge_headroom_bytes = headroom_bytes_;
  p.purge_headroom_seconds = headroom_seconds_;
  p.warning = Str(warning_);
  if (caught_up_) {
    p.lag_ms = 0;
  } else if (event_ms_ >= 0) {
    const int64_t lag = WallClockNanos() / 1000000 - event_ms_;
    p.lag_ms = lag < 0 ? 0 : lag;  // the server's clock may run ahead of ours
  }
  if (!file_.empty()) {
    position_.clear();
    absl::StrAppend(&position_, file_, ":", pos_);
    p.position = Str(position_);
  }
  host.ReportProgress(p);
}

}  // namespace sluice::mysql
