#include "connectors/mysql/connector/binlog_headroom.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace sluice::mysql {

absl::StatusOr<BinlogHeadroom> MeasureBinlogHeadroom(Connection& connection,
                                                     absl::string_view file, int64_t pos,
                                                     int64_t event_unix_sec,
                                                     int64_t now_unix_sec) {
  absl::StatusOr<QueryResult> logs = connection.Query("SHOW BINARY LOGS");
  if (!logs.ok()) return logs.status();
  const int name_column = logs->ColumnIndex("Log_name");
  const int size_column = logs->ColumnIndex("File_size");
  if (name_column < 0 || size_column < 0) {
    return absl::InternalError("SHOW BINARY LOGS has no Log_name or File_size column");
  }
  BinlogHeadroom headroom;
  int64_t before = 0;  // the sizes of the files listed before `file` (the server lists oldest first)
  for (const auto& row : logs->rows) {
    const std::optional<std::string>& name = row[name_column];
    const std::optional<std::string>& size = row[size_column];
    if (!name.has_value()) continue;
    if (*name == file) {
      headroom.bytes = before + pos;
      break;
    }
    int64_t bytes = 0;
    if (size.has_value() && absl::SimpleAtoi(*size, &bytes)) before += bytes;
  }
  if (headroom.bytes < 0) headroom.bytes = 0;  // the file is no longer listed: purged

  absl::StatusOr<std::string> expire = connection.GlobalVariable("binlog_expire_logs_seconds");
  int64_t expire_seconds = 0;
  if (expire.ok()) {
    (void)absl::SimpleAtoi(*expire, &expire_seconds);
  } else if (absl::IsNotFound(expire.status())) {
    // MariaDB before 10.6 has only expire_logs_days.
    absl::StatusOr<std::string> days = connection.GlobalVariable("expire_logs_days");
    double d = 0;
    if (days.ok() && absl::SimpleAtod(*days, &d)) expire_seconds = static_cast<int64_t>(d * 86400);
  } else {
    return expire.status();
  }
  if (expire_seconds > 0 && event_unix_sec > 0) {
    const int64_t left = expire_seconds - (now_unix_sec - event_unix_sec);
    headroom.seconds = left < 0 ? 0 : left;
  }
  return headroom;
}

std::string HeadroomWarning(const BinlogHeadroom& headroom, int64_t warning_bytes,
                            int64_t warning_seconds) {
  const bool bytes_low = warning_bytes > 0 && headroom.bytes >= 0 && headroom.bytes < warning_bytes;
  const bool seconds_low =
      warning_seconds > 0 && headroom.seconds >= 0 && headroom.seconds < warning_seconds;
  if (!bytes_low && !seconds_low) return "";
  std::string out = "binlog purge headroom ";
  if (bytes_low) absl::StrAppend(&out, headroom.bytes, " bytes (under ", warning_bytes, ")");
  if (bytes_low && seconds_low) out += ", ";
  if (seconds_low) absl::StrAppend(&out, headroom.seconds, " s (under ", warning_seconds, ")");
  absl::StrAppend(&out, ": the server may soon purge the binlog this task still has to read, and "
                        "resuming then takes a new snapshot; raise binlog_expire_logs_seconds "
                        "or let the connector catch up");
  return out;
}

}  // namespace sluice::mysql
