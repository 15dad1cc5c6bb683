#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_MODEL_CHECK_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_MODEL_CHECK_H_

// The schema model (schema_model.h) checked against the table map of the next rows event of its
// table: the map was written with the table as it then was, so with binlog_row_metadata=FULL its
// column count, names and types must be the model's. A difference means the model went wrong
// (a statement applied differently than the server did), and its schema changes would describe
// a table that never was.
//
// Thread-compatible; pure.

#include <optional>
#include <string>

#include "connectors/mysql/connector/table_structure.h"
#include "sluice/binlog/table_map.h"

namespace sluice::mysql {

// What differs between `model` and `map` ("column 2 is `b` in the binlog, `c` in the model");
// nullopt when they agree. Names are compared only when the map carries them.
std::optional<std::string> ModelMismatch(const TableStructure& model, const binlog::TableMap& map);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SCHEMA_MODEL_CHECK_H_
