// The transform chain on one Debezium change event shaped like scripts/bench's rows (the
// envelope of json_converter_benchmark.cc): ExtractNewRecordState then RegexRouter, as a
// typical Debezium deployment configures them, per record on one core. The event's topic and
// schemas stay the same from record to record, as in a run of one table's rows; what the chain
// builds goes to a batch reset every 4096 records, as the task resets its batch per poll.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

#include "runtime/data/record_batch.h"
#include "runtime/data/schema.h"
#include "runtime/transform/transform_chain.h"

namespace {

using sluice::data::PrimitiveSchema;
using sluice::data::SchemaBuilder;
using sluice::data::SchemaPtr;
using sluice::data::StructValue;
using sluice::data::Type;
using sluice::data::Value;

struct Event {
  SchemaPtr key, row, source, envelope;
  sluice::data::RecordBatch batch;
  sluice::data::SourceRecord record;
};

void Set(sluice::data::RecordBatch& b, StructValue* s, uint32_t field, const Value& v) {
  if (!b.SetField(s, field, v).ok()) std::abort();
}

void Build(Event& e) {
  e.key = *SchemaBuilder::Struct().Name("bench.bench.orders.Key").AddField("id", PrimitiveSchema(Type::kInt64)).Build();
  e.row = *SchemaBuilder::Struct()
               .Name("bench.bench.orders.Value")
               .Optional()
               .AddField("id", PrimitiveSchema(Type::kInt64))
               .AddField("customer", PrimitiveSchema(Type::kInt32, true))
               .AddField("note", PrimitiveSchema(Type::kString, true))
               .AddField("status", PrimitiveSchema(Type::kString, true))
               .AddField("amount", sluice::data::DecimalSchema(2, 12, /*optional=*/true))
               .AddField("created", *SchemaBuilder(Type::kInt64)
                                        .Name("io.debezium.time.MicroTimestamp")
                                        .Version(1)
                                        .Optional()
                                        .Build())
               .Build();
  SchemaBuilder source(Type::kStruct);
  source.Name("io.debezium.connector.mysql.Source");
  for (const char* name : {"version", "connector", "name"}) source.AddField(name, PrimitiveSchema(Type::kString));
  source.AddField("ts_ms", PrimitiveSchema(Type::kInt64));
  for (const char* name : {"snapshot", "db", "sequence", "table"}) {
    source.AddField(name, PrimitiveSchema(Type::kString, true));
  }
  source.AddField("server_id", PrimitiveSchema(Type::kInt64));
  source.AddField("file", PrimitiveSchema(Type::kString));
  source.AddField("pos", PrimitiveSchema(Type::kInt64));
  source.AddField("row", PrimitiveSchema(Type::kInt32));
  e.source = *source.Build();
  e.envelope = *SchemaBuilder::Struct()
                    .Name("bench.bench.orders.Envelope")
                    .AddField("before", e.row)
                    .AddField("after", e.row)
                    .AddField("source", e.source)
                    .AddField("op", PrimitiveSchema(Type::kString))
                    .AddField("ts_ms", PrimitiveSchema(Type::kInt64, true))
                    .Build();
  sluice::data::RecordBatch& b = e.batch;
  StructValue* after = b.NewStruct(e.row.get());
  Set(b, after, 0, Value::Int(42));
  Set(b, after, 1, Value::Int(7));
  Set(b, after, 2, Value::String("a note of some sixty characters, as the bench table has them"));
  Set(b, after, 3, Value::String("shipped"));
  Set(b, after, 4, Value::Bytes(std::string_view("\x01\x02\x03", 3)));
  Set(b, after, 5, Value::Int(1700000000123456));
  StructValue* src = b.NewStruct(e.source.get());
  Set(b, src, 0, Value::String("3.6.1.Final"));
  Set(b, src, 1, Value::String("mysql"));
  Set(b, src, 2, Value::String("bench"));
  Set(b, src, 3, Value::Int(1700000000000));
  Set(b, src, 5, Value::String("bench"));
  Set(b, src, 7, Value::String("orders"));
  Set(b, src, 8, Value::Int(1));
  Set(b, src, 9, Value::String("binlog.000001"));
  Set(b, src, 10, Value::Int(4242));
  StructValue* env = b.NewStruct(e.envelope.get());
  Set(b, env, 1, Value::Of(after));
  Set(b, env, 2, Value::Of(src));
  Set(b, env, 3, Value::String("c"));
  Set(b, env, 4, Value::Int(1700000000123));
  StructValue* key = b.NewStruct(e.key.get());
  Set(b, key, 0, Value::Int(42));
  e.record.topic = "bench.bench.orders";
  e.record.key_schema = e.key.get();
  e.record.key = Value::Of(key);
  e.record.value_schema = e.envelope.get();
  e.record.value = Value::Of(env);
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
