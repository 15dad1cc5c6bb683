// The JSON converter on one change event shaped like scripts/bench's rows: a Debezium envelope
// (before, after, source, op, ts_ms, transaction) around a six-column row (BIGINT key, INT, two
// CHAR(60), DECIMAL(12,2), DATETIME(6)), with schemas.enable false (what scripts/bench measures)
// and true. Each iteration is the next row of one rows event. In BM_ChangeEvent* only the key and
// the row number change (the rest alike: the source block, and the after-image too, can be written
// from the previous one's, struct_json_memo.h); in BM_BacklogRows* every column changes as in
// scripts/bench's rows, so only the source block can. Prints records/s and bytes/s on one core.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "runtime/convert/json_converter.h"
#include "tests/bench/bench_change_event.h"

namespace {

using sluice::bench::Build;
using sluice::bench::ChangeEvent;
using sluice::data::Value;

void ConvertChangeEvent(benchmark::State& state, bool schemas_enable) {
  ChangeEvent event;
  Build(event);
  sluice::convert::JsonConverter converter({.schemas_enable = schemas_enable});
  size_t bytes = 0;
  int64_t row = 0;
  for (auto _ : state) {
    // The next row (set in place: the values were checked when first set).
    ++row;
    event.after->fields[0] = Value::Int(123456 + row);
    event.source_block->fields[12] = Value::Int(row % 1000);
    auto json = converter.FromConnectData(event.envelope.get(), Value::Of(event.value));
    if (!json.ok()) std::abort();
    bytes += (*json)->size();
    benchmark::DoNotOptimize((*json)->data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

// The columns of scripts/bench's row `id` (scripts/bench.d/database.py), in the batch's arena.
struct BacklogRow {
  Value item, note, amount;
};

std::vector<BacklogRow> BacklogRows(sluice::data::RecordBatch& batch, int count) {
  std::vector<BacklogRow> rows;
  for (int id = 0; id < count; ++id) {
    char item[61], note[61];
    std::snprintf(item, sizeof item, "item-%054d", id);
    std::snprintf(note, sizeof note, "note-%054d", id * 7);
    // DECIMAL(12,2) as Connect's Decimal: the unscaled value's big-endian two's complement.
    const int cents = id % 100000;
    const char amount[3] = {static_cast<char>(cents >> 16), static_cast<char>(cents >> 8),
                            static_cast<char>(cents)};
    rows.push_back({Value::String(batch.Copy(item)), Value::String(batch.Copy(note)),
                    Value::Bytes(batch.Copy(std::string_view(amount, 3)))});
  }
  return rows;
}

void ConvertBacklogRows(benchmark::State& state, bool schemas_enable) {
  ChangeEvent event;
  Build(event);
  const std::vector<BacklogRow> rows = BacklogRows(event.batch, 1024);
  sluice::convert::JsonConverter converter({.schemas_enable = schemas_enable});
  size_t bytes = 0;
  int64_t id = 0;
  for (auto _ : state) {
    ++id;
    const BacklogRow& row = rows[id % rows.size()];
    Value* after = event.after->fields;
    after[0] = Value::Int(id);
    after[1] = Value::Int(id % 9973);
    after[2] = row.item;
    after[3] = row.note;
    after[4] = row.amount;
    after[5] = Value::Int(1795700000123456 + id);
    event.source_block->fields[12] = Value::Int(id % 1000);
    auto json = converter.FromConnectData(event.envelope.get(), Value::Of(event.value));
    if (!json.ok()) std::abort();
    bytes += (*json)->size();
    benchmark::DoNotOptimize((*json)->data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_ChangeEventWithoutSchema(benchmark::State& state) { ConvertChangeEvent(state, false); }
void BM_ChangeEventWithSchema(benchmark::State& state) { ConvertChangeEvent(state, true); }
void BM_BacklogRowsWithoutSchema(benchmark::State& state) { ConvertBacklogRows(state, false); }
void BM_BacklogRowsWithSchema(benchmark::State& state) { ConvertBacklogRows(state, true); }

BENCHMARK(BM_ChangeEventWithoutSchema);
BENCHMARK(BM_ChangeEventWithSchema);
BENCHMARK(BM_BacklogRowsWithoutSchema);
BENCHMARK(BM_BacklogRowsWithSchema);

}  // namespace

BENCHMARK_MAIN();
