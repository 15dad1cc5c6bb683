// libFuzzer target: row images against a table map, skipping the event framing so mutations
// land in the values. Input: u16 length of TABLE_MAP data, that data, one byte selecting the
// rows kind (0 write, 1 update, 2 delete; bit 6 = PARTIAL_UPDATE_ROWS, bit 7 = MariaDB), the
// columns-present bitmap(s), then row images.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_common.h"
#include "sluice/binlog/table_map.h"

using namespace sluice::binlog;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  size_t map_size = data[0] | (size_t{data[1]} << 8);
  if (size < 2 + map_size + 1) return 0;
  auto table =
      ParseTableMap(std::span<const uint8_t>(data + 2, map_size), 8,
                    (data[2 + map_size] & 0x80) ? ServerFlavor::kMariaDB : ServerFlavor::kMySQL);
  if (!table.ok() || (*table)->columns.empty()) return 0;
  RowsEvent rows;
  rows.table = *table;
  rows.column_count = static_cast<uint32_t>((*table)->columns.size());
  rows.kind = static_cast<RowsKind>((data[2 + map_size] & 0x3f) % 3);
  rows.partial_json = rows.kind == RowsKind::kUpdate && (data[2 + map_size] & 0x40) != 0;
  size_t at = 2 + map_size + 1;
  size_t bitmap = (rows.column_count + 7) / 8;
  int bitmaps = rows.kind == RowsKind::kUpdate ? 2 : 1;
  if (size < at + bitmap * bitmaps) return 0;
  std::span<const uint8_t> first(data + at, bitmap);
  at += bitmap;
  if (rows.kind == RowsKind::kDelete) {
    rows.columns_before = first;
  } else if (rows.kind == RowsKind::kWrite) {
    rows.columns_after = first;
  } else {
    rows.columns_before = first;
    rows.columns_after = std::span<const uint8_t>(data + at, bitmap);
    at += bitmap;
  }
  rows.rows = std::span<const uint8_t>(data + at, size - at);
  fuzz::ReadAllRows(rows);
  return 0;
}
