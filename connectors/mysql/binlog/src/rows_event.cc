#include "sluice/binlog/rows_event.h"

#include <bit>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "byte_reader.h"
#include "sluice/binlog/column_decoder.h"
#include "sluice/binlog/json_diff.h"

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

// The end of the length-encoded integer at p, or nullptr when it runs past end.
const uint8_t* ReadPackedInt(const uint8_t* p, const uint8_t* end) {
  if (p >= end) return nullptr;
  size_t n = *p < 0xfb ? 1 : *p == 0xfc ? 3 : *p == 0xfd ? 4 : *p == 0xfe ? 9 : 0;
  if (n == 0 || static_cast<size_t>(end - p) < n) return nullptr;
  return p + n;
}

uint64_t LoadPackedInt(const uint8_t* p) {
  if (*p < 0xfb) return *p;
  size_t n = *p == 0xfc ? 2 : *p == 0xfd ? 3 : 8;
  return internal::LoadLE(p + 1, n);
}

}  // namespace

RowReader::RowReader(const RowsEvent& event)
    : event_(event), pos_(event.rows.data()), end_(event.rows.data() + event.rows.size()) {
  // The parser guarantees the bitmaps hold column_count bits.
  before_count_ =
      event.columns_before.empty() ? 0 : CountBits(event.columns_before, event.column_count);
  after_count_ =
      event.columns_after.empty() ? 0 : CountBits(event.columns_after, event.column_count);
  if (event.partial_json) {
    json_ordinal_.assign(event.column_count, -1);
    for (uint32_t i = 0; i < event.column_count; ++i) {
      if (event.table->columns[i].real_type == ColumnType::kJson) {
        json_ordinal_[i] = static_cast<int32_t>(json_columns_++);
      }
    }
  }
}

absl::Status RowReader::ReadPartialUpdateHeader(const uint8_t** partial_bits) {
  *partial_bits = nullptr;
  const uint8_t* p = pos_;
  const uint8_t* options_end = ReadPackedInt(p, end_);
  if (options_end == nullptr) {
    return absl::DataLossError(absl::StrCat("row ", rows_read_, ": value options truncated"));
  }
  const uint64_t options = LoadPackedInt(p);
  p = options_end;
  constexpr uint64_t kPartialJsonUpdates = 1;
  if (options & kPartialJsonUpdates) {
    const size_t n = (json_columns_ + 7) / 8;
    if (static_cast<size_t>(end_ - p) < n) {
      return absl::DataLossError(
          absl::StrCat("row ", rows_read_, ": partial JSON bitmap truncated"));
    }
    *partial_bits = p;
    p += n;
  }
  pos_ = p;
  return absl::OkStatus();
}

absl::Status RowReader::ReadImage(std::span<const uint8_t> present, uint32_t present_count,
                                  std::vector<ColumnValue>& image, const uint8_t* partial_bits) {
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
    absl::Status s;
    if (ABSL_PREDICT_FALSE(partial_bits != nullptr) && json_ordinal_[i] >= 0 &&
        BitSet(partial_bits, static_cast<uint32_t>(json_ordinal_[i]))) {
      s = DecodeJsonDiffValue(columns[i], &p, end_, &image[i]);
    } else {
      s = DecodeColumnValue(columns[i], &p, end_, &image[i]);
    }
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
      s = ReadImage(event_.columns_after, after_count_, out.after, nullptr);
      break;
    case RowsKind::kDelete:
      out.after.clear();
      s = ReadImage(event_.columns_before, before_count_, out.before, nullptr);
      break;
    case RowsKind::kUpdate: {
      s = ReadImage(event_.columns_before, before_count_, out.before, nullptr);
      const uint8_t* partial_bits = nullptr;
      if (s.ok() && event_.partial_json) s = ReadPartialUpdateHeader(&partial_bits);
      if (s.ok()) s = ReadImage(event_.columns_after, after_count_, out.after, partial_bits);
      break;
    }
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
