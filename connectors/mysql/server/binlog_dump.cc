#include "connectors/mysql/server/binlog_dump.h"

#include <limits>

#include "absl/strings/str_cat.h"

namespace sluice::mysql {
namespace {

void Append(std::vector<uint8_t>& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void Append(std::vector<uint8_t>& out, absl::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}

}  // namespace

absl::StatusOr<std::vector<uint8_t>> BinlogDumpCommand(uint16_t flags, uint32_t server_id,
                                                       absl::string_view file, uint64_t position) {
  if (position > std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "binlog position ", position, " in ", file,
        " does not fit COM_BINLOG_DUMP's 4 bytes; start from a GTID position instead"));
  }
  std::vector<uint8_t> command;
  command.reserve(11 + file.size());
  command.push_back(kComBinlogDump);
  Append(command, position, 4);
  Append(command, flags, 2);
  Append(command, server_id, 4);
  Append(command, file);
  return command;
}

std::vector<uint8_t> BinlogDumpGtidCommand(uint16_t flags, uint32_t server_id,
                                           absl::string_view file, uint64_t position,
                                           const MysqlGtidSet& gtids) {
  const std::vector<uint8_t> data = gtids.Encode();
  std::vector<uint8_t> command;
  command.reserve(23 + file.size() + data.size());
  command.push_back(kComBinlogDumpGtid);
  Append(command, flags | kDumpThroughGtid, 2);
  Append(command, server_id, 4);
  Append(command, file.size(), 4);
  Append(command, file);
  Append(command, position, 8);
  Append(command, data.size(), 4);
  command.insert(command.end(), data.begin(), data.end());
  return command;
}

absl::Status CheckGtidStartAvailable(const MysqlGtidSet& start, const MysqlGtidSet& executed,
                                     const MysqlGtidSet& purged, absl::string_view endpoint) {
  if (!executed.ContainsAll(start)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the GTID set to resume after names transactions the server at ", endpoint,
        " has never executed (", start.Subtract(executed).ToString(), "; its gtid_executed is '",
        executed.ToString(),
        "'): the offset was taken from another server, or this server's GTID history was reset "
        "(RESET MASTER). With snapshot.mode=when_needed the connector takes a new snapshot; "
        "otherwise reset the connector's offsets and snapshot again"));
  }
  if (!start.ContainsAll(purged)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the server at ", endpoint,
        " has purged the binlogs holding transactions the connector has not read yet (",
        purged.Subtract(start).ToString(),
        "). With snapshot.mode=when_needed the connector takes a new snapshot; otherwise reset "
        "the connector's offsets and snapshot again, and keep binlogs longer "
        "(binlog_expire_logs_seconds)"));
  }
  return absl::OkStatus();
}

}  // namespace sluice::mysql
