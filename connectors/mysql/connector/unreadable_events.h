#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_UNREADABLE_EVENTS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_UNREADABLE_EVENTS_H_

// The binlog events that may carry changes the task cannot turn into records (issue 13: nothing
// passes in silence). Each rule says why, in words for the task's failure or warning; the task
// adds the event's position and follows event.processing.failure.handling.mode.
//
// Thread-compatible; pure.

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "connectors/mysql/connector/ddl_targets.h"
#include "connectors/mysql/connector/filters.h"
#include "sluice/binlog/decoder.h"

namespace sluice::mysql {

// Why `event` may hold changes no record can carry: an event of a type the decoder does not know
// that the server did not mark ignorable (statement-based LOAD DATA's, a newer server's rows), or a
// server INCIDENT (changes around it are missing from the binlog). nullopt for every other event.
std::optional<std::string> UnreadableEventReason(const binlog::Event& event);

// Why a statement-based INSERT/UPDATE/DELETE/REPLACE (`dml`, run in database `db`: a session with
// binlog_format=STATEMENT or MIXED, so the binlog holds the statement and not its rows) matters:
// it may have written a table `filters` capture. nullopt when it wrote none (pt-table-checksum's
// own table, say).
std::optional<std::string> StatementChangeReason(const DmlStatement& dml, const std::string& db,
                                                 absl::string_view sql, const Filters& filters);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_UNREADABLE_EVENTS_H_
