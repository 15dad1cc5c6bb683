#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_SCHEMA_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_SCHEMA_H_

// The schemas of one table version as its change events carry them: the key (the primary key or
// message.key.columns), the value (the captured columns) and the envelope
// {before, after, source, op, ts_ms, ts_us, ts_ns, transaction}. Built once per table version and
// reused for every row.
//
// Thread: the task thread (schema building is a host call of that thread).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "connectors/mysql/connector/column_def.h"
#include "connectors/mysql/connector/column_policies.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/source_block.h"
#include "connectors/mysql/connector/table_id.h"

namespace sluice::mysql {

// A table version as events see it.
struct TableSchema {
  std::string db, table, topic;
  std::vector<ColumnDef> defs;      // the captured columns, in table order
  std::vector<int> source_columns;  // defs[i] is column source_columns[i] of the table / row
  std::vector<int> key_fields;      // indexes into defs, in primary-key order; empty: no key
  const sluice_schema* key = nullptr;
  const sluice_schema* value = nullptr;
  const sluice_schema* envelope = nullptr;
  std::vector<const sluice_schema*> value_fields;  // defs[i]'s field schema in the value
  std::vector<const sluice_schema*> key_field_schemas;  // key_fields[i]'s in the key (required)
  // defs[i]'s column policy in the value (before and after); the key's fields have none, as in
  // Debezium. Empty when no policy matches any column.
  std::vector<std::optional<ColumnPolicy>> policies;
  std::string record_name;  // "a record for table `db.table`", for messages
};

class TableSchemaBuilder {
 public:
  TableSchemaBuilder(const Host& host, const ConnectorConfig& config, SourceBlock& source);

  // The schemas of one table version. `defs`/`source_columns` as in TableSchema; `key_fields`
  // indexes into defs. A column whose DEFAULT does not convert fails, naming it. FailedPrecondition
  // when another table's records already go to the same topic: `a.b`.`c` and `a`.`b.c` are both
  // `<topic.prefix>.a.b.c`, and their records (each with its own schemas under one subject) would
  // mix in one topic, which Debezium lets happen silently.
  absl::StatusOr<std::unique_ptr<TableSchema>> Build(const std::string& db,
                                                     const std::string& table,
                                                     std::vector<ColumnDef> defs,
                                                     std::vector<int> source_columns,
                                                     std::vector<int> key_fields);

 private:
  // The field schema of a column: Debezium's type for its kind, its DEFAULT as the schema's
  // default, the parameters `policy` adds. `force_required`: a key field, never optional.
  absl::StatusOr<const sluice_schema*> FieldSchema(const ColumnDef& def, bool force_required,
                                                   const ColumnPolicy* policy = nullptr);
  // A Geometry or Point schema, built once per kind and optionality.
  absl::StatusOr<const sluice_schema*> GeometrySchema(bool point, bool optional);
  absl::StatusOr<SchemaArgs> GeometryArgs(bool point, bool optional);

  const Host& host_;
  const ConnectorConfig& config_;
  SourceBlock& source_;
  ColumnPolicies policies_;  // the config's, compiled once
  const sluice_schema* geometry_[2][2] = {};  // [Geometry, Point][required, optional]
  // The table each topic was built for (Build refuses a second table for one topic).
  absl::flat_hash_map<std::string, TableId> topic_owners_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_TABLE_SCHEMA_H_
