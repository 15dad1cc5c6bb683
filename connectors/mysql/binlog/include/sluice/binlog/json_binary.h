// MySQL's binary JSON (the storage format of JSON columns, as it appears in row images) to
// JSON text. MariaDB stores JSON as text and needs none of this.
//
// The text is compact (no spaces), like Debezium's: {"a":1,"b":[true,null]}. Numbers keep
// their stored type: integers print exactly, doubles in the shortest form that reads back
// the same. Opaque values print as MySQL shows them: DECIMAL as a number, DATE/TIME/DATETIME/
// TIMESTAMP as quoted strings, anything else as "base64:typeNN:<base64>".
#ifndef SLUICE_BINLOG_JSON_BINARY_H_
#define SLUICE_BINLOG_JSON_BINARY_H_

#include <cstdint>
#include <span>
#include <string>

#include "absl/status/status.h"

namespace sluice::binlog {

// Appends the text of `binary` to *out. An empty value is the JSON null (MySQL writes that for
// a JSON column set to JSON null by some paths). Malformed input (a string or key that is not
// UTF-8 and a NaN or infinite double included: the text is always valid JSON), nesting deeper
// than 150 or output larger than 64 times the input give DataLoss and leave *out partly appended.
absl::Status AppendJsonBinaryAsText(std::span<const uint8_t> binary, std::string* out);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_JSON_BINARY_H_
