#include "sluice/binlog/json_diff.h"

#include "absl/strings/str_cat.h"
#include "byte_reader.h"
#include "sluice/binlog/json_binary.h"

namespace sluice::binlog {

absl::StatusOr<bool> JsonDiffReader::Next(JsonDiff* out) {
  if (rest_.empty()) return false;
  internal::ByteReader r(rest_);
  uint8_t op = r.U8("JSON diff operation");
  if (op > 2) {
    return absl::DataLossError(absl::StrCat("JSON diff operation ", op, " is unknown"));
  }
  out->operation = static_cast<JsonDiffOperation>(op);
  uint64_t path_length = r.PackedInt("JSON diff path length");
  out->path = r.String(path_length, "JSON diff path");
  out->value = {};
  if (out->operation != JsonDiffOperation::kRemove) {
    uint64_t value_length = r.PackedInt("JSON diff value length");
    out->value = r.Bytes(value_length, "JSON diff value");
  }
  if (!r.ok()) return r.status();
  rest_ = rest_.subspan(r.offset());
  return true;
}

absl::Status ForEachJsonDiff(std::span<const uint8_t> diffs,
                             absl::FunctionRef<absl::Status(const JsonDiff&)> visit) {
  JsonDiffReader reader(diffs);
  JsonDiff diff;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&diff);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    if (absl::Status s = visit(diff); !s.ok()) return s;
  }
}

absl::Status DecodeJsonDiffValue(const ColumnInfo& column, const uint8_t** pos, const uint8_t* end,
                                 ColumnValue* out) {
  int prefix = column.length_bytes;
  if (prefix < 1 || prefix > 4) return absl::DataLossError("JSON length prefix is impossible");
  internal::ByteReader r(std::span<const uint8_t>(*pos, static_cast<size_t>(end - *pos)));
  uint64_t size = r.UintLE(prefix, "JSON diff length");
  std::span<const uint8_t> diffs = r.Bytes(size, "JSON diffs");
  if (!r.ok()) return r.status();
  absl::Status valid = ForEachJsonDiff(diffs, [](const JsonDiff&) { return absl::OkStatus(); });
  if (!valid.ok()) return valid;
  *out =
      ColumnValue::Bytes(ValueKind::kJsonDiff, diffs.data(), static_cast<uint32_t>(diffs.size()));
  *pos += r.offset();
  return absl::OkStatus();
}

absl::Status ResolveJsonDiffs(const TableMap& table, RowChange& change,
                              std::vector<std::string>* texts) {
  texts->clear();
  std::vector<size_t> columns;
  for (size_t i = 0; i < change.after.size(); ++i) {
    if (change.after[i].kind() != ValueKind::kJsonDiff) continue;
    const std::string name =
        i < table.columns.size() ? absl::StrCat(" `", table.columns[i].name, "`") : "";
    const ColumnValue* before = i < change.before.size() ? &change.before[i] : nullptr;
    if (before == nullptr || before->kind() != ValueKind::kJson) {
      return absl::FailedPreconditionError(absl::StrCat(
          "JSON column ", i, name,
          " holds a partial update (binlog_row_value_options=PARTIAL_JSON) but the before image "
          "has no document to apply it to (binlog_row_image is not FULL); set "
          "binlog_row_value_options='' or binlog_row_image=FULL"));
    }
    std::string text;
    absl::Status applied =
        AppendPartiallyUpdatedJsonAsText(before->bytes(), change.after[i].bytes(), &text);
    if (!applied.ok()) {
      return absl::Status(applied.code(),
                          absl::StrCat("column ", i, name, ": ", applied.message()));
    }
    texts->push_back(std::move(text));
    columns.push_back(i);
  }
  // Views only once every text is in place: the vector no longer moves them.
  for (size_t k = 0; k < columns.size(); ++k) {
    const std::string& text = (*texts)[k];
    change.after[columns[k]] =
        ColumnValue::Bytes(ValueKind::kString, reinterpret_cast<const uint8_t*>(text.data()),
                           static_cast<uint32_t>(text.size()));
  }
  return absl::OkStatus();
}

}  // namespace sluice::binlog
