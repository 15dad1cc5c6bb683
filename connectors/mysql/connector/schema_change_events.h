#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_CHANGE_EVENTS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_CHANGE_EVENTS_H_

// Schema-change events to <topic.prefix> (include.schema.changes): key {databaseName}, value
// {source, ts_ms, databaseName, schemaName, ddl, tableChanges}, with each changed table described
// as Debezium's io.debezium.connector.schema.Table (table_structure.h).
//
// Thread: the task thread.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/offset.h"
#include "connectors/mysql/connector/source_block.h"
#include "connectors/mysql/connector/table_structure.h"

namespace sluice::mysql {

class SchemaChangeEvents {
 public:
  SchemaChangeEvents(const Host& host, const ConnectorConfig& config, SourceBlock& source);

  // Appends one schema change. `table` (may be null) is source.table; `changes` the tables the
  // statement changed.
  absl::Status SchemaChange(sluice_batch* batch, const std::string& db, absl::string_view ddl,
                            const SourcePosition& source, const OffsetState& offset,
                            const std::string* table = nullptr,
                            absl::Span<const TableChange> changes = {});

 private:
  absl::Status EnsureSchemas();
  sluice_value* BuildTableChange(sluice_batch* batch, const TableChange& change);

  const Host& host_;
  const sluice_host_api* api_;
  const ConnectorConfig& config_;
  SourceBlock& source_;
  const sluice_schema* key_ = nullptr;
  const sluice_schema* value_ = nullptr;
  const sluice_schema* changes_ = nullptr;       // array of table_change_
  const sluice_schema* table_change_ = nullptr;  // io.debezium.connector.schema.Change
  const sluice_schema* table_ = nullptr;         // ...schema.Table
  const sluice_schema* column_ = nullptr;        // ...schema.Column
  const sluice_schema* columns_ = nullptr;
  const sluice_schema* names_ = nullptr;  // optional array of strings
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_CHANGE_EVENTS_H_
