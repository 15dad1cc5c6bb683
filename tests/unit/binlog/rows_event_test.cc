// Rows events end to end through the decoder: v1 and v2, all three kinds, NULLs, partial
// images, MariaDB compression, MySQL transaction payloads, binlog files.
#include "sluice/binlog/rows_event.h"

#include <zlib.h>
#include <zstd.h>

#include <deque>
#include <string>
#include <vector>

#include "binlog_builder.h"
#include "gtest/gtest.h"
#include "sluice/binlog/binlog_file.h"
#include "sluice/binlog/decoder.h"
#include "sluice/binlog/json_diff.h"
#include "sluice/binlog/transaction_payload.h"

namespace sluice::binlog {
namespace {

using testing::AllColumns;
using testing::Bytes;
using testing::ColumnSpec;
using testing::EventOptions;
using testing::MakeEvent;
using testing::MakeFormatDescription;
using testing::OptionalField;
using testing::RowsData;
using testing::TableMapData;

constexpr uint64_t kTableId = 77;

// The benchmark table: id BIGINT PK, qty INT, a CHAR(60), b CHAR(60) (utf8mb4, 240
// bytes), price DECIMAL(12,2), at DATETIME(6).
std::vector<ColumnSpec> SixColumns() {
  return {{ColumnType::kLongLong, {}, false},      {ColumnType::kLong, {}},
          {ColumnType::kString, Bytes{0xfe, 240}}, {ColumnType::kString, Bytes{0xfe, 240}},
          {ColumnType::kNewDecimal, Bytes{12, 2}}, {ColumnType::kDateTime2, Bytes{6}}};
}

Bytes SixColumnNames() {
  Bytes n;
  for (const char* s : {"id", "qty", "a", "b", "price", "at"}) n.PackedStr(s);
  return OptionalField(4, n);
}

// One full row image of the six-column table (all present), `null_qty` making qty NULL.
Bytes SixColumnRow(int64_t id, bool null_qty = false) {
  Bytes r;
  r.U8(null_qty ? 0x02 : 0x00);  // NULL bitmap over the 6 present columns
  r.U64(static_cast<uint64_t>(id));
  if (!null_qty) r.U32(static_cast<uint32_t>(-5));
  r.U8(5).Str("hello").U8(0);
  r.Append(Bytes{0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x0c});  // 1234567890.12
  r.Append(Bytes{0x99, 0xb2, 0xba, 0xdb, 0x47}).BE(123456, 3);
  return r;
}

class RowsTest : public ::testing::Test {
 protected:
  void Start(const char* version = "8.0.36", bool crc32 = true) {
    crc32_ = crc32;
    decoder_ = BinlogDecoder(DecoderOptions{.initial_file = "binlog.000003"});
    ASSERT_TRUE(decoder_.Decode(Keep(MakeFormatDescription(version, crc32))).ok());
  }
  std::span<const uint8_t> Keep(std::vector<uint8_t> bytes) {
    kept_.push_back(std::move(bytes));
    return kept_.back();
  }
  absl::StatusOr<Event> Feed(EventType type, const Bytes& data, EventOptions o = {}) {
    o.checksum = crc32_;
    events_.push_back(decoder_.Decode(Keep(MakeEvent(type, data, o))));
    return events_.back();
  }
  void MapSixColumns() {
    auto e = Feed(EventType::kTableMap,
                  TableMapData(kTableId, "shop", "orders", SixColumns(), SixColumnNames()));
    ASSERT_TRUE(e.ok()) << e.status();
  }
  const RowsEvent* Rows(EventType type, const Bytes& data, EventOptions o = {}) {
    auto e = Feed(type, data, o);
    EXPECT_TRUE(e.ok()) << e.status();
    if (!e.ok()) return nullptr;
    const RowsEvent* rows = events_.back()->As<RowsEvent>();
    EXPECT_NE(rows, nullptr);
    return rows;
  }
  std::vector<RowChange> ReadAll(const RowsEvent& rows) {
    RowReader reader(rows);
    std::vector<RowChange> out;
    RowChange change;
    while (true) {
      auto more = reader.Next(change);
      EXPECT_TRUE(more.ok()) << more.status();
      if (!more.ok() || !*more) break;
      out.push_back(change);
    }
    return out;
  }

  BinlogDecoder decoder_;
  bool crc32_ = true;
  std::deque<std::vector<uint8_t>> kept_;
  std::deque<absl::StatusOr<Event>> events_;
};

TEST_F(RowsTest, WriteRowsV2DecodesEveryColumnOfEveryRow) {
  Start();
  MapSixColumns();
  Bytes rows;
  rows.Append(SixColumnRow(1)).Append(SixColumnRow(-2, /*null_qty=*/true));
  const RowsEvent* e =
      Rows(EventType::kWriteRowsV2, RowsData(kTableId, 2, 6, AllColumns(6), nullptr, rows));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->kind, RowsKind::kWrite);
  EXPECT_EQ(e->version, 2);
  EXPECT_TRUE(e->end_of_statement());
  EXPECT_EQ(e->table->table, "orders");
  auto changes = ReadAll(*e);
  ASSERT_EQ(changes.size(), 2u);
  const auto& r0 = changes[0].after;
  EXPECT_TRUE(changes[0].before.empty());
  EXPECT_EQ(r0[0].i64(), 1);
  EXPECT_EQ(r0[1].i64(), -5);
  EXPECT_EQ(r0[2].string(), "hello");
  EXPECT_EQ(r0[3].string(), "");
  EXPECT_EQ(r0[4].decimal().ToString(), "1234567890.12");
  EXPECT_EQ(r0[5].datetime().year, 2024);
  EXPECT_EQ(r0[5].datetime().micros, 123456u);
  EXPECT_EQ(changes[1].after[0].i64(), -2);
  EXPECT_TRUE(changes[1].after[1].is_null());
}

TEST_F(RowsTest, UpdateRowsV1OfMariaDbHasBeforeAndAfter) {
  Start("10.11.6-MariaDB-log", true);
  MapSixColumns();
  Bytes rows;
  rows.Append(SixColumnRow(1)).Append(SixColumnRow(1, true));
  Bytes after = AllColumns(6);
  const RowsEvent* e =
      Rows(EventType::kUpdateRowsV1, RowsData(kTableId, 1, 6, AllColumns(6), &after, rows));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->version, 1);
  auto changes = ReadAll(*e);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].before[1].i64(), -5);
  EXPECT_TRUE(changes[0].after[1].is_null());
}

TEST_F(RowsTest, DeleteWithMinimalImageMarksAbsentColumns) {
  Start();
  MapSixColumns();
  Bytes present{0x01};  // only id
  Bytes rows;
  rows.U8(0).U64(9).U8(0).U64(10);
  const RowsEvent* e =
      Rows(EventType::kDeleteRowsV2, RowsData(kTableId, 2, 6, present, nullptr, rows));
  ASSERT_NE(e, nullptr);
  auto changes = ReadAll(*e);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].before[0].i64(), 10);
  for (int i = 1; i < 6; ++i) EXPECT_EQ(changes[1].before[i].kind(), ValueKind::kAbsent);
  EXPECT_TRUE(changes[1].after.empty());
}

TEST_F(RowsTest, UpdateWithDifferentBeforeAndAfterImages) {
  Start();
  MapSixColumns();
  Bytes before{0x01};        // id
  Bytes after{0x02 | 0x04};  // qty, a
  Bytes rows;
  rows.U8(0).U64(3);     // before: id=3
  rows.U8(0x02).U32(8);  // after: qty=8, a NULL (2nd present column)
  const RowsEvent* e =
      Rows(EventType::kUpdateRowsV2, RowsData(kTableId, 2, 6, before, &after, rows));
  ASSERT_NE(e, nullptr);
  auto changes = ReadAll(*e);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].before[0].i64(), 3);
  EXPECT_EQ(changes[0].before[1].kind(), ValueKind::kAbsent);
  EXPECT_EQ(changes[0].after[0].kind(), ValueKind::kAbsent);
  EXPECT_EQ(changes[0].after[1].i64(), 8);
  EXPECT_TRUE(changes[0].after[2].is_null());
}

TEST_F(RowsTest, V2ExtraRowInfoIsKeptRaw) {
  Start();
  MapSixColumns();
  Bytes extra{0x01, 0x02, 0x03};  // partition info: type 1, then data
  const RowsEvent* e = Rows(EventType::kWriteRowsV2, RowsData(kTableId, 2, 6, AllColumns(6),
                                                              nullptr, SixColumnRow(1), 1, extra));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->extra_data.size(), 3u);
  EXPECT_EQ(ReadAll(*e).size(), 1u);
}

TEST_F(RowsTest, RowsWithoutTableMapAreRefused) {
  Start();
  auto e =
      Feed(EventType::kWriteRowsV2, RowsData(99, 2, 6, AllColumns(6), nullptr, SixColumnRow(1)));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(e.status().message().find("table id 99"), std::string::npos);
}

TEST_F(RowsTest, TruncatedRowNamesEventPositionRowAndColumn) {
  Start();
  MapSixColumns();
  Bytes rows = SixColumnRow(1);
  rows.Append(SixColumnRow(2));
  rows.vec().erase(rows.vec().end() - 4, rows.vec().end());  // cut into the second row's DATETIME
  const RowsEvent* e =
      Rows(EventType::kWriteRowsV2, RowsData(kTableId, 2, 6, AllColumns(6), nullptr, rows),
           {.log_pos = 5000});
  ASSERT_NE(e, nullptr);
  RowReader reader(*e);
  RowChange change;
  ASSERT_TRUE(*reader.Next(change));
  auto second = reader.Next(change);
  ASSERT_FALSE(second.ok());
  std::string msg(second.status().message());
  EXPECT_NE(msg.find("WRITE_ROWS_EVENT at binlog.000003:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("row 1, column 5 `at`"), std::string::npos) << msg;
}

TEST_F(RowsTest, EveryTruncationOfARowsEventFailsCleanly) {
  Start("8.0.36", false);
  MapSixColumns();
  Bytes full = RowsData(kTableId, 2, 6, AllColumns(6), nullptr, SixColumnRow(1));
  for (size_t cut = 0; cut < full.size(); ++cut) {
    Bytes prefix;
    prefix.Append(full.span().first(cut));
    auto e = Feed(EventType::kWriteRowsV2, prefix);
    if (!e.ok()) continue;
    RowReader reader(*events_.back()->As<RowsEvent>());
    RowChange change;
    auto r = reader.Next(change);
    // A prefix that ends exactly between header and rows is an empty event; any other must
    // fail when its row is read.
    if (r.ok()) {
      EXPECT_FALSE(*r) << "cut " << cut;
    }
  }
}

TEST_F(RowsTest, RowsWhoseBitmapNamesNoColumnsEndWithAnErrorNotALoop) {
  Start();
  MapSixColumns();
  const RowsEvent* e =
      Rows(EventType::kWriteRowsV2, RowsData(kTableId, 2, 6, Bytes{0x00}, nullptr, Bytes{0x00}));
  ASSERT_NE(e, nullptr);
  RowReader reader(*e);
  RowChange change;
  EXPECT_FALSE(reader.Next(change).ok());
}

TEST_F(RowsTest, PartialUpdateRowsCarryJsonDiffs) {
  Start();
  ASSERT_TRUE(Feed(EventType::kTableMap,
                   TableMapData(kTableId, "d", "docs",
                                {{ColumnType::kLong, {}, false}, {ColumnType::kJson, Bytes{1}}}))
                  .ok());
  Bytes rows;
  // Row 1: before (id=1, doc=false); value options PARTIAL_JSON; JSON column 0 is a diff:
  // REPLACE $.a with true, REMOVE $.b.
  rows.U8(0).U32(1).U8(2).U8(0x04).U8(0x02);
  rows.U8(1).U8(0x01);
  Bytes diffs;
  diffs.U8(0).PackedStr("$.a").Packed(2).U8(0x04).U8(0x01);
  diffs.U8(2).PackedStr("$.b");
  rows.U8(0).U32(1).U8(diffs.size()).Append(diffs);
  // Row 2: value options 0, the after image holds a whole document.
  rows.U8(0).U32(2).U8(2).U8(0x04).U8(0x02);
  rows.U8(0);
  rows.U8(0).U32(2).U8(2).U8(0x04).U8(0x00);
  Bytes after = AllColumns(2);
  const RowsEvent* e =
      Rows(EventType::kPartialUpdateRows, RowsData(kTableId, 2, 2, AllColumns(2), &after, rows));
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->partial_json);
  auto changes = ReadAll(*e);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].before[1].kind(), ValueKind::kJson);
  ASSERT_EQ(changes[0].after[1].kind(), ValueKind::kJsonDiff);
  JsonDiffReader reader(changes[0].after[1].bytes());
  JsonDiff diff;
  ASSERT_TRUE(*reader.Next(&diff));
  EXPECT_EQ(diff.operation, JsonDiffOperation::kReplace);
  EXPECT_EQ(diff.path, "$.a");
  EXPECT_EQ(diff.value.size(), 2u);
  ASSERT_TRUE(*reader.Next(&diff));
  EXPECT_EQ(diff.operation, JsonDiffOperation::kRemove);
  EXPECT_EQ(diff.path, "$.b");
  EXPECT_FALSE(*reader.Next(&diff));
  EXPECT_EQ(changes[1].after[1].kind(), ValueKind::kJson);
}

TEST_F(RowsTest, PartialUpdateWithBadDiffIsAnError) {
  Start();
  ASSERT_TRUE(Feed(EventType::kTableMap,
                   TableMapData(kTableId, "d", "docs", {{ColumnType::kJson, Bytes{1}}}))
                  .ok());
  Bytes rows;
  rows.U8(0).U8(0);              // before: empty JSON
  rows.U8(1).U8(0x01);           // partial
  rows.U8(0).U8(2).U8(7).U8(0);  // after: diff with operation 7
  Bytes after = AllColumns(1);
  const RowsEvent* e =
      Rows(EventType::kPartialUpdateRows, RowsData(kTableId, 2, 1, AllColumns(1), &after, rows));
  ASSERT_NE(e, nullptr);
  RowReader reader(*e);
  RowChange change;
  EXPECT_FALSE(reader.Next(change).ok());
}

TEST_F(RowsTest, UnknownPreGaRowsVersionIsAnError) {
  Start();
  auto e = Feed(static_cast<EventType>(20), Bytes().U48(1).U16(0));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kUnimplemented);
}

TEST_F(RowsTest, MoreColumnsThanTheTableMapIsAnError) {
  Start();
  MapSixColumns();
  auto e = Feed(EventType::kWriteRowsV2, RowsData(kTableId, 2, 9, AllColumns(9), nullptr, Bytes()));
  EXPECT_FALSE(e.ok());
}

// MariaDB's compressed record: header byte 0x80 | length-bytes, big-endian length, zlib data.
Bytes MariaDbCompress(const Bytes& plain) {
  uLongf n = compressBound(plain.size());
  std::vector<uint8_t> z(n);
  EXPECT_EQ(compress(z.data(), &n, plain.span().data(), plain.size()), Z_OK);
  Bytes out;
  out.U8(0x80 | 2).BE(plain.size(), 2).Append(std::span<const uint8_t>(z.data(), n));
  return out;
}

TEST_F(RowsTest, MariaDbCompressedRowsEventV1AndV2) {
  Start("10.11.6-MariaDB-log", true);
  MapSixColumns();
  Bytes rows;
  for (int i = 0; i < 50; ++i) rows.Append(SixColumnRow(i));
  for (auto [type, version] : {std::pair{EventType::kMariaWriteRowsCompressedV1, 1},
                               std::pair{EventType::kMariaWriteRowsCompressed, 2}}) {
    Bytes data;
    data.U48(kTableId).U16(1);
    if (version == 2) data.U16(2);
    data.Packed(6).Append(AllColumns(6)).Append(MariaDbCompress(rows));
    const RowsEvent* e = Rows(type, data);
    ASSERT_NE(e, nullptr);
    EXPECT_TRUE(e->was_compressed);
    auto changes = ReadAll(*e);
    ASSERT_EQ(changes.size(), 50u);
    EXPECT_EQ(changes[49].after[0].i64(), 49);
  }
}

TEST_F(RowsTest, MariaDbCompressedQuery) {
  Start("10.11.6-MariaDB-log", true);
  std::string query = "INSERT INTO t VALUES " + std::string(500, 'x');
  Bytes data;
  data.U32(1).U32(0).U8(2).U16(0).U16(0).Str("db").U8(0).Append(
      MariaDbCompress(Bytes().Str(query)));
  auto e = Feed(EventType::kMariaQueryCompressed, data);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->As<QueryEvent>()->query, query);
  EXPECT_TRUE(e->As<QueryEvent>()->was_compressed);
  Bytes corrupt;
  corrupt.U32(1).U32(0).U8(0).U16(0).U16(0).U8(0).U8(0x81).U8(10).Str("garbage");
  EXPECT_FALSE(Feed(EventType::kMariaQueryCompressed, corrupt).ok());
}

TEST_F(RowsTest, TransactionPayloadCarriesWholeTransaction) {
  Start();
  // The inner events: no checksums, positions irrelevant.
  Bytes inner;
  inner.Append(std::span<const uint8_t>(
      MakeEvent(EventType::kTableMap,
                TableMapData(kTableId, "shop", "orders", SixColumns(), SixColumnNames()))));
  inner.Append(std::span<const uint8_t>(
      MakeEvent(EventType::kWriteRowsV2,
                RowsData(kTableId, 2, 6, AllColumns(6), nullptr, SixColumnRow(42)))));
  inner.Append(std::span<const uint8_t>(MakeEvent(EventType::kXid, Bytes().U64(5))));
  std::vector<uint8_t> z(ZSTD_compressBound(inner.size()));
  size_t zn = ZSTD_compress(z.data(), z.size(), inner.span().data(), inner.size(), 3);
  ASSERT_FALSE(ZSTD_isError(zn));
  Bytes data;
  data.Packed(2).Packed(1).Packed(0);  // compression type: zstd
  // Each value is itself a length-encoded integer; its length comes first.
  auto field = [&data](uint64_t type, uint64_t value) {
    Bytes v;
    v.Packed(value);
    data.Packed(type).Packed(v.size()).Append(v);
  };
  field(3, inner.size());  // uncompressed size
  field(1, zn);            // payload size
  data.Packed(0);          // end of header
  data.Append(std::span<const uint8_t>(z.data(), zn));
  auto outer = Feed(EventType::kTransactionPayload, data, {.log_pos = 9000});
  ASSERT_TRUE(outer.ok()) << outer.status();
  const auto* payload = outer->As<TransactionPayloadEvent>();
  ASSERT_NE(payload, nullptr);
  EXPECT_EQ(payload->uncompressed_size, inner.size());

  PayloadReader reader(*payload);
  std::shared_ptr<const std::vector<uint8_t>> inner_event;
  std::vector<Event> decoded;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&inner_event);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    auto e = decoder_.DecodeEmbedded(inner_event, *outer);
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(e->context.position, outer->context.position);
    decoded.push_back(*std::move(e));
  }
  ASSERT_EQ(decoded.size(), 3u);
  const RowsEvent* rows = decoded[1].As<RowsEvent>();
  ASSERT_NE(rows, nullptr);
  RowReader rows_reader(*rows);
  RowChange change;
  ASSERT_TRUE(*rows_reader.Next(change));
  EXPECT_EQ(change.after[0].i64(), 42);
  EXPECT_EQ(decoded[2].As<XidEvent>()->xid, 5u);
}

TEST_F(RowsTest, TransactionPayloadSizeMismatchIsAnError) {
  Start();
  Bytes data;
  data.Packed(2)
      .Packed(1)
      .Packed(0)
      .Packed(3)
      .Packed(1)
      .Packed(10)
      .Packed(1)
      .Packed(1)
      .Packed(50)
      .Packed(0);
  data.Str("short");
  EXPECT_FALSE(Feed(EventType::kTransactionPayload, data).ok());
}

// An uncompressed payload (type 255) of `events`, claiming `claimed_size` bytes of them.
Bytes PlainPayload(const Bytes& events, uint64_t claimed_size) {
  Bytes data;
  auto field = [&data](uint64_t type, uint64_t value) {
    Bytes v;
    v.Packed(value);
    data.Packed(type).Packed(v.size()).Append(v);
  };
  field(2, 255);
  field(3, claimed_size);
  field(1, events.size());
  data.Packed(0).Append(events);
  return data;
}

TEST_F(RowsTest, TransactionPayloadThatDoesNotAddUpIsAnError) {
  Start();
  Bytes xid;
  xid.Append(std::span<const uint8_t>(MakeEvent(EventType::kXid, Bytes().U64(1))));
  auto read_all = [](const Event& outer) -> absl::Status {
    PayloadReader reader(*outer.As<TransactionPayloadEvent>());
    std::shared_ptr<const std::vector<uint8_t>> e;
    while (true) {
      absl::StatusOr<bool> more = reader.Next(&e);
      if (!more.ok()) return more.status();
      if (!*more) return absl::OkStatus();
    }
  };
  auto good = Feed(EventType::kTransactionPayload, PlainPayload(xid, xid.size()));
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_TRUE(read_all(*good).ok());
  auto over_claimed = Feed(EventType::kTransactionPayload, PlainPayload(xid, xid.size() + 5));
  ASSERT_TRUE(over_claimed.ok());
  EXPECT_FALSE(read_all(*over_claimed).ok());
  Bytes cut;
  cut.Append(xid.span().first(xid.size() - 3));
  auto truncated = Feed(EventType::kTransactionPayload, PlainPayload(cut, cut.size()));
  ASSERT_TRUE(truncated.ok());
  EXPECT_FALSE(read_all(*truncated).ok());
}

TEST(BinlogFile, SplitsAFileIntoEventsWithPositions) {
  Bytes file;
  file.Append(std::span<const uint8_t>(kBinlogMagic));
  std::vector<uint8_t> fde =
      MakeFormatDescription("10.11.6-MariaDB-log", true, {.start_position = 4});
  file.Append(std::span<const uint8_t>(fde));
  uint32_t pos = 4 + fde.size();
  std::vector<uint8_t> tm =
      MakeEvent(EventType::kTableMap, TableMapData(kTableId, "shop", "orders", SixColumns()),
                {.start_position = pos, .checksum = true});
  file.Append(std::span<const uint8_t>(tm));
  pos += tm.size();
  std::vector<uint8_t> rows = MakeEvent(
      EventType::kWriteRowsV1, RowsData(kTableId, 1, 6, AllColumns(6), nullptr, SixColumnRow(7)),
      {.start_position = pos, .checksum = true});
  file.Append(std::span<const uint8_t>(rows));

  EventSplitter split(file.span(), "binlog.000001");
  BinlogDecoder decoder(DecoderOptions{.initial_file = "binlog.000001"});
  RawEvent raw;
  std::vector<uint64_t> positions;
  while (true) {
    auto more = split.Next(&raw);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    auto e = decoder.Decode(raw.bytes, raw.position);
    ASSERT_TRUE(e.ok()) << e.status();
    positions.push_back(e->context.position);
    if (const RowsEvent* r = e->As<RowsEvent>()) {
      RowReader reader(*r);
      RowChange change;
      ASSERT_TRUE(*reader.Next(change));
      EXPECT_EQ(change.after[0].i64(), 7);
    }
  }
  EXPECT_EQ(positions, (std::vector<uint64_t>{4, 4 + fde.size(), pos}));
}

TEST(BinlogFile, BadMagicAndTruncationAreErrorsWithPosition) {
  Bytes not_binlog{'h', 'e', 'l', 'l', 'o'};
  EventSplitter bad(not_binlog.span(), "x.bin");
  RawEvent raw;
  EXPECT_EQ(bad.Next(&raw).status().code(), absl::StatusCode::kInvalidArgument);

  Bytes file;
  file.Append(std::span<const uint8_t>(kBinlogMagic));
  std::vector<uint8_t> fde = MakeFormatDescription("8.0.36", true);
  file.Append(std::span<const uint8_t>(fde).first(fde.size() - 10));
  EventSplitter cut(file.span(), "binlog.000009");
  auto r = cut.Next(&raw);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("binlog.000009:4"), std::string::npos)
      << r.status();
}

}  // namespace
}  // namespace sluice::binlog
