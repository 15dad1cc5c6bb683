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
  // Reports "streaming" with the lag as of now and the position.
  void Report(const Host& host);

 private:
  std::string file_;
  uint64_t pos_ = 0;
  int64_t event_ms_ = -1;  // the last real event's server time (Unix ms), -1 = none yet
  bool caught_up_ = false;
  std::string position_;  // scratch, kept so a report allocates nothing once warm
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_PROGRESS_H_
