// Builders for binlog byte fixtures, written from the documented formats (MySQL internals
// manual, MariaDB replication protocol pages). Tests describe events field by field with these
// instead of pasting opaque hex, so a fixture says what it contains.
#ifndef SLUICE_TESTS_UNIT_BINLOG_BINLOG_BUILDER_H_
#define SLUICE_TESTS_UNIT_BINLOG_BINLOG_BUILDER_H_

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/binlog/checksum.h"
#include "sluice/binlog/column_type.h"
#include "sluice/binlog/event_type.h"

namespace sluice::binlog::testing {

class Bytes {
 public:
  Bytes() = default;
  Bytes(std::initializer_list<uint8_t> b) : data_(b) {}

  Bytes& U8(uint64_t v) { return LE(v, 1); }
  Bytes& U16(uint64_t v) { return LE(v, 2); }
  Bytes& U24(uint64_t v) { return LE(v, 3); }
  Bytes& U32(uint64_t v) { return LE(v, 4); }
  Bytes& U48(uint64_t v) { return LE(v, 6); }
  Bytes& U64(uint64_t v) { return LE(v, 8); }
  Bytes& LE(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) data_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  Bytes& BE(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) data_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  // MySQL length-encoded integer.
  Bytes& Packed(uint64_t v) {
    if (v < 0xfb) return U8(v);
    if (v <= 0xffff) return U8(0xfc).U16(v);
    if (v <= 0xffffff) return U8(0xfd).U24(v);
    return U8(0xfe).U64(v);
  }
  Bytes& Str(std::string_view s) {
    data_.insert(data_.end(), s.begin(), s.end());
    return *this;
  }
  Bytes& PackedStr(std::string_view s) { return Packed(s.size()).Str(s); }
  Bytes& Append(std::span<const uint8_t> b) {
    data_.insert(data_.end(), b.begin(), b.end());
    return *this;
  }
  Bytes& Append(const Bytes& b) { return Append(b.span()); }
  Bytes& Zeros(size_t n) {
    data_.insert(data_.end(), n, 0);
    return *this;
  }

  std::span<const uint8_t> span() const { return data_; }
  const std::vector<uint8_t>& vec() const { return data_; }
  std::vector<uint8_t>& vec() { return data_; }
  size_t size() const { return data_.size(); }

 private:
  std::vector<uint8_t> data_;
};

struct EventOptions {
  uint32_t timestamp = 1700000000;
  uint32_t server_id = 1;
  uint32_t log_pos = 0;  // 0 = compute as start_position + size
  uint32_t start_position = 4;
  uint16_t flags = 0;
  bool checksum = false;
};

// A whole event: 19-byte header, `data`, and a CRC32 when asked.
inline std::vector<uint8_t> MakeEvent(EventType type, const Bytes& data, EventOptions o = {}) {
  uint32_t size = static_cast<uint32_t>(19 + data.size() + (o.checksum ? 4 : 0));
  Bytes e;
  e.U32(o.timestamp).U8(static_cast<uint8_t>(type)).U32(o.server_id).U32(size);
  e.U32(o.log_pos != 0 ? o.log_pos : o.start_position + size).U16(o.flags);
  e.Append(data);
  if (o.checksum) e.U32(Crc32(e.span()));
  return e.vec();
}

// FORMAT_DESCRIPTION data for a checksum-aware server.
inline Bytes FormatDescriptionData(std::string_view version, bool crc32) {
  Bytes d;
  d.U16(4);
  std::string v(version);
  v.resize(50, '\0');
  d.Str(v).U32(1700000000).U8(19);
  // Post-header lengths for types 1..171 (MariaDB's range covers MySQL's).
  std::vector<uint8_t> lengths(171, 0);
  auto set = [&](EventType t, uint8_t n) { lengths[static_cast<uint8_t>(t) - 1] = n; };
  set(EventType::kStartV3, 56);
  set(EventType::kQuery, 13);
  set(EventType::kRotate, 8);
  set(EventType::kFormatDescription, 100);
  set(EventType::kTableMap, 8);
  set(EventType::kWriteRowsV1, 8);
  set(EventType::kUpdateRowsV1, 8);
  set(EventType::kDeleteRowsV1, 8);
  set(EventType::kWriteRowsV2, 10);
  set(EventType::kUpdateRowsV2, 10);
  set(EventType::kDeleteRowsV2, 10);
  set(EventType::kPartialUpdateRows, 10);
  set(EventType::kIncident, 2);
  set(EventType::kGtid, 42);
  set(EventType::kAnonymousGtid, 42);
  set(EventType::kMariaBinlogCheckpoint, 4);
  set(EventType::kMariaGtid, 19);
  set(EventType::kMariaGtidList, 4);
  set(EventType::kMariaQueryCompressed, 13);
  set(EventType::kMariaWriteRowsCompressedV1, 8);
  set(EventType::kMariaUpdateRowsCompressedV1, 8);
  set(EventType::kMariaDeleteRowsCompressedV1, 8);
  set(EventType::kMariaWriteRowsCompressed, 10);
  set(EventType::kMariaUpdateRowsCompressed, 10);
  set(EventType::kMariaDeleteRowsCompressed, 10);
  d.Append(std::span<const uint8_t>(lengths));
  d.U8(crc32 ? 1 : 0);
  return d;
}

// The whole FORMAT_DESCRIPTION event; its checksum slot is filled (with the CRC, or zeros when
// checksums are off, as servers do).
inline std::vector<uint8_t> MakeFormatDescription(std::string_view version, bool crc32,
                                                  EventOptions o = {}) {
  Bytes data = FormatDescriptionData(version, crc32);
  if (crc32) {
    o.checksum = true;
    return MakeEvent(EventType::kFormatDescription, data, o);
  }
  data.U32(0);
  o.checksum = false;
  return MakeEvent(EventType::kFormatDescription, data, o);
}

struct ColumnSpec {
  ColumnType type;
  Bytes metadata;  // as written in the table map's metadata block
  bool nullable = true;
};

// TABLE_MAP data with optional metadata appended raw (`optional`: type, length, value TLVs).
inline Bytes TableMapData(uint64_t table_id, std::string_view db, std::string_view table,
                          const std::vector<ColumnSpec>& columns, const Bytes& optional = {}) {
  Bytes d;
  d.U48(table_id).U16(1);
  d.U8(db.size()).Str(db).U8(0);
  d.U8(table.size()).Str(table).U8(0);
  d.Packed(columns.size());
  for (const auto& c : columns) d.U8(static_cast<uint8_t>(c.type));
  Bytes meta;
  for (const auto& c : columns) meta.Append(c.metadata);
  d.Packed(meta.size()).Append(meta);
  std::vector<uint8_t> nulls((columns.size() + 7) / 8, 0);
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].nullable) nulls[i / 8] |= 1 << (i % 8);
  d.Append(std::span<const uint8_t>(nulls));
  d.Append(optional);
  return d;
}

inline Bytes OptionalField(uint8_t type, const Bytes& value) {
  Bytes b;
  b.U8(type).Packed(value.size()).Append(value);
  return b;
}

// A bitmap of `n` bits, all set, least significant bit first (rows events).
inline Bytes AllColumns(size_t n) {
  Bytes b;
  for (size_t i = 0; i < (n + 7) / 8; ++i) {
    size_t bits = n - i * 8 >= 8 ? 8 : n - i * 8;
    b.U8(bits == 8 ? 0xff : (1u << bits) - 1);
  }
  return b;
}

// Rows event data (v1 or v2). `rows` is the row images, already encoded.
inline Bytes RowsData(uint64_t table_id, int version, size_t columns, const Bytes& present,
                      const Bytes* present_after, const Bytes& rows, uint16_t flags = 1,
                      const Bytes& extra = {}) {
  Bytes d;
  d.U48(table_id).U16(flags);
  if (version == 2) d.U16(2 + extra.size()).Append(extra);
  d.Packed(columns).Append(present);
  if (present_after) d.Append(*present_after);
  d.Append(rows);
  return d;
}

}  // namespace sluice::binlog::testing

#endif  // SLUICE_TESTS_UNIT_BINLOG_BINLOG_BUILDER_H_
