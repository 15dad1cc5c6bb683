#include "sluice/binlog/rows_event.h"

#include <bit>

#include "absl/strings/str_cat.h"
#include "sluice/binlog/column_decoder.h"

namespace sluice::binlog {
namespace {

uint32_t CountBits(std::span<const uint8_t> bitmap, uint32_t bits) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < bits / 8; ++i) n += std::popcount(bitmap[i]);
  if (bits % 8)
    n += std::popcount(static_cast<uint8_t>(bitmap[bits / 8] & ((1u << (bits % 8)) - 1)));
  return n;
}

inline bool BitSet(const uint8_t* bitmap, uint32_t i) { return (bitmap[i >> 3] >> (i & 7)) & 1; }

}  // namespace

RowReader::RowReader(const RowsEvent& event)
    : event_(event), pos_(event.rows.data()), end_(event.rows.data() + event.rows.size()) {
  // The parser guarantees the bitmaps hold column_count bits.
  before_count_ =
      event.columns_before.empty() ? 0 : CountBits(event.columns_before, event.column_count);
  after_count_ =
      event.columns_after.empty() ? 0 : CountBits(event.columns_after, event.column_count);
}

absl::Status RowReader::ReadImage(std::span<const uint8_t> present, uint32_t present_count,
                                  std::vector<ColumnValue>& image) {
  const uint32_t n = event_.column_count;
  image.resize(n);
  const size_t null_bytes = (present_count + 7) / 8;
  if (static_cast<size_t>(end_ - pos_) < null_bytes) {
    return absl::DataLossError(absl::StrCat("row ", rows_read_, ": NULL bitmap needs ", null_bytes,
                                            " byte(s), ", end_ - pos_, " remain"));
  }
  const uint8_t* nulls = pos_;
  const uint8_t* p = pos_ + null_bytes;
  const auto& columns = event_.table->columns;
  uint32_t present_index = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (!BitSet(present.data(), i)) {
      image[i] = ColumnValue::Absent();
      continue;
    }
    if (BitSet(nulls, present_index++)) {
      image[i] = ColumnValue::Null();
      continue;
    }
    absl::Status s = DecodeColumnValue(columns[i], &p, end_, &image[i]);
    if (!s.ok()) {
      const ColumnInfo& c = columns[i];
      return absl::Status(
          s.code(),
          absl::StrCat("row ", rows_read_, ", column ", i,
                       c.name.empty() ? "" : absl::StrCat(" `", c.name, "`"), ": ", s.message()));
    }
  }
  pos_ = p;
  return absl::OkStatus();
}

absl::StatusOr<bool> RowReader::Next(RowChange& out) {
  if (pos_ >= end_) return false;
  const uint8_t* start = pos_;
  absl::Status s;
  switch (event_.kind) {
    case RowsKind::kWrite:
      out.before.clear();
      s = ReadImage(event_.columns_after, after_count_, out.after);
      break;
    case RowsKind::kDelete:
      out.after.clear();
      s = ReadImage(event_.columns_before, before_count_, out.before);
      break;
    case RowsKind::kUpdate:
      s = ReadImage(event_.columns_before, before_count_, out.before);
      if (s.ok() && event_.partial_json) {
        s = absl::UnimplementedError(
            "PARTIAL_UPDATE_ROWS_EVENT (binlog_row_value_options=PARTIAL_JSON) is not supported "
            "yet; set binlog_row_value_options='' on the server");
      }
      if (s.ok()) s = ReadImage(event_.columns_after, after_count_, out.after);
      break;
  }
  // A row must consume bytes, or an event whose bitmaps name no columns would never end.
  if (s.ok() && pos_ == start) {
    s = absl::DataLossError(absl::StrCat("row ", rows_read_, " has no columns and no bytes"));
  }
  if (!s.ok()) return AnnotateError(s, event_.context);
  ++rows_read_;
  return true;
}

}  // namespace sluice::binlog
