// Renders decoded binlog events for people (`mysqlbinlog --verbose`-like text) and for scripts
// (one JSON object per event). The engine of `sluice binlog inspect`; kept apart from the
// decoder so the decoder stays free of output formats and of RapidJSON.
#ifndef SLUICE_CONNECTORS_MYSQL_BINLOG_INSPECT_EVENT_PRINTER_H_
#define SLUICE_CONNECTORS_MYSQL_BINLOG_INSPECT_EVENT_PRINTER_H_

#include <string>

#include "absl/status/status.h"
#include "sluice/binlog/column_value.h"
#include "sluice/binlog/decoder.h"
#include "sluice/binlog/table_map.h"

namespace sluice::binlog {

// A value as SQL would show it: 42, -1.5, 'text', X'00ff', '2024-02-29 13:45:07.123', NULL,
// b'0101', JSON text. Fails, appending nothing, when the value does not decode: MySQL binary JSON
// or a partial JSON update that is damaged (DataLoss, from the decoder).
absl::Status AppendValueText(const ColumnValue& value, const ColumnInfo& column, std::string* out);

// The event as text: a header line ("# at <pos> ...") and, for rows events, every row with
// column names where the table map has them. A row that does not decode, or holds a value that
// does not, ends the listing with an "### ERROR:" line in its place; that error, which names the
// event's position, the row and the column, is returned.
absl::Status AppendEventText(const Event& event, std::string* out);

// The event as one line of JSON (no trailing newline), valid whatever the binlog holds: every
// control character escaped, bytes that are not UTF-8 shown as hex (text values) or U+FFFD
// (names, statements). A row that does not decode ends "rows" before it and adds "error" with
// the message; that error is returned.
absl::Status AppendEventJson(const Event& event, std::string* out);

}  // namespace sluice::binlog

#endif  // SLUICE_CONNECTORS_MYSQL_BINLOG_INSPECT_EVENT_PRINTER_H_
