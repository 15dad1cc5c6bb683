#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_EVENTS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_EVENTS_H_

// A DDL statement read while streaming, turned into records: schema-change records to
// <topic.prefix> with the tables it changed (include.schema.changes), and TRUNCATE's change record
// (unless skipped.operations has it). Each statement first advances the schema model
// (schema_model.h) at its position; the tables' structure in `tableChanges` is the model's. A
// table the model does not know yet is read from the catalog (first sight: it seeds the model
// when nothing later changed it); a statement the model cannot apply, and a table map that
// contradicts the model, follow schema.model.unparseable.handling.mode.
//
// Thread: the task thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/ddl_targets.h"
#include "connectors/mysql/connector/event_builders.h"
#include "connectors/mysql/connector/filters.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/offset.h"
#include "connectors/mysql/connector/schema_cache.h"
#include "connectors/mysql/connector/schema_model.h"
#include "connectors/mysql/connector/source_block.h"
#include "connectors/mysql/connector/table_structure.h"
#include "connectors/mysql/server/connection.h"
#include "sluice/binlog/table_map.h"

namespace sluice::mysql {

class DdlEvents {
 public:
  // The task's query connection, reopened when it idled out; owned by the task.
  using QueryConnection = std::function<absl::StatusOr<Connection*>()>;
  // All must outlive this.
  DdlEvents(Host host, const ConnectorConfig& config, const Filters& filters,
            EventBuilders& builder, SchemaCache& schemas, SchemaModel& model,
            QueryConnection query_connection)
      : host_(host),
        config_(config),
        filters_(filters),
        builder_(builder),
        schemas_(schemas),
        model_(model),
        query_connection_(std::move(query_connection)) {}

  // The statement `sql`, run in `db`, at `source`, applied to the schema model: called for every
  // DDL statement, also those whose records a restart says were emitted. The error of
  // schema.model.unparseable.handling.mode=fail (naming the statement and its position), or of
  // the catalog read for a database's charset.
  absl::Status AdvanceModel(const std::string& db, absl::string_view sql,
                            const SourcePosition& source);
  // The table map of the next rows event of a table agrees with the model (nothing to check when
  // the model does not know the table). `where`: the event's position, for the message. A
  // mismatch fails (FailedPrecondition) or, with warn, is logged and the table forgotten.
  absl::Status CheckTableMap(const binlog::TableMap& map, const std::string& where);

  // The statement `sql`, its leading keyword `word`, run in database `db`; at `source` and done
  // at `done`; `next_pos`: where the binlog continues after it (a later statement naming a table
  // makes the catalog's structure not this statement's).
  absl::Status Statement(sluice_batch* batch, const std::string& db, absl::string_view sql,
                         const std::string& word, const SourcePosition& source,
                         const OffsetState& done, uint64_t next_pos);

 private:
  // include.schema.changes: the statement to <topic.prefix>, with the tables it changed.
  absl::Status SchemaChange(sluice_batch* batch, const std::string& db, absl::string_view sql,
                            const std::vector<DdlTarget>& targets, const SourcePosition& source,
                            const OffsetState& done, uint64_t next_pos);

  Host host_;
  const ConnectorConfig& config_;
  const Filters& filters_;
  // The table's structure right after the statement at `source`: the model's, or the catalog's
  // when the model does not know it (seeding the model when nothing later changed the table);
  // nullopt when that is not known.
  absl::StatusOr<std::optional<TableStructure>> StructureAfter(const DdlTarget& target,
                                                              absl::string_view sql,
                                                              const SourcePosition& source,
                                                              uint64_t next_pos);
  // schema.model.unparseable.handling.mode for `why` (about `sql` at `source`, naming `tables`).
  absl::Status ModelFailure(const absl::Status& why, absl::string_view sql,
                            const SourcePosition& source, const std::vector<DdlTarget>& tables);
  absl::StatusOr<bool> Mariadb();

  EventBuilders& builder_;
  SchemaCache& schemas_;
  SchemaModel& model_;
  QueryConnection query_connection_;
  std::optional<bool> mariadb_;  // the server's dialect, asked once
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_EVENTS_H_
