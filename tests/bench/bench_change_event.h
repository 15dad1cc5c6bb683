// One change event shaped like scripts/bench's rows, for the benchmarks: a Debezium envelope
// (before, after, source, op, ts_ms) around a six-column row (BIGINT key, INT, two CHAR(60),
// DECIMAL(12,2), DATETIME(6)), built in its own batch.
#ifndef SLUICE_TESTS_BENCH_BENCH_CHANGE_EVENT_H_
#define SLUICE_TESTS_BENCH_BENCH_CHANGE_EVENT_H_

#include <cstdlib>
#include <string>

#include "runtime/data/record_batch.h"
#include "runtime/data/schema.h"

namespace sluice::bench {

using sluice::data::PrimitiveSchema;
using sluice::data::SchemaBuilder;
using sluice::data::SchemaPtr;
using sluice::data::StructValue;
using sluice::data::Type;
using sluice::data::Value;

struct ChangeEvent {
  SchemaPtr row;
  SchemaPtr source;
  SchemaPtr envelope;
  sluice::data::RecordBatch batch;
  const StructValue* value = nullptr;
  StructValue* after = nullptr;
  StructValue* source_block = nullptr;
};

inline void Set(sluice::data::RecordBatch& batch, StructValue* s, uint32_t field, const Value& value) {
  if (!batch.SetField(s, field, value).ok()) std::abort();
}

inline void Build(ChangeEvent& e) {
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
  for (const char* name : {"version", "connector", "name"}) {
    source.AddField(name, PrimitiveSchema(Type::kString));
  }
  source.AddField("ts_ms", PrimitiveSchema(Type::kInt64));
  for (const char* name : {"snapshot", "db", "sequence", "table"}) {
    source.AddField(name, PrimitiveSchema(Type::kString, true));
  }
  source.AddField("server_id", PrimitiveSchema(Type::kInt64));
  source.AddField("gtid", PrimitiveSchema(Type::kString, true));
  source.AddField("file", PrimitiveSchema(Type::kString));
  source.AddField("pos", PrimitiveSchema(Type::kInt64));
  source.AddField("row", PrimitiveSchema(Type::kInt32));
  source.AddField("thread", PrimitiveSchema(Type::kInt64, true));
  source.AddField("query", PrimitiveSchema(Type::kString, true));
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
  Set(b, after, 0, Value::Int(123456));
  Set(b, after, 1, Value::Int(4242));
  Set(b, after, 2, Value::String(b.Copy(std::string(60, 'n'))));
  Set(b, after, 3, Value::String(b.Copy("shipped to the customer's address, signed for at the door")));
  Set(b, after, 4, Value::Bytes(b.Copy(std::string("\x00\x12\xd6\x87", 4))));
  Set(b, after, 5, Value::Int(1795700000123456));
  StructValue* src = b.NewStruct(e.source.get());
  Set(b, src, 0, Value::String(b.Copy("0.1.0")));
  Set(b, src, 1, Value::String(b.Copy("mysql")));
  Set(b, src, 2, Value::String(b.Copy("bench")));
  Set(b, src, 3, Value::Int(1795700000000));
  Set(b, src, 4, Value::String(b.Copy("false")));
  Set(b, src, 5, Value::String(b.Copy("bench")));
  Set(b, src, 7, Value::String(b.Copy("orders")));
  Set(b, src, 8, Value::Int(1));
  Set(b, src, 9, Value::String(b.Copy("0-1-1234")));
  Set(b, src, 10, Value::String(b.Copy("mariadb-bin.000001")));
  Set(b, src, 11, Value::Int(123456789));
  Set(b, src, 12, Value::Int(17));
  StructValue* envelope = b.NewStruct(e.envelope.get());
  Set(b, envelope, 1, Value::Of(after));
  Set(b, envelope, 2, Value::Of(src));
  Set(b, envelope, 3, Value::String(b.Copy("c")));
  Set(b, envelope, 4, Value::Int(1795700000001));
  e.value = envelope;
  e.after = after;
  e.source_block = src;
}

}  // namespace sluice::bench

#endif  // SLUICE_TESTS_BENCH_BENCH_CHANGE_EVENT_H_
