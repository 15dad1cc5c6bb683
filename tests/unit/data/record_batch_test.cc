#include "runtime/data/record_batch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/data/arena.h"
#include "runtime/data/schema.h"

namespace sluice::data {
namespace {

using ::testing::HasSubstr;

SchemaPtr RowSchema() {
  return *SchemaBuilder::Struct()
              .Name("shop.orders.Value")
              .AddField("id", PrimitiveSchema(Type::kInt32))
              .AddField("note", PrimitiveSchema(Type::kString, /*optional=*/true))
              .AddField("flag", PrimitiveSchema(Type::kInt8))
              .Build();
}

TEST(Arena, ResetKeepsBlocksSoTheNextBatchAllocatesNothing) {
  Arena arena(1024);
  for (int i = 0; i < 100; ++i) arena.Allocate(100);
  size_t reserved = arena.bytes_reserved();
  EXPECT_GE(reserved, 100u * 100u);
  arena.Reset();
  EXPECT_EQ(arena.bytes_used(), 0u);
  for (int i = 0; i < 100; ++i) arena.Allocate(100);
  EXPECT_EQ(arena.bytes_reserved(), reserved);
}

TEST(Arena, AllocationsAreAlignedAndLargeOnesFit) {
  Arena arena(64);
  arena.Allocate(3, 1);
  void* p = arena.Allocate(8, 8);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 8, 0u);
  void* big = arena.Allocate(1000);
  ASSERT_NE(big, nullptr);
  std::string_view copy = arena.Copy("hello");
  EXPECT_EQ(copy, "hello");
}

TEST(SchemaBuilder, RejectsDuplicateFieldNames) {
  auto schema = SchemaBuilder::Struct()
                    .Name("t")
                    .AddField("a", PrimitiveSchema(Type::kInt32))
                    .AddField("a", PrimitiveSchema(Type::kInt64))
                    .Build();
  ASSERT_FALSE(schema.ok());
  EXPECT_THAT(std::string(schema.status().message()), HasSubstr("duplicate field name `a`"));
}

TEST(SchemaBuilder, MapNeedsKeyAndValueSchemas) {
  SchemaBuilder b(Type::kMap);
  b.ValueSchema(PrimitiveSchema(Type::kString));
  auto schema = b.Build();
  ASSERT_FALSE(schema.ok());
  EXPECT_THAT(std::string(schema.status().message()), HasSubstr("key schema"));
}

TEST(SchemaBuilder, DefaultMustFitTheType) {
  auto bad = SchemaBuilder(Type::kInt32).Default(Value::Boolean(true)).Build();
  EXPECT_FALSE(bad.ok());
  std::string text = "abc";
  auto good = SchemaBuilder(Type::kString).Default(Value::String(text)).Build();
  ASSERT_TRUE(good.ok());
  text = "xyz";  // the schema keeps its own copy
  EXPECT_EQ((*good)->default_value().str(), "abc");
}

TEST(SchemaBuilder, DecimalCarriesScaleAndPrecisionInOrder) {
  SchemaPtr d = DecimalSchema(2, 10);
  EXPECT_EQ(d->name(), kDecimalLogicalName);
  ASSERT_EQ(d->parameters().size(), 2u);
  EXPECT_EQ(d->parameters()[0].first, "scale");
  EXPECT_EQ(d->parameters()[0].second, "2");
  EXPECT_EQ(d->parameters()[1].first, "connect.decimal.precision");
}

TEST(SchemaBuilder, IdsAreUnique) {
  EXPECT_NE(PrimitiveSchema(Type::kInt32)->id(), PrimitiveSchema(Type::kInt32)->id());
}

TEST(RecordBatch, BuildsARecordAndKeepsIt) {
  SchemaPtr row = RowSchema();
  RecordBatch batch;
  StructValue* s = batch.NewStruct(row.get());
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(batch.SetField(s, 0, Value::Int(42)).ok());
  ASSERT_TRUE(batch.SetField(s, 1, Value::String(batch.Copy("hi"))).ok());
  ASSERT_TRUE(batch.SetField(s, 2, Value::Int(-7)).ok());
  SourceRecord r;
  r.topic = batch.Copy("t");
  r.value_schema = row.get();
  r.value = Value::Of(s);
  ASSERT_TRUE(batch.AppendRecord(r).ok());
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch.records()[0].value.s->fields[1].str(), "hi");
  EXPECT_TRUE(batch.error().ok());
}

TEST(RecordBatch, ACopiedStructKeepsTheValuesAndChangesAlone) {
  SchemaPtr row = RowSchema();
  RecordBatch batch;
  StructValue* original = batch.NewStruct(row.get());
  ASSERT_TRUE(batch.SetField(original, 0, Value::Int(1)).ok());
  ASSERT_TRUE(batch.SetField(original, 1, Value::String(batch.Copy("same"))).ok());
  ASSERT_TRUE(batch.SetField(original, 2, Value::Int(5)).ok());
  StructValue* copy = batch.CopyStruct(original);
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->schema, original->schema);
  EXPECT_EQ(copy->fields[1].str(), "same");
  EXPECT_EQ(copy->fields[1].data, original->fields[1].data) << "strings are shared, not copied";
  ASSERT_TRUE(batch.SetField(copy, 0, Value::Int(2)).ok());
  EXPECT_EQ(copy->fields[0].i, 2);
  EXPECT_EQ(original->fields[0].i, 1) << "setting the copy leaves the original as it was";
  EXPECT_EQ(copy->fields[2].i, 5);
  EXPECT_TRUE(batch.error().ok());
}

TEST(RecordBatch, OnlyAStructOfTheBatchIsCopied) {
  SchemaPtr row = RowSchema();
  SchemaPtr list = *SchemaBuilder::Array(PrimitiveSchema(Type::kInt32)).Build();
  RecordBatch a, b;
  StructValue* in_a = a.NewStruct(row.get());
  EXPECT_EQ(b.CopyStruct(in_a), nullptr);
  EXPECT_THAT(std::string(b.error().message()), HasSubstr("not a struct of this batch"));
  ArrayValue* array = a.NewArray(list.get(), 1);
  EXPECT_EQ(a.CopyStruct(reinterpret_cast<const StructValue*>(array)), nullptr);
  EXPECT_FALSE(a.error().ok());
}

TEST(ScalarMaps, SameEntriesInTheSameOrderAreTheSame) {
  auto text = [](std::string_view key, std::string_view value) {
    ScalarEntry e;
    e.key = key;
    e.kind = ScalarKind::kString;
    e.str = value;
    return e;
  };
  ScalarEntry shard;
  shard.key = "shard";
  shard.kind = ScalarKind::kInt;
  shard.i = 1;
  const ScalarEntry server = text("server", "shop");
  const ScalarEntry other_server = text("server", "shop2");
  const ScalarEntry shard_as_text = text("shard", "1");
  const ScalarEntry a[] = {server, shard};
  const ScalarEntry same[] = {server, shard};
  const ScalarEntry swapped[] = {shard, server};
  const ScalarEntry changed[] = {other_server, shard};
  const ScalarEntry retyped[] = {server, shard_as_text};
  EXPECT_TRUE(SameScalars(a, same));
  EXPECT_FALSE(SameScalars(a, swapped));
  EXPECT_FALSE(SameScalars(a, changed));
  EXPECT_FALSE(SameScalars(a, retyped));
  EXPECT_FALSE(SameScalars(a, ScalarMap(a).first(1)));
  EXPECT_TRUE(SameScalars(ScalarMap(), ScalarMap()));
}

TEST(RecordBatch, OutOfRangeIntegerNamesTheFieldAndSticks) {
  SchemaPtr row = RowSchema();
  RecordBatch batch;
  StructValue* s = batch.NewStruct(row.get());
  absl::Status st = batch.SetField(s, 2, Value::Int(300));
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()), HasSubstr("field `flag` of `shop.orders.Value`"));
  EXPECT_THAT(std::string(st.message()), HasSubstr("out of range for int8"));
  // Later good calls succeed but the batch stays failed with the first error.
  EXPECT_TRUE(batch.SetField(s, 0, Value::Int(1)).ok());
  EXPECT_EQ(batch.error(), st);
  batch.Reset();
  EXPECT_TRUE(batch.error().ok());
}

TEST(RecordBatch, WrongKindIsRefused) {
  SchemaPtr row = RowSchema();
  RecordBatch batch;
  StructValue* s = batch.NewStruct(row.get());
  absl::Status st = batch.SetField(s, 0, Value::String(batch.Copy("x")));
  EXPECT_THAT(std::string(st.message()), HasSubstr("has schema type int32 but was given a string"));
}

TEST(RecordBatch, NullIntoRequiredFieldIsRefused) {
  SchemaPtr row = RowSchema();
  RecordBatch batch;
  StructValue* s = batch.NewStruct(row.get());
  EXPECT_FALSE(batch.SetField(s, 0, Value::Null()).ok());
  EXPECT_TRUE(batch.SetField(s, 1, Value::Null()).ok());
}

TEST(RecordBatch, ValueFromAnotherBatchIsRefused) {
  SchemaPtr inner = RowSchema();
  SchemaPtr outer = *SchemaBuilder::Struct().Name("o").AddField("row", inner).Build();
  RecordBatch a, b;
  StructValue* in_a = a.NewStruct(inner.get());
  StructValue* out_b = b.NewStruct(outer.get());
  absl::Status st = b.SetField(out_b, 0, Value::Of(in_a));
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()), HasSubstr("another batch"));
}

TEST(RecordBatch, NestedStructMustUseTheFieldsSchema) {
  SchemaPtr inner = RowSchema();
  SchemaPtr other = RowSchema();  // equal shape, different schema object
  SchemaPtr outer = *SchemaBuilder::Struct().Name("o").AddField("row", inner).Build();
  RecordBatch batch;
  StructValue* wrong = batch.NewStruct(other.get());
  StructValue* out = batch.NewStruct(outer.get());
  EXPECT_FALSE(batch.SetField(out, 0, Value::Of(wrong)).ok());
  StructValue* right = batch.NewStruct(inner.get());
  EXPECT_TRUE(batch.SetField(out, 0, Value::Of(right)).ok());
}

// SetField's inline check and CheckValue agree: every kind of value against every type of field,
// required and optional, integers at the edges of each width.
TEST(RecordBatch, SetFieldTakesExactlyWhatCheckValueAccepts) {
  RecordBatch batch;
  SchemaPtr inner = RowSchema();
  SchemaPtr same_shape = RowSchema();  // another schema object: its structs do not fit `inner`
  std::vector<SchemaPtr> fields;
  for (Type t : {Type::kInt8, Type::kInt16, Type::kInt32, Type::kInt64, Type::kFloat32,
                 Type::kFloat64, Type::kBoolean, Type::kString, Type::kBytes}) {
    fields.push_back(PrimitiveSchema(t));
    fields.push_back(PrimitiveSchema(t, /*optional=*/true));
  }
  fields.push_back(inner);
  SchemaBuilder builder = SchemaBuilder::Struct();
  builder.Name("all");
  for (size_t i = 0; i < fields.size(); ++i) builder.AddField("f" + std::to_string(i), fields[i]);
  SchemaPtr all = *builder.Build();
  RecordBatch other;
  const std::vector<Value> values = {
      Value::Null(),       Value::Int(0),          Value::Int(127),
      Value::Int(128),     Value::Int(-32769),     Value::Int(int64_t{1} << 31),
      Value::Float(1.5),   Value::Boolean(true),   Value::String(batch.Copy("s")),
      Value::Bytes(batch.Copy("b")), Value::Of(batch.NewStruct(inner.get())),
      Value::Of(batch.NewStruct(same_shape.get())), Value::Of(other.NewStruct(inner.get()))};
  for (size_t f = 0; f < fields.size(); ++f) {
    for (size_t v = 0; v < values.size(); ++v) {
      StructValue* s = batch.NewStruct(all.get());
      const bool accepted =
          CheckValue(*fields[f], values[v], "x").ok() &&
          (values[v].kind != ValueKind::kStruct || values[v].s->batch == &batch);
      EXPECT_EQ(batch.SetField(s, static_cast<uint32_t>(f), values[v]).ok(), accepted)
          << "field " << f << ", value " << v;
    }
  }
}

TEST(RecordBatch, ArraysAndMapsGrowPastTheirHint) {
  SchemaPtr arr = *SchemaBuilder::Array(PrimitiveSchema(Type::kInt64)).Build();
  SchemaPtr map =
      *SchemaBuilder::Map(PrimitiveSchema(Type::kString), PrimitiveSchema(Type::kInt32)).Build();
  RecordBatch batch;
  ArrayValue* a = batch.NewArray(arr.get(), 1);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(batch.Append(a, Value::Int(i)).ok());
  ASSERT_EQ(a->size, 100u);
  EXPECT_EQ(a->items[99].i, 99);
  EXPECT_EQ(a->items[0].i, 0);
  MapValue* m = batch.NewMap(map.get(), 0);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(batch.Put(m, Value::String(batch.Copy(std::to_string(i))), Value::Int(i)).ok());
  }
  ASSERT_EQ(m->size, 10u);
  EXPECT_EQ(m->entries[2 * 9].str(), "9");
  EXPECT_EQ(m->entries[2 * 9 + 1].i, 9);
  EXPECT_FALSE(batch.Put(m, Value::Int(1), Value::Int(1)).ok());
}

TEST(RecordBatch, RecordNeedsTopicAndSchemasForNonNullParts) {
  RecordBatch batch;
  SourceRecord r;
  EXPECT_FALSE(batch.AppendRecord(r).ok());
  batch.Reset();
  r.topic = batch.Copy("t");
  r.key = Value::Int(1);
  absl::Status st = batch.AppendRecord(r);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()), HasSubstr("key is set but has no schema"));
  batch.Reset();
  r.key = Value::Null();
  EXPECT_TRUE(batch.AppendRecord(r).ok());  // a tombstone without key is allowed
}

}  // namespace
}  // namespace sluice::data
