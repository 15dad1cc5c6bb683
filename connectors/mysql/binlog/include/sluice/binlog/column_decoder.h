// Decodes one column value of a row image. The hot path of the whole connector: no heap
// allocation, every read bounds-checked.
#ifndef SLUICE_BINLOG_COLUMN_DECODER_H_
#define SLUICE_BINLOG_COLUMN_DECODER_H_

#include <cstdint>

#include "absl/status/status.h"
#include "sluice/binlog/column_value.h"
#include "sluice/binlog/table_map.h"

namespace sluice::binlog {

// Reads the value of `column` starting at `*pos`, never past `end`; on success stores it in
// `out` and advances `*pos` past it. Views in `out` point into [*pos, end).
absl::Status DecodeColumnValue(const ColumnInfo& column, const uint8_t** pos, const uint8_t* end,
                               ColumnValue* out);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_COLUMN_DECODER_H_
