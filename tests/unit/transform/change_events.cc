#include "tests/unit/transform/change_events.h"

#include <cstdlib>

namespace sluice::transform::testing {
namespace {

using data::PrimitiveSchema;
using data::SchemaBuilder;
using data::Type;
using data::Value;

void Set(data::RecordBatch& b, data::StructValue* s, std::string_view field, const Value& v) {
  const int32_t i = s->schema->FieldIndex(field);
  if (i < 0 || !b.SetField(s, static_cast<uint32_t>(i), v).ok()) std::abort();
}

}  // namespace

Table::Table(std::string t, bool with_note) : topic(std::move(t)) {
  key = *SchemaBuilder::Struct().Name(topic + ".Key").AddField("id", PrimitiveSchema(Type::kInt64)).Build();
  SchemaBuilder r = SchemaBuilder::Struct();
  r.Name(topic + ".Value").Optional().AddField("id", PrimitiveSchema(Type::kInt64));
  r.AddField("qty", *SchemaBuilder(Type::kInt32).Optional().Default(Value::Int(5)).Build());
  if (with_note) r.AddField("note", PrimitiveSchema(Type::kString, true));
  row = *r.Build();
  SchemaBuilder s = SchemaBuilder::Struct();
  s.Name("io.debezium.connector.mysql.Source");
  s.AddField("version", PrimitiveSchema(Type::kString));
  s.AddField("connector", PrimitiveSchema(Type::kString));
  s.AddField("name", PrimitiveSchema(Type::kString));
  s.AddField("ts_ms", PrimitiveSchema(Type::kInt64));
  s.AddField("db", PrimitiveSchema(Type::kString));
  s.AddField("table", PrimitiveSchema(Type::kString, true));
  s.AddField("file", PrimitiveSchema(Type::kString));
  s.AddField("pos", PrimitiveSchema(Type::kInt64));
  source = *s.Build();
  txn = *SchemaBuilder::Struct()
             .Name("event.block")
             .Version(1)
             .Optional()
             .AddField("id", PrimitiveSchema(Type::kString))
             .AddField("total_order", PrimitiveSchema(Type::kInt64))
             .AddField("data_collection_order", PrimitiveSchema(Type::kInt64))
             .Build();
  envelope = *SchemaBuilder::Struct()
                  .Name(topic + ".Envelope")
                  .Version(2)
                  .AddField("before", row)
                  .AddField("after", row)
                  .AddField("source", source)
                  .AddField("op", PrimitiveSchema(Type::kString))
                  .AddField("ts_ms", PrimitiveSchema(Type::kInt64, true))
                  .AddField("transaction", txn)
                  .Build();
}

Value Events::RowValue(const Row& r) {
  data::StructValue* s = batch_.NewStruct(t_.row.get());
  Set(batch_, s, "id", Value::Int(r.id));
  if (r.qty.has_value()) Set(batch_, s, "qty", Value::Int(*r.qty));
  if (t_.row->FieldIndex("note") >= 0) Set(batch_, s, "note", Value::String(batch_.Copy(r.note)));
  return Value::Of(s);
}

Value Events::Key(int64_t id) {
  data::StructValue* k = batch_.NewStruct(t_.key.get());
  Set(batch_, k, "id", Value::Int(id));
  return Value::Of(k);
}

data::SourceRecord Events::Change(char op, const Row& before, const Row& after) {
  data::StructValue* src = batch_.NewStruct(t_.source.get());
  Set(batch_, src, "version", Value::String("3.6.1.Final"));
  Set(batch_, src, "connector", Value::String("mysql"));
  Set(batch_, src, "name", Value::String("ref"));
  Set(batch_, src, "ts_ms", Value::Int(1700000000000));
  Set(batch_, src, "db", Value::String("shop"));
  Set(batch_, src, "table", Value::String("orders"));
  Set(batch_, src, "file", Value::String("binlog.000001"));
  Set(batch_, src, "pos", Value::Int(4242));
  data::StructValue* e = batch_.NewStruct(t_.envelope.get());
  if (op == 'u' || op == 'd') Set(batch_, e, "before", RowValue(before));
  if (op == 'c' || op == 'u' || op == 'r') Set(batch_, e, "after", RowValue(after));
  Set(batch_, e, "source", Value::Of(src));
  const std::string_view ops = "cudrt";
  Set(batch_, e, "op", Value::String(ops.substr(ops.find(op), 1)));
  Set(batch_, e, "ts_ms", Value::Int(1700000000123));
  data::SourceRecord record;
  record.topic = t_.topic;
  if (op != 't') {
    record.key_schema = t_.key.get();
    record.key = Key(op == 'd' ? before.id : after.id);
  }
  record.value_schema = t_.envelope.get();
  record.value = Value::Of(e);
  return record;
}

data::SourceRecord Events::Tombstone(int64_t id) {
  data::SourceRecord record;
  record.topic = t_.topic;
  record.key_schema = t_.key.get();
  record.key = Key(id);
  return record;
}

data::SourceRecord Events::SchemaChange() {
  if (ddl_ == nullptr) {
    ddl_ = *SchemaBuilder::Struct()
                .Name("io.debezium.connector.mysql.SchemaChangeValue")
                .AddField("ddl", PrimitiveSchema(Type::kString))
                .Build();
  }
  data::StructValue* v = batch_.NewStruct(ddl_.get());
  Set(batch_, v, "ddl", Value::String("ALTER TABLE orders ADD note TEXT"));
  data::SourceRecord record;
  record.topic = "ref";
  record.value_schema = ddl_.get();
  record.value = Value::Of(v);
  return record;
}

std::string Json(const data::Schema* schema, const data::Value& value, bool schemas) {
  convert::JsonConverter converter({.schemas_enable = schemas});
  auto out = converter.FromConnectData(schema, value);
  if (!out.ok()) return "<error: " + std::string(out.status().message()) + ">";
  return out->has_value() ? std::string(**out) : "<null>";
}

}  // namespace sluice::transform::testing
