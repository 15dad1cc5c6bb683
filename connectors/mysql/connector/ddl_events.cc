#include "connectors/mysql/connector/ddl_events.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "connectors/mysql/connector/catalog.h"
#include "connectors/mysql/connector/ddl_parser.h"
#include "connectors/mysql/connector/schema_model_apply.h"
#include "connectors/mysql/connector/schema_model_check.h"
#include "connectors/mysql/connector/sql_secrets.h"

namespace sluice::mysql {
namespace {

// How a statement is named in messages: its start, credentials redacted.
std::string Excerpt(absl::string_view sql) {
  std::string text = RedactSecrets(sql);
  if (text.size() > 120) text = absl::StrCat(text.substr(0, 120), "...");
  return text;
}

}  // namespace

absl::StatusOr<bool> DdlEvents::Mariadb() {
  if (mariadb_.has_value()) return *mariadb_;
  absl::StatusOr<Connection*> connection = query_connection_();
  if (!connection.ok()) return connection.status();
  mariadb_ = InformationSchemaCatalog(**connection).mariadb();
  return *mariadb_;
}

absl::Status DdlEvents::ModelFailure(const absl::Status& why, absl::string_view sql,
                                     const SourcePosition& source,
                                     const std::vector<DdlTarget>& tables) {
  const std::string message =
      absl::StrCat("the schema model cannot apply `", Excerpt(sql), "` at ", source.file, ":",
                   source.pos, ": ", why.message());
  if (config_.model_failure_mode == ModelFailureMode::kFail) {
    return absl::FailedPreconditionError(absl::StrCat(
        message,
        "; set schema.model.unparseable.handling.mode=warn to describe its tables from "
        "information_schema instead"));
  }
  host_.Log(SLUICE_LOG_WARN,
            absl::StrCat(message, "; its tables are described from information_schema "
                                  "(schema.model.unparseable.handling.mode=warn)"));
  for (const DdlTarget& table : tables) model_.Forget(table.db, table.table);
  return absl::OkStatus();
}

absl::Status DdlEvents::AdvanceModel(const std::string& db, absl::string_view sql,
                                     const SourcePosition& source) {
  absl::StatusOr<bool> mariadb = Mariadb();
  if (!mariadb.ok()) return mariadb.status();
  const std::vector<DdlTarget> targets = DdlTargets(sql, db);
  bool captured = false;
  for (const DdlTarget& target : targets) captured = captured || filters_.IncludeDatabase(target.db);
  absl::StatusOr<DdlStatement> statement = ParseDdl(sql, db, *mariadb);
  if (!statement.ok()) {
    // Only a statement about a captured database matters; others are no table of ours.
    if (!captured) return absl::OkStatus();
    return ModelFailure(statement.status(), sql, source, targets);
  }
  absl::Status applied = ApplyDdl(
      *statement, model_, [this](const std::string& database) -> absl::StatusOr<std::string> {
        absl::StatusOr<Connection*> connection = query_connection_();
        if (!connection.ok()) return connection.status();
        InformationSchemaCatalog catalog(**connection);
        absl::StatusOr<std::optional<std::string>> charset = catalog.DatabaseCharset(database);
        if (!charset.ok()) return charset.status();
        if (!charset->has_value()) {
          return absl::FailedPreconditionError(
              absl::StrCat("database `", database, "` no longer exists, so its charset is unknown"));
        }
        return **charset;
      });
  if (applied.ok()) return applied;
  if (!absl::IsFailedPrecondition(applied)) return applied;
  if (!captured) return absl::OkStatus();
  return ModelFailure(applied, sql, source, targets);
}

absl::Status DdlEvents::CheckTableMap(const binlog::TableMap& map, const std::string& where) {
  const TableStructure* model = model_.Find(map.database, map.table);
  if (model == nullptr) return absl::OkStatus();
  std::optional<std::string> mismatch = ModelMismatch(*model, map);
  if (!mismatch.has_value()) return absl::OkStatus();
  const std::string message =
      absl::StrCat("the schema model of `", map.database, ".", map.table,
                   "` disagrees with the table map at ", where, ": ", *mismatch);
  if (config_.model_failure_mode == ModelFailureMode::kFail) {
    return absl::FailedPreconditionError(absl::StrCat(
        message, "; its schema changes would describe a table that never was. Set "
                 "schema.model.unparseable.handling.mode=warn to go on and describe the table "
                 "from information_schema"));
  }
  host_.Log(SLUICE_LOG_WARN,
            absl::StrCat(message, "; the model forgets the table and reads it from "
                                  "information_schema at its next statement"));
  model_.Forget(map.database, map.table);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<TableStructure>> DdlEvents::StructureAfter(
    const DdlTarget& target, absl::string_view sql, const SourcePosition& source,
    uint64_t next_pos) {
  if (const TableStructure* modelled = model_.Find(target.db, target.table)) {
    return std::optional<TableStructure>(*modelled);
  }
  // First sight: the structure as the server describes it now, right after this statement when
  // nothing later named the table (then it seeds the model); a later one when catching up on a
  // backlog (docs: "Differences").
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
    if (later.ok() && *later == LaterStatement::kNone) {
      model_.Put(target.db, target.table, **structure);
    }
  }
  if (!structure->has_value()) {
    host_.Log(SLUICE_LOG_WARN,
              absl::StrCat("the structure of `", target.db, ".", target.table, "` after `",
                           Excerpt(sql), "` at ", source.file, ":", source.pos,
                           " is unknown: the schema model did not know the table, and it changed "
                           "again (or is gone) before the connector read this statement; its "
                           "tableChanges entry has table=null"));
  }
  return structure;
}

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
    absl::StatusOr<std::optional<TableStructure>> structure =
        StructureAfter(target, sql, source, next_pos);
    if (!structure.ok()) return structure.status();
    changes.push_back(TableChange{target.kind == DdlTarget::kCreate ? TableChangeType::kCreate
                                                                    : TableChangeType::kAlter,
                                  target.db, target.table, std::move(*structure)});
  }
  if (event_db.empty()) return absl::OkStatus();
  return builder_.schema_changes.SchemaChange(batch, event_db, sql, source, done, &tables,
                                              changes);
}

}  // namespace sluice::mysql
