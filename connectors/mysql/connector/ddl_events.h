#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_EVENTS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_EVENTS_H_

// A DDL statement read while streaming, turned into records: schema-change records to
// <topic.prefix> with the tables it changed (include.schema.changes), and TRUNCATE's change record
// (unless skipped.operations has it). The tables' structure comes from the catalog, read when the
// statement is met.
//
// Thread: the task thread.

#include <cstdint>
#include <functional>
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
#include "connectors/mysql/connector/source_block.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::mysql {

class DdlEvents {
 public:
  // The task's query connection, reopened when it idled out; owned by the task.
  using QueryConnection = std::function<absl::StatusOr<Connection*>()>;
  // All must outlive this.
  DdlEvents(Host host, const ConnectorConfig& config, const Filters& filters,
            EventBuilders& builder, SchemaCache& schemas, QueryConnection query_connection)
      : host_(host),
        config_(config),
        filters_(filters),
        builder_(builder),
        schemas_(schemas),
        query_connection_(std::move(query_connection)) {}

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
  EventBuilders& builder_;
  SchemaCache& schemas_;
  QueryConnection query_connection_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_DDL_EVENTS_H_
