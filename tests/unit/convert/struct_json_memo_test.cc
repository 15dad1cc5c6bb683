// Structs written from the last one of their schema (struct_json_memo.h) must read exactly as
// written in full: a converter that keeps its memos across thousands of records, with a few
// fields changed each time and the batch's arena reused under it, is compared with a fresh
// converter per record.
#include "runtime/convert/struct_json_memo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "runtime/convert/json_converter.h"
#include "runtime/data/record_batch.h"
#include "runtime/data/schema.h"

namespace sluice::convert {
namespace {

using data::PrimitiveSchema;
using data::SchemaBuilder;
using data::SchemaPtr;
using data::Type;
using data::Value;
using ::testing::HasSubstr;

SchemaPtr FlatSchema() {
  return *SchemaBuilder::Struct()
              .Name("io.debezium.connector.mysql.Source")
              .AddField("name", PrimitiveSchema(Type::kString))
              .AddField("note", PrimitiveSchema(Type::kString, /*optional=*/true))
              .AddField("small", PrimitiveSchema(Type::kInt32))
              .AddField("pos", PrimitiveSchema(Type::kInt64))
              .AddField("ratio", PrimitiveSchema(Type::kFloat64, true))
              .AddField("single", PrimitiveSchema(Type::kFloat32, true))
              .AddField("flag", PrimitiveSchema(Type::kBoolean, true))
              .AddField("blob", PrimitiveSchema(Type::kBytes, true))
              .AddField("snapshot", *SchemaBuilder(Type::kString)
                                         .Optional()
                                         .Default(Value::String("false"))
                                         .Build())
              .AddField("row", PrimitiveSchema(Type::kInt32))
              .Build();
}

// Random values for field `i` of FlatSchema, in `batch`, including the texts and numbers whose
// JSON length varies most (escapes, multi-byte characters, NaN, -0.0).
Value RandomField(std::mt19937& rng, data::RecordBatch& batch, uint32_t i) {
  static const char* const kTexts[] = {"", "a", "mariadb-bin.000001", "quote\" and \\",
                                       "tab\tnew\nline", "caf\xc3\xa9", "\x01"};
  static const double kDoubles[] = {0.0, -0.0, 1.5, 1e300, std::nan(""),
                                    std::numeric_limits<double>::infinity(), 123456789.125};
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  auto text = [&] { return batch.Copy(kTexts[pick(std::size(kTexts))]); };
  const bool null = pick(5) == 0;
  switch (i) {
    case 0:
      return Value::String(text());
    case 1:
      return null ? Value::Null() : Value::String(text());
    case 2:
      return Value::Int(static_cast<int32_t>(rng()));
    case 3:
      return Value::Int(pick(2) == 0 ? static_cast<int64_t>(pick(10)) : static_cast<int64_t>(rng()) << 20);
    case 4:
    case 5:
      return null ? Value::Null() : Value::Float(kDoubles[pick(std::size(kDoubles))]);
    case 6:
      return null ? Value::Null() : Value::Boolean(pick(2) == 0);
    case 7:
      return null ? Value::Null() : Value::Bytes(text());
    case 8:
      return null ? Value::Null() : Value::String(text());
    default:
      return Value::Int(static_cast<int64_t>(pick(100000)));
  }
}

std::string Fresh(const data::Schema* schema, const Value& value, bool schemas) {
  JsonConverter fresh({.schemas_enable = schemas});
  auto out = fresh.FromConnectData(schema, value);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() && out->has_value() ? std::string(**out) : "<error>";
}

class StructJsonMemoTest : public ::testing::TestWithParam<bool> {};

TEST_P(StructJsonMemoTest, WrittenFromTheMemoReadsAsWrittenInFull) {
  const bool schemas = GetParam();
  SchemaPtr flat = FlatSchema();
  SchemaPtr optional_flat = *SchemaBuilder::Struct()
                                 .Name("row")
                                 .Optional()
                                 .AddField("id", PrimitiveSchema(Type::kInt64))
                                 .AddField("text", PrimitiveSchema(Type::kString, true))
                                 .Build();
  SchemaPtr list = *SchemaBuilder::Array(flat).Build();
  SchemaPtr envelope = *SchemaBuilder::Struct()
                            .Name("Envelope")
                            .AddField("before", optional_flat)
                            .AddField("after", optional_flat)
                            .AddField("source", flat)
                            .AddField("history", list)
                            .AddField("op", PrimitiveSchema(Type::kString))
                            .Build();
  const size_t n = flat->fields().size();
  std::mt19937 rng(20261126);
  JsonConverter kept({.schemas_enable = schemas});
  data::RecordBatch batch;
  std::vector<Value> source(n);
  for (uint32_t i = 0; i < n; ++i) source[i] = RandomField(rng, batch, i);
  int64_t id = 0;
  for (int record = 0; record < 6000; ++record) {
    if (record % 7 == 0) {
      // A new poll: the arena is reused, so the kept values' bytes must be copied first.
      std::vector<std::string> texts(n);
      for (uint32_t i = 0; i < n; ++i) texts[i] = std::string(source[i].str());
      batch.Reset();
      for (uint32_t i = 0; i < n; ++i) {
        if (source[i].kind == data::ValueKind::kString) {
          source[i] = Value::String(batch.Copy(texts[i]));
        } else if (source[i].kind == data::ValueKind::kBytes) {
          source[i] = Value::Bytes(batch.Copy(texts[i]));
        }
      }
    }
    // Mostly the row number, sometimes a few fields, now and then most of them.
    static const int kChanges[] = {1, 1, 1, 1, 2, 3, 0, 5, 10};
    const int changes = kChanges[rng() % std::size(kChanges)];
    for (int c = 0; c < changes; ++c) {
      const uint32_t field = c == 0 ? static_cast<uint32_t>(n - 1) : rng() % n;
      source[field] = RandomField(rng, batch, field);
    }
    data::StructValue* src = batch.NewStruct(flat.get());
    for (uint32_t i = 0; i < n; ++i) ASSERT_TRUE(batch.SetField(src, i, source[i]).ok()) << i;
    data::StructValue* after = batch.NewStruct(optional_flat.get());
    ASSERT_TRUE(batch.SetField(after, 0, Value::Int(++id)).ok());
    ASSERT_TRUE(batch.SetField(after, 1, Value::String(batch.Copy(std::to_string(id * 7)))).ok());
    data::ArrayValue* history = batch.NewArray(list.get(), 2);
    for (int k = 0; k < record % 3; ++k) ASSERT_TRUE(batch.Append(history, Value::Of(src)).ok());
    data::StructValue* event = batch.NewStruct(envelope.get());
    ASSERT_TRUE(batch.SetField(event, 1, Value::Of(after)).ok());
    ASSERT_TRUE(batch.SetField(event, 2, Value::Of(src)).ok());
    ASSERT_TRUE(batch.SetField(event, 3, Value::Of(history)).ok());
    ASSERT_TRUE(batch.SetField(event, 4, Value::String(batch.Copy("c"))).ok());

    auto out = kept.FromConnectData(envelope.get(), Value::Of(event));
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_EQ(std::string(**out), Fresh(envelope.get(), Value::Of(event), schemas))
        << "record " << record;
    // The flat struct alone, as a record's root value (a key).
    out = kept.FromConnectData(flat.get(), Value::Of(src));
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_EQ(std::string(**out), Fresh(flat.get(), Value::Of(src), schemas)) << "record " << record;
  }
  // Most source blocks (and every repeat of one in `history` and as the key) came from the memo;
  // the rows, new every time, stopped being remembered (and were tried again after 4,096).
  EXPECT_GT(kept.structs_from_memo(), 6000 * 2);
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutSchemas, StructJsonMemoTest, ::testing::Bool());

TEST(StructJsonMemo, AChangedFieldThatCannotBeWrittenIsAnErrorAndLeavesTheMemoAsItWas) {
  SchemaPtr flat = FlatSchema();
  data::RecordBatch batch;
  std::mt19937 rng(7);
  data::StructValue* good = batch.NewStruct(flat.get());
  for (uint32_t i = 0; i < flat->fields().size(); ++i) {
    ASSERT_TRUE(batch.SetField(good, i, RandomField(rng, batch, i)).ok());
  }
  JsonConverter c({.schemas_enable = false});
  auto first = c.FromConnectData(flat.get(), Value::Of(good));
  ASSERT_TRUE(first.ok());
  const std::string expected(**first);
  // A plugin bug the batch's checks would refuse, planted directly: a string in an int field.
  data::StructValue* bad = batch.CopyStruct(good);
  bad->fields[9] = Value::String(batch.Copy("nine"));
  auto refused = c.FromConnectData(flat.get(), Value::Of(bad));
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr(".row: not an integer"));
  auto again = c.FromConnectData(flat.get(), Value::Of(good));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(std::string(**again), expected);
}

TEST(StructJsonMemo, GivesUpOnStructsThatDifferInMostFieldsAndOnNestedOnes) {
  SchemaPtr flat = FlatSchema();
  StructJsonMemo memo(*flat);
  EXPECT_TRUE(memo.enabled());
  data::RecordBatch batch;
  std::mt19937 rng(3);
  std::vector<uint32_t> changed;
  const size_t n = flat->fields().size();
  std::vector<Value> fields(n);
  for (int record = 0; record < 40 && memo.enabled(); ++record) {
    for (uint32_t i = 0; i < n; ++i) fields[i] = Value::Int(record * 100 + i);
    if (!memo.Differences(fields.data(), 2, &changed)) {
      memo.Remember("{}", std::vector<uint32_t>(n, 1), std::vector<uint32_t>(n, 1), fields.data());
    }
  }
  EXPECT_FALSE(memo.enabled()) << "every record differed in every field";
  int skipped = 0;
  while (!memo.Consider()) ++skipped;
  EXPECT_EQ(skipped, 4095) << "tried again after a while, in case the structs repeat by then";
  EXPECT_TRUE(memo.enabled());
  EXPECT_FALSE(memo.Differences(fields.data(), 2, &changed)) << "starting from nothing";

  SchemaPtr nested = *SchemaBuilder::Struct().Name("n").AddField("inner", flat).Build();
  StructJsonMemo never(*nested);
  for (int i = 0; i < 10000; ++i) ASSERT_FALSE(never.Consider());
}

// A key of one or a few columns is written anew each time: there is too little to copy.
TEST(StructJsonMemo, IsNotUsedForStructsOfFewerThanFourFields) {
  SchemaPtr key = *SchemaBuilder::Struct()
                       .Name("k")
                       .AddField("id", PrimitiveSchema(Type::kInt64))
                       .AddField("region", PrimitiveSchema(Type::kString))
                       .AddField("shard", PrimitiveSchema(Type::kInt32))
                       .Build();
  StructJsonMemo memo(*key);
  EXPECT_FALSE(memo.enabled());
  for (int i = 0; i < 10000; ++i) ASSERT_FALSE(memo.Consider());

  JsonConverter c({.schemas_enable = false});
  data::RecordBatch batch;
  for (int record = 0; record < 20; ++record) {
    data::StructValue* k = batch.NewStruct(key.get());
    ASSERT_TRUE(batch.SetField(k, 0, Value::Int(record)).ok());
    ASSERT_TRUE(batch.SetField(k, 1, Value::String(batch.Copy("eu"))).ok());
    ASSERT_TRUE(batch.SetField(k, 2, Value::Int(7)).ok());
    auto out = c.FromConnectData(key.get(), Value::Of(k));
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(std::string(**out), R"({"id":)" + std::to_string(record) + R"(,"region":"eu","shard":7})");
  }
  EXPECT_EQ(c.structs_from_memo(), 0);
}

}  // namespace
}  // namespace sluice::convert
