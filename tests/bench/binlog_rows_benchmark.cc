// Rows decoded per second for the six-column table: BIGINT primary key, INT, two
// CHAR(60), DECIMAL(12,2), DATETIME(6). One rows event of 1000 rows (about what a server packs
// into its 8 KB..256 KB events), decoded over and over.
//
//   ninja -C build binlog_rows_benchmark && build/tests/bench/binlog_rows_benchmark
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "binlog_builder.h"
#include "sluice/binlog/decoder.h"

namespace sluice::binlog {
namespace {

using testing::AllColumns;
using testing::Bytes;
using testing::ColumnSpec;
using testing::MakeEvent;
using testing::MakeFormatDescription;
using testing::RowsData;
using testing::TableMapData;

constexpr uint64_t kTableId = 101;
constexpr int kRowsPerEvent = 1000;

std::vector<ColumnSpec> SixColumns() {
  return {{ColumnType::kLongLong, {}, false},      {ColumnType::kLong, {}},
          {ColumnType::kString, Bytes{0xfe, 240}}, {ColumnType::kString, Bytes{0xfe, 240}},
          {ColumnType::kNewDecimal, Bytes{12, 2}}, {ColumnType::kDateTime2, Bytes{6}}};
}

struct Fixture {
  std::vector<uint8_t> fde, table_map, rows;
  Fixture() {
    fde = MakeFormatDescription("8.0.36", true);
    table_map =
        MakeEvent(EventType::kTableMap, TableMapData(kTableId, "bench", "orders", SixColumns()),
                  {.checksum = true});
    Bytes images;
    for (int i = 0; i < kRowsPerEvent; ++i) {
      images.U8(0).U64(1000000 + i).U32(i * 7);
      std::string a = "customer-" + std::to_string(i) + " some text padding it out";
      std::string b = "note " + std::to_string(i * 13);
      images.U8(a.size()).Str(a).U8(b.size()).Str(b);
      images.Append(Bytes{0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x0c});
      images.Append(Bytes{0x99, 0xb2, 0xba, 0xdb, 0x47}).BE(i % 1000000, 3);
    }
    rows = MakeEvent(EventType::kWriteRowsV2,
                     RowsData(kTableId, 2, 6, AllColumns(6), nullptr, images), {.checksum = true});
  }
};

const Fixture& GetFixture() {
  static const Fixture* f = new Fixture;
  return *f;
}

BinlogDecoder PreparedDecoder(const Fixture& f) {
  BinlogDecoder d(DecoderOptions{.initial_file = "binlog.000001"});
  (void)d.Decode(f.fde);
  (void)d.Decode(f.table_map);
  return d;
}

// The row decoder alone: what every row costs once its event is parsed.
void BM_DecodeRows(benchmark::State& state) {
  const Fixture& f = GetFixture();
  BinlogDecoder decoder = PreparedDecoder(f);
  absl::StatusOr<Event> event = decoder.Decode(f.rows);
  if (!event.ok()) {
    state.SkipWithError(std::string(event.status().message()).c_str());
    return;
  }
  const RowsEvent& rows = *event->As<RowsEvent>();
  RowChange change;
  int64_t decoded = 0;
  for (auto _ : state) {
    RowReader reader(rows);
    while (*reader.Next(change)) {
      benchmark::DoNotOptimize(change.after.data());
      ++decoded;
    }
  }
  state.SetItemsProcessed(decoded);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f.rows.size()));
}
BENCHMARK(BM_DecodeRows);

// The whole path per event: header, CRC32 verification, rows header, table lookup, rows.
void BM_DecodeEventAndRows(benchmark::State& state) {
  const Fixture& f = GetFixture();
  BinlogDecoder decoder = PreparedDecoder(f);
  RowChange change;
  int64_t decoded = 0;
  for (auto _ : state) {
    absl::StatusOr<Event> event = decoder.Decode(f.rows);
    RowReader reader(*event->As<RowsEvent>());
    while (*reader.Next(change)) {
      benchmark::DoNotOptimize(change.after.data());
      ++decoded;
    }
  }
  state.SetItemsProcessed(decoded);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f.rows.size()));
}
BENCHMARK(BM_DecodeEventAndRows);

}  // namespace
}  // namespace sluice::binlog

BENCHMARK_MAIN();
