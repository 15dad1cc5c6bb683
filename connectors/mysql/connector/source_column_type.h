#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_COLUMN_TYPE_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_COLUMN_TYPE_H_

// A column's type as the server declares it, as Debezium's Column has it: the name its typeName()
// gives (upper case, modifiers kept: "INT UNSIGNED ZEROFILL", "VARCHAR", "ENUM"), its length and
// its scale — table_structure.h's DescribeColumn reads them from the catalog. The column policies
// (column_policies.h) need it: `__debezium.source.column.*` schema parameters,
// datatype.propagate.source.type's `<db>.<table>.<type>` names, which columns a mask or hash
// applies to and the length a hash is cut to.

#include <cstdint>
#include <optional>
#include <string>

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

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_COLUMN_TYPE_H_
