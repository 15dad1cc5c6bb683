#include "connectors/mysql/connector/source_column_type.h"

#include "absl/strings/string_view.h"

namespace sluice::mysql {

bool SourceColumnType::character() const {
  // Debezium's DDL parser keeps a BINARY attribute in the name ("CHAR BINARY"); the base type
  // decides the JDBC type.
  const absl::string_view base = absl::string_view(name).substr(0, name.find(' '));
  for (absl::string_view type : {"CHAR", "VARCHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT",
                                 "NCHAR", "NVARCHAR", "ENUM", "SET"}) {
    if (base == type) return true;
  }
  return false;
}

}  // namespace sluice::mysql
