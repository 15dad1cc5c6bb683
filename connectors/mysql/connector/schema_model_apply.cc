#include "connectors/mysql/connector/schema_model_apply.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace sluice::mysql {
namespace {

// Column names are case-insensitive on both servers.
std::vector<ColumnStructure>::iterator FindColumn(TableStructure& table, const std::string& name) {
  return std::find_if(table.columns.begin(), table.columns.end(), [&](const ColumnStructure& c) {
    return absl::EqualsIgnoreCase(c.name, name);
  });
}

absl::Status NoColumn(const DdlTableRef& table, const std::string& name) {
  return absl::FailedPreconditionError(
      absl::StrCat("the schema model of `", table.db, ".", table.table, "` has no column `", name,
                   "`"));
}

void Renumber(TableStructure& table) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    table.columns[i].position = static_cast<int32_t>(i + 1);
  }
}

void MarkKeyColumnsRequired(TableStructure& table) {
  for (const std::string& key : table.primary_key) {
    auto column = FindColumn(table, key);
    if (column != table.columns.end()) column->optional = false;
  }
}

// The column as the table holds it: the table's charset when it names none.
ColumnStructure Resolve(const DdlColumn& definition, const TableStructure& table) {
  ColumnStructure column = definition.column;
  if (definition.character && !column.charset.has_value()) column.charset = table.default_charset;
  return column;
}

// Puts `column` where `place` says; kUnchanged: at `index` (SIZE_MAX: last).
absl::Status Place(TableStructure& table, const DdlTableRef& ref, ColumnStructure column,
                   const DdlColumnPlace& place, size_t index) {
  if (place.kind == DdlColumnPlace::kFirst) {
    index = 0;
  } else if (place.kind == DdlColumnPlace::kAfter) {
    auto after = FindColumn(table, place.after);
    if (after == table.columns.end()) return NoColumn(ref, place.after);
    index = static_cast<size_t>(after - table.columns.begin()) + 1;
  }
  index = std::min(index, table.columns.size());
  table.columns.insert(table.columns.begin() + static_cast<ptrdiff_t>(index), std::move(column));
  return absl::OkStatus();
}

// The most bytes a character of `charset` takes (the common ones; 4 for any other).
int MaxBytes(absl::string_view charset) {
  if (charset == "latin1" || charset == "ascii" || charset == "binary" || charset == "latin2" ||
      charset == "cp1250" || charset == "cp1251" || charset == "cp1252" || charset == "greek" ||
      charset == "hebrew" || charset == "swe7" || charset == "koi8r" || charset == "koi8u") {
    return 1;
  }
  if (charset == "ucs2" || charset == "big5" || charset == "gbk" || charset == "sjis") return 2;
  if (charset == "utf8mb3" || charset == "ujis" || charset == "eucjpms") return 3;
  return 4;
}

void RenameKeyColumn(TableStructure& table, const std::string& from, const std::string& to) {
  for (std::string& key : table.primary_key) {
    if (absl::EqualsIgnoreCase(key, from)) key = to;
  }
}

absl::Status ApplySpec(const DdlAlterSpec& spec, const DdlTableRef& ref, TableStructure& table) {
  switch (spec.kind) {
    case DdlAlterSpec::kAddColumn: {
      if (FindColumn(table, spec.column.column.name) != table.columns.end()) {
        if (spec.if_exists) return absl::OkStatus();  // ADD COLUMN IF NOT EXISTS
        return absl::FailedPreconditionError(
            absl::StrCat("the schema model of `", ref.db, ".", ref.table, "` already has column `",
                         spec.column.column.name, "`"));
      }
      absl::Status placed =
          Place(table, ref, Resolve(spec.column, table), spec.place, table.columns.size());
      if (!placed.ok()) return placed;
      if (spec.column.primary_key) table.primary_key = {spec.column.column.name};
      return absl::OkStatus();
    }
    case DdlAlterSpec::kDropColumn: {
      auto column = FindColumn(table, spec.name);
      if (column == table.columns.end()) {
        return spec.if_exists ? absl::OkStatus() : NoColumn(ref, spec.name);
      }
      table.columns.erase(column);
      table.primary_key.erase(
          std::remove_if(table.primary_key.begin(), table.primary_key.end(),
                         [&](const std::string& key) { return absl::EqualsIgnoreCase(key, spec.name); }),
          table.primary_key.end());
      return absl::OkStatus();
    }
    case DdlAlterSpec::kModifyColumn:
    case DdlAlterSpec::kChangeColumn: {
      const std::string& old_name =
          spec.kind == DdlAlterSpec::kModifyColumn ? spec.column.column.name : spec.name;
      auto column = FindColumn(table, old_name);
      if (column == table.columns.end()) {
        return spec.if_exists ? absl::OkStatus() : NoColumn(ref, old_name);
      }
      const size_t index = static_cast<size_t>(column - table.columns.begin());
      table.columns.erase(column);
      absl::Status placed = Place(table, ref, Resolve(spec.column, table), spec.place, index);
      if (!placed.ok()) return placed;
      RenameKeyColumn(table, old_name, spec.column.column.name);
      if (spec.column.primary_key) table.primary_key = {spec.column.column.name};
      return absl::OkStatus();
    }
    case DdlAlterSpec::kRenameColumn: {
      auto column = FindColumn(table, spec.name);
      if (column == table.columns.end()) {
        return spec.if_exists ? absl::OkStatus() : NoColumn(ref, spec.name);
      }
      column->name = spec.new_name;
      RenameKeyColumn(table, spec.name, spec.new_name);
      return absl::OkStatus();
    }
    case DdlAlterSpec::kSetDefault:
    case DdlAlterSpec::kDropDefault: {
      auto column = FindColumn(table, spec.name);
      if (column == table.columns.end()) {
        return spec.if_exists ? absl::OkStatus() : NoColumn(ref, spec.name);
      }
      // An AUTO_INCREMENT column keeps no default: the server takes SET DEFAULT and drops it.
      column->default_value = spec.kind == DdlAlterSpec::kSetDefault && !column->auto_incremented
                                  ? spec.default_value
                                  : std::nullopt;
      return absl::OkStatus();
    }
    case DdlAlterSpec::kAddPrimaryKey:
      for (const std::string& key : spec.key) {
        if (FindColumn(table, key) == table.columns.end()) return NoColumn(ref, key);
      }
      table.primary_key.clear();
      for (const std::string& key : spec.key) table.primary_key.push_back(FindColumn(table, key)->name);
      return absl::OkStatus();
    case DdlAlterSpec::kDropPrimaryKey:
      table.primary_key.clear();
      return absl::OkStatus();
    case DdlAlterSpec::kTableCharset:
      table.default_charset = spec.charset;
      return absl::OkStatus();
    case DdlAlterSpec::kConvertCharset:
      table.default_charset = spec.charset;
      for (ColumnStructure& column : table.columns) {
        if (!column.charset.has_value()) continue;
        // The server keeps a TEXT's length in characters: where a character takes more bytes, a
        // TINYTEXT becomes a TEXT, a TEXT a MEDIUMTEXT, a MEDIUMTEXT a LONGTEXT.
        if (MaxBytes(spec.charset) > MaxBytes(*column.charset)) {
          if (column.type_name == "TINYTEXT") {
            column.type_name = "TEXT";
          } else if (column.type_name == "TEXT") {
            column.type_name = "MEDIUMTEXT";
          } else if (column.type_name == "MEDIUMTEXT") {
            column.type_name = "LONGTEXT";
          }
        }
        column.charset = spec.charset;
      }
      return absl::OkStatus();
    case DdlAlterSpec::kRenameTable:
      return absl::OkStatus();  // the caller moves the table
  }
  return absl::OkStatus();
}

absl::Status CreateTable(const DdlStatement& statement, SchemaModel& model,
                         const DatabaseCharsetLookup& database_charset) {
  const DdlTableRef& ref = statement.table;
  if (statement.if_not_exists && !model.KnownAbsent(ref.db, ref.table)) {
    // Created only if it did not exist: the model cannot say which, unless it knows the table.
    return absl::OkStatus();
  }
  TableStructure table;
  if (statement.charset.has_value()) {
    table.default_charset = statement.charset;
  } else if (std::optional<std::string> known = model.DatabaseCharset(ref.db)) {
    table.default_charset = std::move(known);
  } else {
    absl::StatusOr<std::string> charset = database_charset(ref.db);
    if (!charset.ok()) return charset.status();
    model.LearnDatabaseCharset(ref.db, *charset);
    table.default_charset = *std::move(charset);
  }
  for (const DdlColumn& definition : statement.columns) {
    table.columns.push_back(Resolve(definition, table));
    if (definition.primary_key) table.primary_key.push_back(definition.column.name);
  }
  if (!statement.primary_key.empty()) table.primary_key.clear();
  for (const std::string& key : statement.primary_key) {
    auto column = FindColumn(table, key);
    if (column == table.columns.end()) return NoColumn(ref, key);
    table.primary_key.push_back(column->name);
  }
  MarkKeyColumnsRequired(table);
  Renumber(table);
  model.Put(ref.db, ref.table, std::move(table));
  return absl::OkStatus();
}

absl::Status Apply(const DdlStatement& statement, SchemaModel& model,
                   const DatabaseCharsetLookup& database_charset) {
  const DdlTableRef& ref = statement.table;
  switch (statement.kind) {
    case DdlStatement::kOther:
    case DdlStatement::kTruncate:
      return absl::OkStatus();
    case DdlStatement::kDatabase:
      if (statement.charset.has_value()) {
        model.LearnDatabaseCharset(ref.db, *statement.charset);
      } else {
        model.ForgetDatabaseCharset(ref.db);  // the server's default, or unchanged: ask it
      }
      return absl::OkStatus();
    case DdlStatement::kCreateTable:
      if (statement.if_not_exists && model.Find(ref.db, ref.table) != nullptr) {
        return absl::OkStatus();  // it existed: unchanged
      }
      return CreateTable(statement, model, database_charset);
    case DdlStatement::kCreateLike: {
      if (statement.if_not_exists && model.Find(ref.db, ref.table) != nullptr) {
        return absl::OkStatus();
      }
      const TableStructure* source = model.Find(statement.like.db, statement.like.table);
      if (source == nullptr ||
          (statement.if_not_exists && !model.KnownAbsent(ref.db, ref.table))) {
        model.Forget(ref.db, ref.table);
        return absl::OkStatus();
      }
      TableStructure copy = *source;
      model.Put(ref.db, ref.table, std::move(copy));
      return absl::OkStatus();
    }
    case DdlStatement::kAlterTable: {
      const TableStructure* known = model.Find(ref.db, ref.table);
      if (known == nullptr) return absl::OkStatus();
      TableStructure table = *known;
      DdlTableRef name = ref;
      for (const DdlAlterSpec& spec : statement.specs) {
        absl::Status status = ApplySpec(spec, ref, table);
        if (!status.ok()) return status;
        if (spec.kind == DdlAlterSpec::kRenameTable) name = spec.to;
      }
      MarkKeyColumnsRequired(table);
      Renumber(table);
      if (name.db != ref.db || name.table != ref.table) model.Remove(ref.db, ref.table);
      model.Put(name.db, name.table, std::move(table));
      return absl::OkStatus();
    }
    case DdlStatement::kRenameTables:
      for (const auto& [from, to] : statement.renames) {
        const TableStructure* known = model.Find(from.db, from.table);
        if (known == nullptr) {
          model.Forget(to.db, to.table);
        } else {
          TableStructure moved = *known;
          model.Put(to.db, to.table, std::move(moved));
        }
        model.Remove(from.db, from.table);
      }
      return absl::OkStatus();
    case DdlStatement::kDropTables:
      for (const DdlTableRef& dropped : statement.drops) model.Remove(dropped.db, dropped.table);
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyDdl(const DdlStatement& statement, SchemaModel& model,
                      const DatabaseCharsetLookup& database_charset) {
  absl::Status status = Apply(statement, model, database_charset);
  if (status.ok() || !absl::IsFailedPrecondition(status)) return status;
  // Not applied: what the model held of the tables named is no longer this position's.
  model.Forget(statement.table.db, statement.table.table);
  for (const DdlAlterSpec& spec : statement.specs) {
    if (spec.kind == DdlAlterSpec::kRenameTable) model.Forget(spec.to.db, spec.to.table);
  }
  return status;
}

}  // namespace sluice::mysql
