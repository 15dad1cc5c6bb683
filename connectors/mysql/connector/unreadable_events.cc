#include "connectors/mysql/connector/unreadable_events.h"

#include "absl/strings/str_cat.h"

namespace sluice::mysql {

std::optional<std::string> UnreadableEventReason(const binlog::Event& event) {
  if (const auto* skipped = event.As<binlog::SkippedEvent>()) {
    // Types the decoder knows to carry no rows (group replication's, heartbeats, ...) pass.
    if (!skipped->unknown_type || (event.header.flags & binlog::kFlagIgnorable) != 0) {
      return std::nullopt;
    }
    return std::string(
        "an event of a type Sluice cannot read, which may carry changes (statement-based LOAD "
        "DATA writes such events: use binlog_format=ROW)");
  }
  if (const auto* incident = event.As<binlog::IncidentEvent>()) {
    // A replica stops here.
    return absl::StrCat("the server logged an incident (",
                        incident->incident == 1 ? std::string("LOST_EVENTS")
                                                : absl::StrCat("code ", incident->incident),
                        ": ", absl::string_view(incident->message.data(), incident->message.size()),
                        "): changes around this point may be missing from the binlog");
  }
  return std::nullopt;
}

std::optional<std::string> StatementChangeReason(const DmlStatement& dml, const std::string& db,
                                                 absl::string_view sql, const Filters& filters) {
  if (!dml.dml) return std::nullopt;
  std::string captured;
  if (!dml.known && (db.empty() || filters.IncludeDatabase(db))) {
    captured = db.empty() ? "?" : db;  // it cannot tell its tables: any may be captured
  }
  for (const auto& [table_db, table] : dml.tables) {
    if (filters.IncludeTable(table_db, table)) {
      captured = absl::StrCat(table_db, ".", table);
      break;
    }
  }
  if (captured.empty()) return std::nullopt;
  return absl::StrCat("a statement-based change of `", captured, "` (`", sql.substr(0, 100),
                      sql.size() > 100 ? "...`" : "`",
                      "): the writing session used binlog_format=STATEMENT or MIXED, so the "
                      "binlog holds the statement and not its rows; set binlog_format=ROW "
                      "globally and in every writing session");
}

}  // namespace sluice::mysql
