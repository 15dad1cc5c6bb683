// Shared by the binlog fuzz targets: walk everything a decoded value offers, so the fuzzers
// reach the conversions (decimal text, two's complement, binary JSON) and not just the parse.
#ifndef SLUICE_TESTS_FUZZ_FUZZ_COMMON_H_
#define SLUICE_TESTS_FUZZ_FUZZ_COMMON_H_

#include <string>

#include "sluice/binlog/column_value.h"
#include "sluice/binlog/json_binary.h"
#include "sluice/binlog/json_diff.h"
#include "sluice/binlog/rows_event.h"

namespace sluice::binlog::fuzz {

inline void Touch(const ColumnValue& v) {
  switch (v.kind()) {
    case ValueKind::kDecimal: {
      DecimalView d = v.decimal();
      (void)d.ToString();
      int64_t i;
      (void)d.ToUnscaledInt64(&i);
      uint8_t buf[DecimalView::kMaxUnscaledBytes];
      (void)d.ToUnscaledTwosComplement(buf);
      break;
    }
    case ValueKind::kJson: {
      std::string text;
      (void)AppendJsonBinaryAsText(v.bytes(), &text);
      break;
    }
    case ValueKind::kJsonDiff: {
      JsonDiffReader reader(v.bytes());
      JsonDiff diff;
      std::string text;
      while (true) {
        absl::StatusOr<bool> more = reader.Next(&diff);
        if (!more.ok() || !*more) break;
        (void)AppendJsonBinaryAsText(diff.value, &text);
      }
      break;
    }
    case ValueKind::kTime:
      (void)v.time().ToMicros();
      break;
    default:
      break;
  }
}

inline void ReadAllRows(const RowsEvent& rows) {
  RowReader reader(rows);
  RowChange change;
  // Terminates because every row consumes bytes (RowReader refuses empty rows).
  while (true) {
    absl::StatusOr<bool> more = reader.Next(change);
    if (!more.ok() || !*more) return;
    for (const ColumnValue& v : change.before) Touch(v);
    for (const ColumnValue& v : change.after) Touch(v);
  }
}

}  // namespace sluice::binlog::fuzz

#endif  // SLUICE_TESTS_FUZZ_FUZZ_COMMON_H_
