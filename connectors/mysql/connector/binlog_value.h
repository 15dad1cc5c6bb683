#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_BINLOG_VALUE_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_BINLOG_VALUE_H_

// A column value decoded from the binlog, as the datum its event field carries (streaming).

#include "absl/status/statusor.h"
#include "connectors/mysql/connector/column_def.h"
#include "connectors/mysql/connector/value_encoding.h"
#include "sluice/binlog/column_value.h"
#include "sluice/connector.h"

namespace sluice::mysql {

// The datum for a value read from the binlog. kGeometry is not handled here (it is a struct:
// the change event reads its WKB and SRID itself). A kAbsent value (a column the row image left
// out) is the column's unavailable_placeholder, or FailedPrecondition naming the column and
// binlog_row_image when it has none. The datum's views point into the value, the def or
// `scratch`.
absl::StatusOr<sluice_datum> DatumFromBinlog(const binlog::ColumnValue& value, const ColumnDef& def,
                                             Scratch& scratch);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_BINLOG_VALUE_H_
