// Writes the seed corpora of the binlog fuzzers: valid events and rows of every kind, built
// with the same fixture builders as the unit tests, so fuzzing starts from real structure.
//   fuzz_seeds <events dir> <rows dir> <json dir>
#include <zstd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "binlog_builder.h"

using namespace sluice::binlog;
using namespace sluice::binlog::testing;

namespace {

void Write(const std::filesystem::path& dir, const std::string& name, const Bytes& b) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.span().data()),
             static_cast<std::streamsize>(b.size()));
}

Bytes SmallJsonObject() {  // {"a":1,"b":[1,"x"]} as nested small containers
  Bytes arr;
  arr.U16(2).U16(12).U8(0x05).U16(1).U8(0x0c).U16(10).U8(1).Str("x");
  Bytes obj;
  // header 4 + 2 key entries (4 each) + 2 value entries (3 each) = 18, keys "a","b" at 18, 19
  obj.U16(2).U16(20 + arr.size()).U16(18).U16(1).U16(19).U16(1);
  obj.U8(0x05).U16(1).U8(0x02).U16(20).Str("ab").Append(arr);
  Bytes doc;
  doc.U8(0x00).Append(obj);
  return doc;
}

std::vector<ColumnSpec> AllTypes() {
  return {{ColumnType::kTiny, {}},
          {ColumnType::kShort, {}},
          {ColumnType::kInt24, {}},
          {ColumnType::kLong, {}},
          {ColumnType::kLongLong, {}},
          {ColumnType::kFloat, Bytes{4}},
          {ColumnType::kDouble, Bytes{8}},
          {ColumnType::kNewDecimal, Bytes{20, 5}},
          {ColumnType::kYear, {}},
          {ColumnType::kDate, {}},
          {ColumnType::kTime2, Bytes{3}},
          {ColumnType::kDateTime2, Bytes{6}},
          {ColumnType::kTimestamp2, Bytes{2}},
          {ColumnType::kVarchar, Bytes().U16(100)},
          {ColumnType::kString, Bytes{0xfe, 10}},
          {ColumnType::kString, Bytes{0xf7, 1}},
          {ColumnType::kString, Bytes{0xf8, 1}},
          {ColumnType::kBit, Bytes{4, 1}},
          {ColumnType::kBlob, Bytes{2}},
          {ColumnType::kJson, Bytes{4}},
          {ColumnType::kGeometry, Bytes{4}},
          {ColumnType::kTime, {}},
          {ColumnType::kDateTime, {}},
          {ColumnType::kTimestamp, {}}};
}

Bytes AllTypesMetadata() {
  Bytes names;
  for (int i = 0; i < 24; ++i) names.PackedStr("c" + std::to_string(i));
  Bytes o;
  o.Append(OptionalField(1, Bytes{0x55}));
  o.Append(OptionalField(2, Bytes().Packed(255).Packed(1).Packed(63)));
  o.Append(OptionalField(4, names));
  o.Append(OptionalField(5, Bytes().Packed(2).PackedStr("x").PackedStr("y")));
  o.Append(OptionalField(6, Bytes().Packed(2).PackedStr("a").PackedStr("b")));
  o.Append(OptionalField(7, Bytes().Packed(1)));
  o.Append(OptionalField(8, Bytes().Packed(4)));
  o.Append(OptionalField(12, Bytes{0xff, 0xff, 0xff}));
  return o;
}

Bytes AllTypesRow() {
  Bytes r;
  r.Zeros(3);  // NULL bitmap for 24 present columns: none NULL
  r.U8(0xfe).U16(0x8001).U24(0x123456).U32(7).U64(0xffffffffffffffffull);
  r.U32(0x3fc00000).U64(0x400921fb54442d18ull);
  r.U8(0x80).Zeros(9);  // DECIMAL(20,5) zero
  r.U8(124).U24((2024 << 9) | (2 << 5) | 29);
  r.BE(0x800000 + 51384, 3).BE(1230, 2);
  r.Append(Bytes{0x99, 0xb2, 0xba, 0xdb, 0x47}).BE(123456, 3);
  r.BE(1700000000, 4).U8(12);
  r.U8(5).Str("hello").U8(3).Str("abc").U8(2).U8(3).Append(Bytes{0x0a, 0xbc});
  r.U16(4).Str("blob");
  Bytes json = SmallJsonObject();
  r.U32(json.size()).Append(json);
  r.U32(25).U32(4326).U8(1).U32(1).U64(0).U64(0);
  r.U24(123456).U64(20240229134507ull).U32(1700000000);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  const std::filesystem::path events = argv[1], rows = argv[2], json = argv[3];
  const uint64_t id = 5;
  Bytes map = TableMapData(id, "db", "all_types", AllTypes(), AllTypesMetadata());
  Bytes row = AllTypesRow();
  Bytes two_rows = row;
  two_rows.Append(row);

  // MySQL, CRC32 on and verified.
  {
    EventOptions crc{.checksum = true};
    Bytes s{0x06};
    auto add = [&](EventType t, const Bytes& d) {
      s.Append(std::span<const uint8_t>(MakeEvent(t, d, crc)));
    };
    add(EventType::kPreviousGtids, Bytes().U64(1).Zeros(16).U64(1).U64(1).U64(10));
    add(EventType::kGtid,
        Bytes().U8(1).Zeros(16).U64(9).U8(2).U64(1).U64(2).LE(5, 7).Packed(100).U32(80036));
    // MySQL 8.3+: PREVIOUS_GTIDS in the tagged encoding and a GTID_TAGGED_LOG_EVENT, as MySQL
    // 9.7.4 wrote them (tests/unit/binlog/testdata/mysql-9.7-gtids.bin).
    add(EventType::kPreviousGtids, Bytes()
                                       .U64(uint64_t{1} | uint64_t{1} << 8 | uint64_t{1} << 56)
                                       .Zeros(16)
                                       .U8(5 << 1)
                                       .Str("mytag")
                                       .U64(1)
                                       .U64(1)
                                       .U64(3));
    add(EventType::kGtidTagged,
        Bytes{0x02, 0x76, 0x00, 0x00, 0x00, 0x02, 0x41, 0x03, 0xf9, 0x02, 0xb6, 0xbd, 0x02, 0xc5, 0x03,
              0xa5, 0x03, 0x22, 0xc5, 0x03, 0xb5, 0x02, 0xa6, 0x04, 0xf1, 0x03, 0x00, 0x00, 0x00, 0x02,
              0x04, 0x04, 0x06, 0x0a, 'm',  'y',  't',  'a',  'g',  0x08, 0x20, 0x0a, 0x28, 0x0c, 0x7f,
              0x02, 0xed, 0x81, 0x60, 0x02, 0x62, 0x06, 0x10, 0xb1, 0x04, 0x12, 0x83, 0x12, 0x0b});
    add(EventType::kQuery,
        Bytes().U32(1).U32(0).U8(2).U16(0).U16(5).U8(0).U32(0).Str("db").U8(0).Str("BEGIN"));
    add(EventType::kRowsQuery, Bytes().U8(6).Str("INSERT"));
    add(EventType::kTableMap, map);
    add(EventType::kWriteRowsV2, RowsData(id, 2, 24, AllColumns(24), nullptr, two_rows));
    Bytes after = AllColumns(24);
    add(EventType::kUpdateRowsV2, RowsData(id, 2, 24, AllColumns(24), &after, two_rows));
    add(EventType::kDeleteRowsV2, RowsData(id, 2, 24, AllColumns(24), nullptr, row));
    add(EventType::kXid, Bytes().U64(3));
    add(EventType::kRotate, Bytes().U64(4).Str("binlog.000002"));
    Write(events, "mysql_crc", s);
  }
  // MariaDB without checksums, v1 rows.
  {
    Bytes s{0x01};
    auto add = [&](EventType t, const Bytes& d) {
      s.Append(std::span<const uint8_t>(MakeEvent(t, d)));
    };
    add(EventType::kMariaGtidList, Bytes().U32(1).U32(0).U32(1).U64(100));
    add(EventType::kMariaBinlogCheckpoint, Bytes().U32(3).Str("b.1"));
    add(EventType::kMariaGtid, Bytes().U64(101).U32(0).U8(2).U64(7));
    add(EventType::kMariaAnnotateRows, Bytes().Str("INSERT INTO all_types VALUES (...)"));
    add(EventType::kTableMap, map);
    add(EventType::kWriteRowsV1, RowsData(id, 1, 24, AllColumns(24), nullptr, row));
    add(EventType::kXid, Bytes().U64(3));
    Write(events, "mariadb_plain", s);
  }
  // MySQL transaction payload (zstd) carrying a table map, rows and an XID.
  {
    Bytes inner;
    inner.Append(std::span<const uint8_t>(MakeEvent(EventType::kTableMap, map)));
    inner.Append(std::span<const uint8_t>(MakeEvent(
        EventType::kWriteRowsV2, RowsData(id, 2, 24, AllColumns(24), nullptr, two_rows))));
    inner.Append(std::span<const uint8_t>(MakeEvent(EventType::kXid, Bytes().U64(9))));
    std::vector<uint8_t> z(ZSTD_compressBound(inner.size()));
    size_t zn = ZSTD_compress(z.data(), z.size(), inner.span().data(), inner.size(), 3);
    if (!ZSTD_isError(zn)) {
      Bytes payload;
      auto field = [&payload](uint64_t type, uint64_t value) {
        Bytes v;
        v.Packed(value);
        payload.Packed(type).Packed(v.size()).Append(v);
      };
      field(2, 0);
      field(3, inner.size());
      field(1, zn);
      payload.Packed(0).Append(std::span<const uint8_t>(z.data(), zn));
      Bytes s{0x00};
      s.Append(std::span<const uint8_t>(MakeEvent(EventType::kTransactionPayload, payload)));
      Write(events, "mysql_payload", s);
    }
  }
  // Own FORMAT_DESCRIPTION.
  {
    Bytes s{0x08};
    s.Append(std::span<const uint8_t>(MakeFormatDescription("10.6.1-MariaDB", false)));
    s.Append(std::span<const uint8_t>(MakeEvent(EventType::kXid, Bytes().U64(1))));
    Write(events, "own_fde", s);
  }
  // Rows target: u16 map length, map, kind, bitmap(s), rows.
  for (int kind = 0; kind < 3; ++kind) {
    Bytes s;
    s.U16(map.size()).Append(map).U8(kind).Append(AllColumns(24));
    if (kind == 1) s.Append(AllColumns(24));
    s.Append(kind == 1 ? two_rows : row);
    Write(rows, "all_types_" + std::to_string(kind), s);
  }
  // A real MariaDB 10.11 binlog (its own FORMAT_DESCRIPTION, checksums verified).
  {
    std::ifstream in(std::string(SLUICE_BINLOG_TESTDATA) + "/mariadb-10.11-all-types.bin",
                     std::ios::binary);
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    if (file.size() > 4) {
      Bytes s{0x0c};
      s.Append(std::span<const uint8_t>(file).subspan(4));
      Write(events, "real_mariadb_10_11", s);
    }
  }
  // PARTIAL_UPDATE_ROWS: (id INT, doc JSON), a diff replacing $.a and removing $.b.
  {
    Bytes partial_map = TableMapData(
        9, "db", "docs", {{ColumnType::kLong, {}, false}, {ColumnType::kJson, Bytes{1}}});
    Bytes diffs;
    diffs.U8(0).PackedStr("$.a").Packed(2).U8(0x04).U8(0x01).U8(2).PackedStr("$.b");
    Bytes s;
    s.U16(partial_map.size())
        .Append(partial_map)
        .U8(0x41)
        .Append(AllColumns(2))
        .Append(AllColumns(2));
    s.U8(0).U32(1).U8(2).U8(0x04).U8(0x02);  // before
    s.U8(1).U8(0x01);                        // value options, partial bits
    s.U8(0).U32(1).U8(diffs.size()).Append(diffs);
    Write(rows, "partial_json", s);
  }
  Write(json, "object", SmallJsonObject());
  Write(json, "string", Bytes{0x0c, 3, 'a', 'b', 'c'});
  Write(json, "decimal", Bytes{0x0f, 246, 5, 5, 2, 0x80, 0x7b, 0x2d});
  return 0;
}
