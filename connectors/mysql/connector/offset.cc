#include "connectors/mysql/connector/offset.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/gtid/mariadb_gtid_position.h"
#include "connectors/mysql/gtid/mysql_gtid_set.h"

namespace sluice::mysql {
namespace {

sluice_str Borrow(const std::string& text) { return sluice_str{text.data(), text.size()}; }

}  // namespace

sluice_scalar_entry SourcePartition(const std::string& server_name) {
  sluice_scalar_entry partition{};
  partition.key = sluice_str_of("server");
  partition.kind = SLUICE_SCALAR_STRING;
  partition.u.str = Borrow(server_name);
  return partition;
}

absl::StatusOr<std::optional<OffsetState>> ReadCommittedOffset(const Host& host,
                                                                const std::string& server_name) {
  sluice_scalar_entry partition = SourcePartition(server_name);
  sluice_scalar_map committed{};
  const sluice_status found =
      host.api()->offset_get(host.ctx(), sluice_scalar_map{&partition, 1}, &committed);
  if (found == SLUICE_NOT_FOUND) return std::nullopt;
  if (found != SLUICE_OK) {
    return absl::Status(static_cast<absl::StatusCode>(found),
                        "reading the committed offset failed");
  }
  absl::StatusOr<OffsetState> parsed = ParseOffset(committed);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the committed offset ", parsed.status().message(),
        "; reset the connector's offset (`sluice connectors offsets reset`) or set a correct one (`sluice connectors offsets set`)"));
  }
  return *parsed;
}

absl::Status CheckUserOffset(const std::string& server_name, const sluice_scalar_map& partition,
                             const sluice_scalar_map& offset) {
  // topic.prefix as stored may be a reference (${env:...}) resolved only at start: any name then.
  const bool any_name = absl::StrContains(server_name, "${");
  const bool partition_ok =
      partition.count == 1 && partition.entries[0].kind == SLUICE_SCALAR_STRING &&
      absl::string_view(partition.entries[0].key.ptr, partition.entries[0].key.len) == "server" &&
      (any_name || absl::string_view(partition.entries[0].u.str.ptr,
                                     partition.entries[0].u.str.len) == server_name);
  if (!partition_ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the MySQL connector's only source partition is {\"server\":\"", server_name,
        "\"} (its topic.prefix)"));
  }
  absl::StatusOr<OffsetState> parsed = ParseOffset(offset);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the offset ", parsed.status().message(),
        "; the MySQL connector accepts {\"file\":\"<binlog file>\",\"pos\":<position>} and/or "
        "{\"gtids\":\"<MariaDB GTID position or MySQL GTID set>\"}, with optional whole "
        "numbers `event`, `row`, `ts_sec`, `server_id`"));
  }
  if (!parsed->gtids.empty() && !MariaDbGtidPosition::Parse(parsed->gtids).ok()) {
    absl::StatusOr<MysqlGtidSet> set = MysqlGtidSet::Parse(parsed->gtids);
    if (!set.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the offset's `gtids` \"", parsed->gtids,
                       "\" is neither a MariaDB GTID position (domain-server-sequence, ...) nor "
                       "a MySQL GTID set (uuid:1-5, ...), the forms the MySQL connector accepts: ",
                       set.status().message()));
    }
  }
  return absl::OkStatus();
}

size_t OffsetEntries(const OffsetState& offset, sluice_scalar_entry* entries) {
  size_t n = 0;
  auto add_int = [&](const char* key, int64_t value) {
    entries[n] = sluice_scalar_entry{};
    entries[n].key = sluice_str_of(key);
    entries[n].kind = SLUICE_SCALAR_INT;
    entries[n].u.i = value;
    ++n;
  };
  auto add_str = [&](const char* key, const std::string& value) {
    entries[n] = sluice_scalar_entry{};
    entries[n].key = sluice_str_of(key);
    entries[n].kind = SLUICE_SCALAR_STRING;
    entries[n].u.str = Borrow(value);
    ++n;
  };
  // Debezium's order: transaction_id, ts_sec, file, pos, gtids, row, server_id, event (snapshot
  // while one runs).
  if (!offset.transaction_id.empty()) add_str("transaction_id", offset.transaction_id);
  add_int("ts_sec", offset.ts_sec);
  add_str("file", offset.file);
  add_int("pos", offset.pos);
  if (!offset.gtids.empty()) add_str("gtids", offset.gtids);
  if (offset.row != 0) add_int("row", offset.row);
  if (offset.server_id != 0) add_int("server_id", offset.server_id);
  if (offset.event != 0) add_int("event", offset.event);
  if (!offset.xa_committed.empty()) add_str("xa_committed", offset.xa_committed);
  if (offset.snapshot) {
    static const std::string kInitial = "INITIAL";
    add_str("snapshot", kInitial);
    if (!offset.snapshot_table.empty()) {
      add_str("snapshot_db", offset.snapshot_db);
      add_str("snapshot_table", offset.snapshot_table);
      if (!offset.snapshot_key.empty()) add_str("snapshot_key", offset.snapshot_key);
    }
  }
  return n;
}

absl::StatusOr<OffsetState> ParseOffset(const sluice_scalar_map& map) {
  OffsetState offset;
  bool has_file = false, has_pos = false, completed = false;
  for (size_t i = 0; i < map.count; ++i) {
    const sluice_scalar_entry& entry = map.entries[i];
    const std::string key(entry.key.ptr, entry.key.len);
    auto as_int = [&](int64_t* out) {
      if (entry.kind == SLUICE_SCALAR_INT) {
        *out = entry.u.i;
        return true;
      }
      if (entry.kind == SLUICE_SCALAR_STRING) {
        return absl::SimpleAtoi(absl::string_view(entry.u.str.ptr, entry.u.str.len), out);
      }
      return false;
    };
    auto as_str = [&]() {
      return entry.kind == SLUICE_SCALAR_STRING ? std::string(entry.u.str.ptr, entry.u.str.len)
                                                : std::string();
    };
    bool ok = true;
    if (key == "file") {
      offset.file = as_str();
      has_file = !offset.file.empty();
    } else if (key == "pos") {
      ok = as_int(&offset.pos);
      has_pos = ok;
    } else if (key == "gtids") {
      offset.gtids = as_str();
    } else if (key == "event") {
      ok = as_int(&offset.event);
    } else if (key == "row") {
      ok = as_int(&offset.row);
    } else if (key == "ts_sec") {
      ok = as_int(&offset.ts_sec);
    } else if (key == "server_id") {
      ok = as_int(&offset.server_id);
    } else if (key == "xa_committed") {
      offset.xa_committed = as_str();
    } else if (key == "transaction_id") {
      offset.transaction_id = as_str();
    } else if (key == "snapshot") {
      // "INITIAL" (Debezium 3.x) or true (older): a snapshot was running.
      offset.snapshot =
          entry.kind == SLUICE_SCALAR_BOOLEAN ? entry.u.b != 0 : entry.kind == SLUICE_SCALAR_STRING;
    } else if (key == "snapshot_completed") {
      completed = entry.kind == SLUICE_SCALAR_BOOLEAN ? entry.u.b != 0 : as_str() == "true";
    } else if (key == "snapshot_db") {
      offset.snapshot_db = as_str();
    } else if (key == "snapshot_table") {
      offset.snapshot_table = as_str();
    } else if (key == "snapshot_key") {
      offset.snapshot_key = as_str();
    }
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("has `", key, "` that is not a whole number"));
    }
  }
  if (!(has_file && has_pos) && offset.gtids.empty()) {
    return absl::InvalidArgumentError("has neither `file` and `pos` nor `gtids`");
  }
  for (const auto& [key, value] : {std::pair<const char*, int64_t>{"pos", offset.pos},
                                   {"event", offset.event},
                                   {"row", offset.row}}) {
    if (value < 0) return absl::InvalidArgumentError(absl::StrCat("has a negative `", key, "`"));
  }
  if (completed) offset.snapshot = false;
  if (!offset.snapshot) {
    offset.snapshot_db.clear();
    offset.snapshot_table.clear();
    offset.snapshot_key.clear();
  }
  return offset;
}

std::string PositionText(const OffsetState& offset) {
  if (offset.file.empty()) return absl::StrCat("gtids '", offset.gtids, "'");
  std::string text = absl::StrCat(offset.file, ":", offset.pos);
  if (!offset.gtids.empty()) absl::StrAppend(&text, " (gtids '", offset.gtids, "')");
  return text;
}

}  // namespace sluice::mysql
