#include "connectors/mysql/connector/ddl_events.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "connectors/mysql/connector/catalog.h"
#include "connectors/mysql/connector/sql_secrets.h"
#include "connectors/mysql/connector/table_structure.h"

namespace sluice::mysql {

absl::Status DdlEvents::Statement(sluice_batch* batch, const std::string& db,
                                  absl::string_view sql, const std::string& word,
                                  const SourcePosition& source, const OffsetState& done,
                                  uint64_t next_pos) {
  const std::vector<DdlTarget> targets = DdlTargets(sql, db);
  // A TRUNCATE written as a `t` record is not a schema change for Debezium 3.6.1's MySQL
  // connector; its MariaDB connector (3.0.0) writes both (tests/reference/debezium).
  const bool truncate_record = word == "TRUNCATE" && !config_.skip_truncate;
  if (config_.include_schema_changes && !(truncate_record && config_.flavor == "mysql")) {
    absl::Status status = SchemaChange(batch, db, sql, targets, source, done, next_pos);
    if (!status.ok()) return status;
  }
  if (word != "TRUNCATE" || config_.skip_truncate || targets.empty()) return absl::OkStatus();

  const DdlTarget& truncated = targets.front();
  if (!filters_.IncludeTable(truncated.db, truncated.table)) return absl::OkStatus();
  absl::StatusOr<const TableSchema*> truncated_schema =
      schemas_.LatestOrCatalog(truncated.db, truncated.table);
  if (!truncated_schema.ok()) return truncated_schema.status();
  if (*truncated_schema == nullptr) {
    // Only when the table is gone from the catalog (dropped after the TRUNCATE, before the
    // connector read it): there is no structure to describe its records with.
    host_.Log(SLUICE_LOG_WARN,
              absl::StrCat("TRUNCATE of `", truncated.db, ".", truncated.table, "` at ",
                           source.file, ":", source.pos,
                           " not emitted: the table no longer exists, so its structure is unknown"));
    return absl::OkStatus();
  }
  return builder_.changes.Truncate(batch, **truncated_schema, source, done);
}

absl::Status DdlEvents::SchemaChange(sluice_batch* batch, const std::string& db,
                                     absl::string_view sql, const std::vector<DdlTarget>& targets,
                                     const SourcePosition& source, const OffsetState& done,
                                     uint64_t next_pos) {
  if (targets.empty()) {
    // Not about a table (CREATE DATABASE, a view, ...): attributed to the current database.
    if (db.empty() || !filters_.IncludeDatabase(db)) return absl::OkStatus();
    return builder_.schema_changes.SchemaChange(batch, db, sql, source, done);
  }
  std::string event_db, tables;
  std::vector<TableChange> changes;
  for (const DdlTarget& target : targets) {
    if (!filters_.IncludeDatabase(target.db)) continue;
    const bool captured = filters_.IncludeTable(target.db, target.table);
    if (target.kind == DdlTarget::kDrop) {
      // As Debezium: one event per dropped table, with its own DROP statement.
      TableChange change{TableChangeType::kDrop, target.db, target.table, std::nullopt};
      absl::Status status = builder_.schema_changes.SchemaChange(
          batch, target.db, target.ddl, source, done, &target.table,
          captured ? absl::Span<const TableChange>(&change, 1) : absl::Span<const TableChange>());
      if (!status.ok()) return status;
      continue;
    }
    if (event_db.empty()) event_db = target.db;
    absl::StrAppend(&tables, tables.empty() ? "" : ",", target.table);
    if (!captured || target.kind == DdlTarget::kTruncate) continue;
    // The structure as the server describes it now: right after this statement when streaming
    // is caught up; a later one when catching up on a backlog (docs: "Differences").
    absl::StatusOr<Connection*> connection = query_connection_();
    if (!connection.ok()) return connection.status();
    InformationSchemaCatalog catalog(**connection);
    absl::StatusOr<std::optional<TableStructure>> structure =
        ReadTableStructure(catalog, target.db, target.table);
    if (!structure.ok()) return structure.status();
    if (structure->has_value()) {
      absl::StatusOr<LaterStatement> later =
          FindLaterStatement(**connection, source.file, next_pos, target.table, /*budget=*/20000);
      if (later.ok() && *later == LaterStatement::kNamesTable) structure->reset();
    }
    if (!structure->has_value()) {
      host_.Log(SLUICE_LOG_WARN,
                absl::StrCat("the structure of `", target.db, ".", target.table, "` after `",
                             RedactSecrets(sql).substr(0, 80), "` at ", source.file, ":", source.pos,
                             " is unknown: the table changed again (or is gone) before the "
                             "connector read this statement; its tableChanges entry has table=null"));
    }
    changes.push_back(TableChange{target.kind == DdlTarget::kCreate ? TableChangeType::kCreate
                                                                    : TableChangeType::kAlter,
                                  target.db, target.table, std::move(*structure)});
  }
  if (event_db.empty()) return absl::OkStatus();
  return builder_.schema_changes.SchemaChange(batch, event_db, sql, source, done, &tables,
                                              changes);
}

}  // namespace sluice::mysql
