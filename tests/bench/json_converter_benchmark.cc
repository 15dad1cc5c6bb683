// The JSON converter on one change event shaped like scripts/bench's rows: a Debezium envelope
// (before, after, source, op, ts_ms, transaction) around a six-column row (BIGINT key, INT, two
// CHAR(60), DECIMAL(12,2), DATETIME(6)), with schemas.enable false (what scripts/bench measures)
// and true. Each iteration is the next row of one rows event: a new key and row number, the rest
// alike (the source block can be written from the previous one's, struct_json_memo.h). Prints
// records/s and bytes/s on one core.
#include <benchmark/benchmark.h>

#include <string>

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

void BM_ChangeEventWithoutSchema(benchmark::State& state) { ConvertChangeEvent(state, false); }
void BM_ChangeEventWithSchema(benchmark::State& state) { ConvertChangeEvent(state, true); }

BENCHMARK(BM_ChangeEventWithoutSchema);
BENCHMARK(BM_ChangeEventWithSchema);

}  // namespace

BENCHMARK_MAIN();
