#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_FILTERS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_FILTERS_H_

// Which databases, tables and columns are captured: Debezium's include/exclude lists, each a
// comma-separated list of regular expressions matched against the whole name (`db`, `db.table`,
// `db.table.column`, case-insensitively as Debezium does). Built once; a table's answer is
// cached by the caller (the schema cache), so matching costs nothing per row. The joined names
// are Debezium's, so a table pattern cannot tell `a.b`.`c` from `a`.`b.c` (both "a.b.c"); the
// database lists can. Nothing is keyed by a joined name (table_id.h).

#include <regex>
#include <string>
#include <vector>

#include "connectors/mysql/connector/config.h"

namespace sluice::mysql {

class Filters {
 public:
  explicit Filters(const ConnectorConfig& config);

  bool IncludeDatabase(const std::string& db) const;
  // Also applies the database lists. System databases (mysql, sys, information_schema,
  // performance_schema) are never captured.
  bool IncludeTable(const std::string& db, const std::string& table) const;
  bool IncludeColumn(const std::string& db, const std::string& table,
                     const std::string& column) const;
  // The message.key.columns for `db.table`, in order; empty when none is configured for it (the
  // primary key is the key).
  std::vector<std::string> KeyColumns(const std::string& db, const std::string& table) const;

 private:
  struct List {
    std::vector<std::regex> patterns;
    bool include = true;  // an include list (empty = everything) or an exclude list
    bool Allows(const std::string& name) const;
  };
  static List Build(const std::vector<std::string>& include,
                    const std::vector<std::string>& exclude);

  List databases_, tables_, columns_;
  std::vector<std::pair<std::regex, std::vector<std::string>>> key_columns_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_FILTERS_H_
