#include "connectors/mysql/connector/schema_model.h"

#include <utility>

namespace sluice::mysql {

const TableStructure* SchemaModel::Find(const std::string& db, const std::string& table) const {
  auto it = tables_.find(TableId{db, table});
  return it == tables_.end() ? nullptr : &it->second;
}

void SchemaModel::Put(const std::string& db, const std::string& table, TableStructure structure) {
  const TableId key{db, table};
  absent_.erase(key);
  tables_[key] = std::move(structure);
}

void SchemaModel::Remove(const std::string& db, const std::string& table) {
  const TableId key{db, table};
  tables_.erase(key);
  absent_.insert(key);
}

void SchemaModel::Forget(const std::string& db, const std::string& table) {
  const TableId key{db, table};
  tables_.erase(key);
  absent_.erase(key);
}

bool SchemaModel::KnownAbsent(const std::string& db, const std::string& table) const {
  return absent_.contains(TableId{db, table});
}

std::optional<std::string> SchemaModel::DatabaseCharset(const std::string& db) const {
  auto it = database_charsets_.find(db);
  if (it == database_charsets_.end()) return std::nullopt;
  return it->second;
}

void SchemaModel::LearnDatabaseCharset(const std::string& db, std::string charset) {
  database_charsets_[db] = std::move(charset);
}

}  // namespace sluice::mysql
