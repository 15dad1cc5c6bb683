#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_TEXT_VALUE_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_TEXT_VALUE_H_

// A column value as the text protocol shows it (snapshot SELECTs, and a column's DEFAULT), as the
// datum its event field carries.

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/connector/column_def.h"
#include "connectors/mysql/connector/value_encoding.h"
#include "sluice/connector.h"

namespace sluice::mysql {

// The datum for a value as the text protocol shows it. `is_null` for SQL NULL. Geometry is not
// handled here (a struct: the change event reads its WKB and SRID itself). The datum's views
// point into `text` or `scratch`.
absl::StatusOr<sluice_datum> DatumFromText(absl::string_view text, bool is_null,
                                           const ColumnDef& def, Scratch& scratch);

// The field schema's default: the column's default_value converted as a value of the column,
// nullopt when it has none or is of a kind whose default Sluice does not carry (binary, JSON,
// geometry). The datum's views point into `scratch`. InvalidArgument when the text does not
// convert.
absl::StatusOr<std::optional<sluice_datum>> DefaultDatum(const ColumnDef& def, Scratch& scratch);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_TEXT_VALUE_H_
