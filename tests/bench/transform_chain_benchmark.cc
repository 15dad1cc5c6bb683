// The transform chain on the benchmarks' change event (bench_change_event.h: scripts/bench's rows
// in a Debezium envelope): ExtractNewRecordState then RegexRouter, as a
// typical Debezium deployment configures them, per record on one core. The event's topic and
// schemas stay the same from record to record, as in a run of one table's rows; what the chain
// builds goes to a batch reset every 4096 records, as the task resets its batch per poll.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "runtime/transform/transform_chain.h"
#include "tests/bench/bench_change_event.h"

namespace {

using sluice::data::PrimitiveSchema;
using sluice::data::SchemaBuilder;
using sluice::data::SchemaPtr;
using sluice::data::Type;
using sluice::data::Value;

// The benchmarks' change event (bench_change_event.h) as a keyed record of its table's topic.
struct Event {
  sluice::bench::ChangeEvent event;
  SchemaPtr key;
  sluice::data::SourceRecord record;
};

void Build(Event& e) {
  sluice::bench::Build(e.event);
  sluice::data::RecordBatch& b = e.event.batch;
  e.key = *SchemaBuilder::Struct()
               .Name("bench.bench.orders.Key")
               .AddField("id", PrimitiveSchema(Type::kInt64))
               .Build();
  sluice::data::StructValue* key = b.NewStruct(e.key.get());
  sluice::bench::Set(b, key, 0, Value::Int(123456));
  e.record.topic = "bench.bench.orders";
  e.record.key_schema = e.key.get();
  e.record.key = Value::Of(key);
  e.record.value_schema = e.event.envelope.get();
  e.record.value = Value::Of(e.event.value);
}

void Run(benchmark::State& state, const sluice::ConfigMap& config) {
  Event e;
  Build(e);
  auto chain = sluice::transform::TransformChain::Create(config, "bench");
  if (!chain.ok()) {
    state.SkipWithError(std::string(chain.status().message()).c_str());
    return;
  }
  sluice::data::RecordBatch out;
  int64_t n = 0;
  for (auto _ : state) {
    sluice::data::SourceRecord record = e.record;
    sluice::transform::Verdict verdict;
    if (!(*chain)->Apply(record, out, verdict).ok()) std::abort();
    benchmark::DoNotOptimize(record);
    if (++n % 4096 == 0) out.Reset();
  }
  state.SetItemsProcessed(state.iterations());
}

const sluice::ConfigMap kUnwrapAndRoute = {
    {"transforms", "unwrap,route"},
    {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"},
    {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
    {"transforms.route.regex", "([^.]+)\\.([^.]+)\\.([^.]+)"},
    {"transforms.route.replacement", "$1.$3"},
};

void BM_UnwrapAndRoute(benchmark::State& state) { Run(state, kUnwrapAndRoute); }
BENCHMARK(BM_UnwrapAndRoute);

// With the fields and header Debezium users most often add: each record gets a struct of its own.
void BM_UnwrapWithAddFieldsAndRoute(benchmark::State& state) {
  sluice::ConfigMap config = kUnwrapAndRoute;
  config.emplace_back("transforms.unwrap.add.fields", "op,table,source.ts_ms");
  config.emplace_back("transforms.unwrap.add.headers", "op");
  config.emplace_back("transforms.unwrap.delete.tombstone.handling.mode", "rewrite");
  Run(state, config);
}
BENCHMARK(BM_UnwrapWithAddFieldsAndRoute);

}  // namespace

BENCHMARK_MAIN();
