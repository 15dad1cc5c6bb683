// Partial JSON updates (MySQL binlog_row_value_options=PARTIAL_JSON): in the after image of a
// PARTIAL_UPDATE_ROWS_EVENT a JSON column may hold, instead of the document, the list of
// changes that turns the before image's document into the new one.
//
// Layout of one such value: the column's usual length prefix, then diffs back to back, each
//   operation (1 byte: 0 replace, 1 insert, 2 remove),
//   path length (length-encoded integer) and path text (e.g. "$.a[2]"),
//   for replace/insert: value length (length-encoded integer) and a binary JSON value.
#ifndef SLUICE_BINLOG_JSON_DIFF_H_
#define SLUICE_BINLOG_JSON_DIFF_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sluice/binlog/column_value.h"
#include "sluice/binlog/rows_event.h"
#include "sluice/binlog/table_map.h"

namespace sluice::binlog {

enum class JsonDiffOperation : uint8_t { kReplace = 0, kInsert = 1, kRemove = 2 };

struct JsonDiff {
  JsonDiffOperation operation = JsonDiffOperation::kReplace;
  std::string_view path;
  std::span<const uint8_t> value;  // binary JSON (json_binary.h); empty for kRemove
};

// Iterates the diffs of a kJsonDiff value. The row decoder has validated the layout, so Next
// on a value from RowReader never fails; it still checks, for values from anywhere else.
class JsonDiffReader {
 public:
  explicit JsonDiffReader(std::span<const uint8_t> diffs) : rest_(diffs) {}
  absl::StatusOr<bool> Next(JsonDiff* out);

 private:
  std::span<const uint8_t> rest_;
};

// Calls `visit` with each diff of `diffs` in order; the first error (a malformed diff or visit's)
// ends the walk and is returned.
absl::Status ForEachJsonDiff(std::span<const uint8_t> diffs,
                             absl::FunctionRef<absl::Status(const JsonDiff&)> visit);

// Reads a partial JSON value of `column` at *pos (length prefix, diffs), validates every diff
// and stores a kJsonDiff value viewing the diff bytes.
absl::Status DecodeJsonDiffValue(const ColumnInfo& column, const uint8_t** pos, const uint8_t* end,
                                 ColumnValue* out);

// Appends the text of the document a partial JSON update (binlog_row_value_options=PARTIAL_JSON;
// `diffs` as a kJsonDiff value holds them) made of `before` (the before image's
// binary JSON): the diffs applied in order, printed as AppendJsonBinaryAsText prints the whole
// document the server stored (a member a diff adds takes its place in MySQL's key order). A path
// that does not fit the document, or malformed input, gives DataLoss.
absl::Status AppendPartiallyUpdatedJsonAsText(std::span<const uint8_t> before,
                                              std::span<const uint8_t> diffs, std::string* out);

// Makes an update's partial JSON values whole: each kJsonDiff value of change.after becomes the
// text of the document the server stored (a kString value viewing an element of *texts, which
// must outlive it), its diffs applied to the before image's document
// (AppendPartiallyUpdatedJsonAsText, above). FailedPrecondition, naming the column of `table`, when
// the before image does not hold the document (binlog_row_image other than FULL); DataLoss when the
// diffs do not fit it.
absl::Status ResolveJsonDiffs(const TableMap& table, RowChange& change,
                              std::vector<std::string>* texts);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_JSON_DIFF_H_
