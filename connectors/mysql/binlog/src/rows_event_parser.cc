// The fixed part of rows events (table id, flags, extra row info, column bitmaps) for every
// version and MariaDB's compressed forms. The rows themselves are read by RowReader.
#include "absl/strings/str_cat.h"
#include "byte_reader.h"
#include "compression.h"
#include "event_parsers.h"

namespace sluice::binlog {

namespace internal {

bool IsRowsEvent(EventType type) {
  switch (type) {
    case EventType::kWriteRowsV1:
    case EventType::kUpdateRowsV1:
    case EventType::kDeleteRowsV1:
    case EventType::kWriteRowsV2:
    case EventType::kUpdateRowsV2:
    case EventType::kDeleteRowsV2:
    case EventType::kPartialUpdateRows:
    case EventType::kMariaWriteRowsCompressedV1:
    case EventType::kMariaUpdateRowsCompressedV1:
    case EventType::kMariaDeleteRowsCompressedV1:
    case EventType::kMariaWriteRowsCompressed:
    case EventType::kMariaUpdateRowsCompressed:
    case EventType::kMariaDeleteRowsCompressed:
      return true;
    default:
      return false;
  }
}

absl::Status ParseRowsEvent(std::span<const uint8_t> data, EventType type,
                            const FormatDescription& fd, uint64_t max_size, RowsEvent* out,
                            Owned* owned) {
  bool compressed = false;
  switch (type) {
    case EventType::kWriteRowsV1:
      out->kind = RowsKind::kWrite;
      out->version = 1;
      break;
    case EventType::kUpdateRowsV1:
      out->kind = RowsKind::kUpdate;
      out->version = 1;
      break;
    case EventType::kDeleteRowsV1:
      out->kind = RowsKind::kDelete;
      out->version = 1;
      break;
    case EventType::kWriteRowsV2:
      out->kind = RowsKind::kWrite;
      out->version = 2;
      break;
    case EventType::kUpdateRowsV2:
      out->kind = RowsKind::kUpdate;
      out->version = 2;
      break;
    case EventType::kDeleteRowsV2:
      out->kind = RowsKind::kDelete;
      out->version = 2;
      break;
    case EventType::kPartialUpdateRows:
      out->kind = RowsKind::kUpdate;
      out->version = 2;
      out->partial_json = true;
      break;
    case EventType::kMariaWriteRowsCompressedV1:
      out->kind = RowsKind::kWrite;
      out->version = 1;
      compressed = true;
      break;
    case EventType::kMariaUpdateRowsCompressedV1:
      out->kind = RowsKind::kUpdate;
      out->version = 1;
      compressed = true;
      break;
    case EventType::kMariaDeleteRowsCompressedV1:
      out->kind = RowsKind::kDelete;
      out->version = 1;
      compressed = true;
      break;
    case EventType::kMariaWriteRowsCompressed:
      out->kind = RowsKind::kWrite;
      out->version = 2;
      compressed = true;
      break;
    case EventType::kMariaUpdateRowsCompressed:
      out->kind = RowsKind::kUpdate;
      out->version = 2;
      compressed = true;
      break;
    case EventType::kMariaDeleteRowsCompressed:
      out->kind = RowsKind::kDelete;
      out->version = 2;
      compressed = true;
      break;
    default:
      return absl::InvalidArgumentError("not a rows event");
  }
  ByteReader r(data);
  uint8_t ph = fd.PostHeaderLength(type);
  if (ph == 0) ph = out->version == 1 ? 8 : 10;
  size_t consumed;
  if (ph == 6) {
    out->table_id = r.U32("table id");
    consumed = 4;
  } else {
    out->table_id = r.UintLE(6, "table id");
    consumed = 6;
  }
  out->flags = r.U16("rows flags");
  consumed += 2;
  if (out->version == 2) {
    uint16_t extra_len = r.U16("extra data length");
    consumed += 2;
    if (r.ok() && extra_len < 2) {
      return absl::DataLossError(
          absl::StrCat("extra data length ", extra_len, " is smaller than its own 2 bytes"));
    }
    if (ph > consumed) r.Skip(ph - consumed, "rows post-header");
    out->extra_data = r.Bytes(extra_len - 2u, "extra row info");
  } else if (ph > consumed) {
    r.Skip(ph - consumed, "rows post-header");
  }
  uint64_t columns = r.PackedInt("column count");
  if (!r.ok()) return r.status();
  if (columns == 0 || columns > 4096 * 8) {
    return absl::DataLossError(absl::StrCat("column count ", columns, " is impossible"));
  }
  out->column_count = static_cast<uint32_t>(columns);
  size_t bitmap_bytes = (columns + 7) / 8;
  std::span<const uint8_t> first = r.Bytes(bitmap_bytes, "columns-present bitmap");
  switch (out->kind) {
    case RowsKind::kWrite:
      out->columns_after = first;
      break;
    case RowsKind::kDelete:
      out->columns_before = first;
      break;
    case RowsKind::kUpdate:
      out->columns_before = first;
      out->columns_after = r.Bytes(bitmap_bytes, "after-image columns-present bitmap");
      break;
  }
  if (!r.ok()) return r.status();
  if (compressed) {
    auto rows = UncompressMariaDbRecord(r.Rest(), max_size);
    if (!rows.ok()) {
      return absl::Status(rows.status().code(), absl::StrCat("rows: ", rows.status().message()));
    }
    auto buffer = std::make_shared<const std::vector<uint8_t>>(*std::move(rows));
    out->rows = std::span<const uint8_t>(buffer->data(), buffer->size());
    out->was_compressed = true;
    *owned = std::move(buffer);
  } else {
    out->rows = r.Rest();
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace sluice::binlog
