#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_PROGRESS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_PROGRESS_H_

// What the task tells the host about its progress (api->task_progress_report, ABI 1.2): in the
// snapshot, the table being read with its rows done and the server's estimate of its rows, and
// the tables done out of all; while streaming, the lag behind the server and the binlog position.
//
// Lag while streaming is the report's wall-clock time minus the header timestamp of the last
// event read (the time its statement began on the server, in whole seconds, so the lag is precise
// to about a second), and 0 once the server sends a heartbeat: it sends one only when the stream
// has reached the end of its binlog and stayed idle for the heartbeat period (1 s here).
// Thread: the task thread.

#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "connectors/mysql/connector/host.h"
#include "sluice/binlog/decoder.h"

namespace sluice::mysql {

// "file:pos".
std::string BinlogPosition(absl::string_view file, uint64_t pos);

// One snapshot report. `table` is empty between tables; counts are -1 when unknown.
void ReportSnapshotProgress(const Host& host, absl::string_view table, int64_t rows_done,
                            int64_t rows_estimate, int64_t tables_done, int64_t tables_total,
                            absl::string_view position);

// The stream's position comes from the events themselves: every dump starts with a rotate event
// naming the file and position, so a reconnect needs no reset.
class StreamProgress {
 public:
  // Notes one event read from the binlog stream: where the stream now is, and its time.
  void OnEvent(const binlog::Event& event);
  // One row change read from the binlog (TotalNumberOfEventsSeen), one transaction read to its
  // commit (NumberOfCommittedTransactions).
  void OnRowChange() { ++events_seen_; }
  void OnCommit() { ++committed_transactions_; }
  // This task ran the initial snapshot to its end, in `duration_ms` (SnapshotCompleted,
  // SnapshotDurationInSeconds: both about this task's life, as Debezium's are about the
  // connector's since it started).
  void OnSnapshotCompleted(int64_t duration_ms) {
    snapshot_completed_ = 1;
    snapshot_duration_ms_ = duration_ms;
  }
  // The binlog purge headroom last measured (binlog_headroom.h) and the warning it calls for.
  void SetHeadroom(int64_t bytes, int64_t seconds, std::string warning) {
    headroom_bytes_ = bytes;
    headroom_seconds_ = seconds;
    warning_ = std::move(warning);
  }
  const std::string& file() const { return file_; }
  uint64_t pos() const { return pos_; }
  int64_t event_ms() const { return event_ms_; }

  // Reports "streaming" with the lag as of now, the position, the counters and headroom;
  // `queue_room`: records the poll's batch still had room for (QueueRemainingCapacity: the poll
  // is this connector's only queue).
  void Report(const Host& host, int64_t queue_room);

 private:
  int64_t events_seen_ = 0;
  int64_t committed_transactions_ = 0;
  int64_t snapshot_completed_ = 0;
  int64_t snapshot_duration_ms_ = -1;
  int64_t headroom_bytes_ = -1;
  int64_t headroom_seconds_ = -1;
  std::string warning_;
  std::string file_;
  uint64_t pos_ = 0;
  int64_t event_ms_ = -1;  // the last real event's server time (Unix ms), -1 = none yet
  bool caught_up_ = false;
  std::string position_;  // scratch, kept so a report allocates nothing once warm
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_PROGRESS_H_
