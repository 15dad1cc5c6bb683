#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_ID_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_ID_H_

// A table's identity inside the connector: its database and its name, kept apart. Every map or
// set the connector keeps per table is keyed by it. A name joined with a dot is not an identity:
// with backquotes both `a.b`.`c` and `a`.`b.c` are legal tables and both join to "a.b.c", so a
// joined key would hand one table's catalog facts, filter answer or latest version to the other.
// Joined names stay where Debezium defines them (filters' regular expressions, topic names,
// transaction metadata's data collections); the topic names are checked for such a clash
// (TableSchemaBuilder::Build).

#include <compare>
#include <string>
#include <utility>

namespace sluice::mysql {

struct TableId {
  std::string db;
  std::string table;

  friend bool operator==(const TableId&, const TableId&) = default;
  friend auto operator<=>(const TableId&, const TableId&) = default;
  template <typename H>
  friend H AbslHashValue(H hash, const TableId& id) {
    return H::combine(std::move(hash), id.db, id.table);
  }
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_ID_H_
