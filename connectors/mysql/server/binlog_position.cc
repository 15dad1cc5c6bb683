#include "connectors/mysql/server/binlog_position.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "connectors/mysql/gtid/mysql_gtid_set.h"

namespace sluice::mysql {
namespace {

constexpr char kBinlogOff[] =
    "the server lists no binlog: the binlog is off; set log_bin in the server configuration and "
    "restart it";

// Major and minor of "9.7.4-2"; {0, 0} when the text does not start with them.
std::pair<int, int> MajorMinor(absl::string_view version) {
  std::vector<absl::string_view> parts = absl::StrSplit(version, absl::MaxSplits('.', 2));
  int major = 0, minor = 0;
  if (parts.size() < 2 || !absl::SimpleAtoi(parts[0], &major)) return {0, 0};
  absl::string_view minor_text = parts[1];
  while (!minor_text.empty() && !absl::ascii_isdigit(static_cast<unsigned char>(minor_text.back()))) {
    minor_text.remove_suffix(1);
  }
  if (!absl::SimpleAtoi(minor_text, &minor)) return {major, 0};
  return {major, minor};
}

}  // namespace

absl::string_view BinlogStatusStatement(bool mariadb, absl::string_view server_version) {
  if (mariadb) return "SHOW MASTER STATUS";
  return MajorMinor(server_version) >= std::pair<int, int>{8, 2} ? "SHOW BINARY LOG STATUS"
                                                                  : "SHOW MASTER STATUS";
}

absl::StatusOr<ServerBinlogPosition> ReadServerBinlogPosition(Connection& connection) {
  absl::StatusOr<QueryResult> status = connection.Query(
      BinlogStatusStatement(connection.is_mariadb(), connection.server_version()));
  if (!status.ok()) return status.status();
  if (status->rows.empty() || !status->rows[0][0].has_value()) {
    return absl::FailedPreconditionError(kBinlogOff);
  }
  ServerBinlogPosition position;
  position.file = *status->rows[0][0];
  const int at = status->ColumnIndex("Position");
  if (at < 0 || !absl::SimpleAtoi(status->rows[0][at].value_or(""), &position.position)) {
    return absl::InternalError(absl::StrCat("the server's binlog status has no readable Position (",
                                            position.file, ")"));
  }
  const int executed = status->ColumnIndex("Executed_Gtid_Set");
  if (executed >= 0) {
    // MySQL prints ",\n" between sources; the offset carries the set as Debezium does, on one
    // line. A set that does not parse is an error here rather than a bad offset later.
    absl::StatusOr<MysqlGtidSet> set = MysqlGtidSet::Parse(status->rows[0][executed].value_or(""));
    if (!set.ok()) {
      return absl::InternalError(absl::StrCat("the server's Executed_Gtid_Set does not parse: ",
                                              set.status().message()));
    }
    position.executed_gtids = set->ToString();
  }
  return position;
}

absl::StatusOr<std::string> ReadOldestBinlogFile(Connection& connection) {
  absl::StatusOr<QueryResult> logs = connection.Query("SHOW BINARY LOGS");
  if (!logs.ok()) return logs.status();
  if (logs->rows.empty() || !logs->rows[0][0].has_value()) {
    return absl::FailedPreconditionError(kBinlogOff);
  }
  return *logs->rows[0][0];
}

}  // namespace sluice::mysql
