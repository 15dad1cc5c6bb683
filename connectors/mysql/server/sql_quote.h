#ifndef SLUICE_CONNECTORS_MYSQL_SERVER_SQL_QUOTE_H_
#define SLUICE_CONNECTORS_MYSQL_SERVER_SQL_QUOTE_H_

// Names and strings written into the SQL sent to the server (catalog reads, snapshot SELECTs,
// locks), quoted for MySQL and MariaDB in their default sql_mode.

#include <string>

#include "absl/strings/string_view.h"

namespace sluice::mysql {

// `name`, with backticks doubled.
std::string QuoteIdentifier(absl::string_view name);
// `db`.`table`.
std::string QuoteTable(absl::string_view db, absl::string_view table);
// 'text' as a string literal, quotes doubled and backslashes escaped.
std::string SqlString(absl::string_view text);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_SERVER_SQL_QUOTE_H_
