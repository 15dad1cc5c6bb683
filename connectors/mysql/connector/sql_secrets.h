#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SQL_SECRETS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SQL_SECRETS_H_

// Which statements read from the binlog may leave the connector, and the credentials removed from
// the text of those that do. The binlog carries account statements (CREATE USER ... IDENTIFIED
// BY, GRANT ... IDENTIFIED BY, SET PASSWORD) as the client sent them on MariaDB, with the hash on
// MySQL: they are never published. Statements that are published (schema changes, anything a log
// line quotes) go through RedactSecrets first. Both read the text with the one SQL scanner
// (sql_scanner.h), executable comments (/*! ... */) included.
//
// Thread-compatible; pure.

#include <string>

#include "absl/strings/string_view.h"

namespace sluice::mysql {

// What a statement read from the binlog is, as far as publishing it goes.
enum class StatementKind {
  // Creates, alters, renames, drops or truncates the structure of databases: tables, indexes,
  // databases, views, stored routines, triggers, events, sequences, packages. Published as a
  // schema change (include.schema.changes), redacted.
  kStructure,
  // Users, roles, privileges and passwords: CREATE/ALTER/DROP/RENAME USER, CREATE/DROP ROLE,
  // GRANT, REVOKE, SET PASSWORD, SET [DEFAULT] ROLE. Never published.
  kAccount,
  // Anything else: servers (CREATE SERVER), replication (CHANGE MASTER), plugins, FLUSH,
  // ANALYZE/OPTIMIZE/REPAIR, SET, transaction control, DML, what the scanner does not recognise.
  // Never published.
  kOther,
};

StatementKind ClassifyStatement(absl::string_view sql);

// The text written in place of each credential.
inline constexpr absl::string_view kRedacted = "'<secret>'";

// `sql` with every credential it carries replaced by kRedacted; everything else byte for byte.
// A credential is the literal (a 'string', with or without a _charset introducer or X prefix, or
// a 0x... number) that follows
//   IDENTIFIED [WITH|VIA plugin] BY|AS|USING [PASSWORD]   (and each later BY, AS, USING)
//   any word ending in PASSWORD, with or without "=" (PASSWORD 'x' in CREATE SERVER's OPTIONS,
//     MASTER_PASSWORD=, SOURCE_PASSWORD=, SET PASSWORD =, a column named password compared
//     with a string), and every string inside PASSWORD(...) and OLD_PASSWORD(...)
//   REPLACE (ALTER USER's and SET PASSWORD's current password)
// and the password of a user:password@ URL after CONNECTION (FEDERATED and CONNECT tables).
// Comments are redacted the same way (their text is read as SQL). Over-redacting a string that
// only looks like a credential is the accepted cost.
std::string RedactSecrets(absl::string_view sql);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SQL_SECRETS_H_
