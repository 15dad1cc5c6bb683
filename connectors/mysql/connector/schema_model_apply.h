#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_MODEL_APPLY_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_MODEL_APPLY_H_

// A parsed DDL statement (ddl_parser.h) applied to the schema model (schema_model.h), as the
// server applied it at its binlog position: columns added, dropped, changed and moved
// (FIRST/AFTER), renamed, their defaults set and dropped; the primary key added and dropped
// (its columns become NOT NULL); the table's charset (a character column that names none takes
// it); tables created (LIKE copies), renamed, dropped. TRUNCATE changes nothing.
//
// Thread-compatible; pure but for the lookup it is given.

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "connectors/mysql/connector/ddl_parser.h"
#include "connectors/mysql/connector/schema_model.h"

namespace sluice::mysql {

// A database's default charset, asked for a CREATE TABLE that names none when the model has not
// learnt it (from CREATE/ALTER DATABASE, or an earlier answer).
using DatabaseCharsetLookup = std::function<absl::StatusOr<std::string>(const std::string& db)>;

// Applies `statement` to `model`. OK: every table the statement names that the model knew or
// creates is now as the statement left it; a table the model does not know stays unknown (an
// ALTER of it), or becomes unknown (renamed from an unknown one, a CREATE ... LIKE an unknown
// one, a CREATE TABLE IF NOT EXISTS of a table that may have existed). FailedPrecondition when
// the statement cannot be applied to a table the model knows (a column it names is missing, a
// place after a column that is not there): the model then no longer knows the tables the
// statement names, and the message says why. The lookup's error as it is.
absl::Status ApplyDdl(const DdlStatement& statement, SchemaModel& model,
                      const DatabaseCharsetLookup& database_charset);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_MODEL_APPLY_H_
