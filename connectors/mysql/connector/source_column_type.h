#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_COLUMN_TYPE_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_COLUMN_TYPE_H_

// A column's type as the server declares it, read the way Debezium's MySQL DDL parser reads a
// column definition: the name Debezium's Column.typeName() gives (upper case, modifiers kept:
// "INT UNSIGNED ZEROFILL", "VARCHAR", "ENUM"), its length and its scale. The column policies
// (column_policies.h) need it: `__debezium.source.column.*` schema parameters,
// datatype.propagate.source.type's `<db>.<table>.<type>` names, which columns a mask or hash
// applies to and the length a hash is cut to.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace sluice::mysql {

struct SourceColumnType {
  std::string name;               // "VARCHAR", "INT UNSIGNED", "DECIMAL"; empty: not known
  std::optional<int32_t> length;  // (n), (p,s)'s p, a temporal's (fsp); ENUM 1, SET 2n-1
  std::optional<int32_t> scale;   // (p,s)'s s

  bool known() const { return !name.empty(); }
  // True for the types Debezium maps to a character JDBC type (CHAR, VARCHAR, the TEXTs, NCHAR,
  // NVARCHAR, ENUM, SET): the only ones a mask or a hash changes.
  bool character() const;
};

// information_schema's COLUMN_TYPE ("int(10) unsigned", "decimal(10,2)", "enum('a','b')",
// "datetime(3)", "varchar(255)"), the same text SHOW CREATE TABLE shows, which Debezium parses.
SourceColumnType ParseSourceColumnType(absl::string_view column_type);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_COLUMN_TYPE_H_
