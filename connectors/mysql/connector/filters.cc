#include "connectors/mysql/connector/filters.h"

#include "absl/strings/ascii.h"


namespace sluice::mysql {

Filters::List Filters::Build(const std::vector<std::string>& include,
                             const std::vector<std::string>& exclude) {
  List list;
  list.include = !include.empty() || exclude.empty();
  // Checked to compile by ParseConnectorConfig, so this does not throw.
  for (const std::string& pattern : include.empty() ? exclude : include) {
    list.patterns.emplace_back(pattern, std::regex::ECMAScript | std::regex::icase);
  }
  return list;
}

bool Filters::List::Allows(const std::string& name) const {
  bool matched = false;
  for (const std::regex& pattern : patterns) {
    if (std::regex_match(name, pattern)) {
      matched = true;
      break;
    }
  }
  if (include) return patterns.empty() || matched;
  return !matched;
}

Filters::Filters(const ConnectorConfig& config)
    : databases_(Build(config.database_include, config.database_exclude)),
      tables_(Build(config.table_include, config.table_exclude)),
      columns_(Build(config.column_include, config.column_exclude)) {
  for (const ConnectorConfig::KeyColumns& rule : config.message_key_columns) {
    key_columns_.emplace_back(std::regex(rule.table_pattern, std::regex::ECMAScript | std::regex::icase),
                              rule.columns);
  }
}

std::vector<std::string> Filters::KeyColumns(const std::string& db,
                                             const std::string& table) const {
  const std::string name = db + "." + table;
  for (const auto& [pattern, columns] : key_columns_) {
    if (std::regex_match(name, pattern)) return columns;
  }
  return {};
}

bool Filters::IncludeDatabase(const std::string& db) const {
  const std::string lower = absl::AsciiStrToLower(db);
  if (lower == "mysql" || lower == "sys" || lower == "information_schema" ||
      lower == "performance_schema") {
    return false;
  }
  return databases_.Allows(db);
}

bool Filters::IncludeTable(const std::string& db, const std::string& table) const {
  return IncludeDatabase(db) && tables_.Allows(db + "." + table);
}

bool Filters::IncludeColumn(const std::string& db, const std::string& table,
                            const std::string& column) const {
  return columns_.Allows(db + "." + table + "." + column);
}

}  // namespace sluice::mysql
