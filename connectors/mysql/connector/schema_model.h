#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_MODEL_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_MODEL_H_

// The schema model: each table's structure (`tableChanges`' Table: columns with Debezium's
// attributes, primary key, charset) as of the binlog position streaming has reached. Seeded from
// the catalog when a table is first met (table_structure.h) and advanced by applying each DDL
// statement at its position (schema_model_apply.h), so a schema-change event describes the table
// right after its statement however late the connector reads it. A table the model does not
// know is absent from it: callers then read the catalog, and say when that is not this position.
//
// Not persisted: a restarted task starts empty and seeds again (docs/mysql-connector.md).
//
// Thread: the task thread.

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "connectors/mysql/connector/table_id.h"
#include "connectors/mysql/connector/table_structure.h"

namespace sluice::mysql {

class SchemaModel {
 public:
  // The structure of `db`.`table`; null when the model does not know the table.
  const TableStructure* Find(const std::string& db, const std::string& table) const;
  // The table exists with `structure` (seeded, created, or changed).
  void Put(const std::string& db, const std::string& table, TableStructure structure);
  // The table no longer exists (dropped, renamed away): a CREATE TABLE IF NOT EXISTS of it makes it.
  void Remove(const std::string& db, const std::string& table);
  // The model no longer knows the table (a statement it could not apply): neither its structure
  // nor whether it exists.
  void Forget(const std::string& db, const std::string& table);
  // Known not to exist (Remove), as opposed to unknown.
  bool KnownAbsent(const std::string& db, const std::string& table) const;

  // A database's default charset, as the catalog said it; none until Learned.
  std::optional<std::string> DatabaseCharset(const std::string& db) const;
  void LearnDatabaseCharset(const std::string& db, std::string charset);
  // A CREATE/ALTER DATABASE that names no charset: read again when next needed.
  void ForgetDatabaseCharset(const std::string& db) { database_charsets_.erase(db); }

 private:
  absl::flat_hash_map<TableId, TableStructure> tables_;
  absl::flat_hash_set<TableId> absent_;
  absl::flat_hash_map<std::string, std::string> database_charsets_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_MODEL_H_
