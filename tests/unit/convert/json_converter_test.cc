// Golden strings in Kafka Connect's JsonConverter format (apache/kafka
// connect/json/.../JsonConverter.java and JsonSchema.java): schema key order, type names, base64
// bytes, Decimal bytes, nested structs, arrays, both map encodings, defaults, nulls.
#include "runtime/convert/json_converter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "runtime/convert/base64.h"
#include "runtime/convert/converter.h"
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

std::string Convert(JsonConverter& c, const data::Schema* schema, const Value& v) {
  auto out = c.FromConnectData(schema, v);
  EXPECT_TRUE(out.ok()) << out.status();
  if (!out.ok() || !out->has_value()) return "<kafka null>";
  return std::string(**out);
}

TEST(Base64, MatchesRfc4648) {
  std::string out;
  AppendBase64("", &out);
  EXPECT_EQ(out, "");
  AppendBase64("f", &out);
  EXPECT_EQ(out, "Zg==");
  out.clear();
  AppendBase64("fo", &out);
  EXPECT_EQ(out, "Zm8=");
  out.clear();
  AppendBase64("foobar", &out);
  EXPECT_EQ(out, "Zm9vYmFy");
  out.clear();
  AppendBase64(std::string("\xff\xfe\x00", 3), &out);
  EXPECT_EQ(out, "//4A");
}

TEST(JsonConverter, PrimitiveWithAndWithoutEnvelope) {
  JsonConverter with({.schemas_enable = true});
  JsonConverter without({.schemas_enable = false});
  SchemaPtr i32 = PrimitiveSchema(Type::kInt32);
  EXPECT_EQ(Convert(with, i32.get(), Value::Int(42)),
            R"({"schema":{"type":"int32","optional":false},"payload":42})");
  EXPECT_EQ(Convert(without, i32.get(), Value::Int(42)), "42");
}

TEST(JsonConverter, TypeNamesAreKafkaConnects) {
  JsonConverter c;
  struct Case {
    Type type;
    const char* name;
  };
  for (Case k : {Case{Type::kInt8, "int8"}, Case{Type::kInt16, "int16"},
                 Case{Type::kInt64, "int64"}, Case{Type::kFloat32, "float"},
                 Case{Type::kFloat64, "double"}, Case{Type::kBoolean, "boolean"},
                 Case{Type::kString, "string"}, Case{Type::kBytes, "bytes"}}) {
    auto json = c.SchemaJson(*PrimitiveSchema(k.type));
    ASSERT_TRUE(json.ok());
    EXPECT_EQ(*json, std::string(R"({"type":")") + k.name + R"(","optional":false})");
  }
}

TEST(JsonConverter, SchemaKeysInKafkaConnectsOrder) {
  SchemaPtr s = *SchemaBuilder(Type::kString)
                     .Doc("a note")
                     .Name("my.Note")
                     .Parameter("b", "2")
                     .Parameter("a", "1")
                     .Optional()
                     .Version(3)
                     .Default(Value::String("n/a"))
                     .Build();
  JsonConverter c;
  EXPECT_EQ(*c.SchemaJson(*s),
            R"({"type":"string","optional":true,"name":"my.Note","version":3,"doc":"a note",)"
            R"("parameters":{"b":"2","a":"1"},"default":"n/a"})");
}

TEST(JsonConverter, StructWithDecimalBytesAndNesting) {
  SchemaPtr price = data::DecimalSchema(2, 10, /*optional=*/true);
  SchemaPtr inner = *SchemaBuilder::Struct()
                         .Name("shop.Address")
                         .Optional()
                         .AddField("city", PrimitiveSchema(Type::kString))
                         .Build();
  SchemaPtr row = *SchemaBuilder::Struct()
                       .Name("shop.orders.Value")
                       .AddField("id", PrimitiveSchema(Type::kInt32))
                       .AddField("price", price)
                       .AddField("blob", PrimitiveSchema(Type::kBytes, true))
                       .AddField("address", inner)
                       .AddField("ts", *SchemaBuilder(Type::kInt64)
                                            .Name("io.debezium.time.MicroTimestamp")
                                            .Version(1)
                                            .Build())
                       .Build();
  data::RecordBatch batch;
  data::StructValue* addr = batch.NewStruct(inner.get());
  ASSERT_TRUE(batch.SetField(addr, 0, Value::String(batch.Copy("Oslo"))).ok());
  data::StructValue* v = batch.NewStruct(row.get());
  ASSERT_TRUE(batch.SetField(v, 0, Value::Int(7)).ok());
  // 12.34 at scale 2: unscaled 1234 = 0x04D2, big-endian two's complement.
  ASSERT_TRUE(batch.SetField(v, 1, Value::Bytes(batch.Copy(std::string("\x04\xd2", 2)))).ok());
  ASSERT_TRUE(batch.SetField(v, 3, Value::Of(addr)).ok());
  ASSERT_TRUE(batch.SetField(v, 4, Value::Int(1529501823000000)).ok());

  JsonConverter with({.schemas_enable = true});
  EXPECT_EQ(
      Convert(with, row.get(), Value::Of(v)),
      R"({"schema":{"type":"struct","fields":[)"
      R"({"type":"int32","optional":false,"field":"id"},)"
      R"({"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,)"
      R"("parameters":{"scale":"2","connect.decimal.precision":"10"},"field":"price"},)"
      R"({"type":"bytes","optional":true,"field":"blob"},)"
      R"({"type":"struct","fields":[{"type":"string","optional":false,"field":"city"}],)"
      R"("optional":true,"name":"shop.Address","field":"address"},)"
      R"({"type":"int64","optional":false,"name":"io.debezium.time.MicroTimestamp","version":1,"field":"ts"}],)"
      R"("optional":false,"name":"shop.orders.Value"},)"
      R"("payload":{"id":7,"price":"BNI=","blob":null,"address":{"city":"Oslo"},"ts":1529501823000000}})");

  JsonConverter without({.schemas_enable = false});
  EXPECT_EQ(
      Convert(without, row.get(), Value::Of(v)),
      R"({"id":7,"price":"BNI=","blob":null,"address":{"city":"Oslo"},"ts":1529501823000000})");
}

TEST(JsonConverter, NegativeDecimalIsTwosComplement) {
  SchemaPtr d = data::DecimalSchema(0);
  data::RecordBatch batch;
  JsonConverter c({.schemas_enable = false});
  // -1 is 0xFF; -129 is 0xFF7F.
  EXPECT_EQ(Convert(c, d.get(), Value::Bytes(batch.Copy("\xff"))), R"("/w==")");
  EXPECT_EQ(Convert(c, d.get(), Value::Bytes(batch.Copy("\xff\x7f"))), R"("/38=")");
}

TEST(JsonConverter, ArraysAndBothMapEncodings) {
  SchemaPtr tags = *SchemaBuilder::Array(PrimitiveSchema(Type::kString)).Build();
  SchemaPtr by_name =
      *SchemaBuilder::Map(PrimitiveSchema(Type::kString), PrimitiveSchema(Type::kInt32)).Build();
  SchemaPtr by_id =
      *SchemaBuilder::Map(PrimitiveSchema(Type::kInt32), PrimitiveSchema(Type::kString)).Build();
  SchemaPtr row = *SchemaBuilder::Struct()
                       .AddField("tags", tags)
                       .AddField("by_name", by_name)
                       .AddField("by_id", by_id)
                       .Build();
  data::RecordBatch batch;
  data::ArrayValue* a = batch.NewArray(tags.get(), 2);
  ASSERT_TRUE(batch.Append(a, Value::String(batch.Copy("x"))).ok());
  ASSERT_TRUE(batch.Append(a, Value::String(batch.Copy("y"))).ok());
  data::MapValue* m1 = batch.NewMap(by_name.get(), 2);
  ASSERT_TRUE(batch.Put(m1, Value::String(batch.Copy("a")), Value::Int(1)).ok());
  ASSERT_TRUE(batch.Put(m1, Value::String(batch.Copy("b")), Value::Int(2)).ok());
  data::MapValue* m2 = batch.NewMap(by_id.get(), 2);
  ASSERT_TRUE(batch.Put(m2, Value::Int(1), Value::String(batch.Copy("one"))).ok());
  ASSERT_TRUE(batch.Put(m2, Value::Int(2), Value::String(batch.Copy("two"))).ok());
  data::StructValue* v = batch.NewStruct(row.get());
  ASSERT_TRUE(batch.SetField(v, 0, Value::Of(a)).ok());
  ASSERT_TRUE(batch.SetField(v, 1, Value::Of(m1)).ok());
  ASSERT_TRUE(batch.SetField(v, 2, Value::Of(m2)).ok());

  JsonConverter c({.schemas_enable = true});
  EXPECT_EQ(
      Convert(c, row.get(), Value::Of(v)),
      R"({"schema":{"type":"struct","fields":[)"
      R"({"type":"array","items":{"type":"string","optional":false},"optional":false,"field":"tags"},)"
      R"({"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false,"field":"by_name"},)"
      R"({"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":false},"optional":false,"field":"by_id"}],)"
      R"("optional":false},)"
      R"("payload":{"tags":["x","y"],"by_name":{"a":1,"b":2},"by_id":[[1,"one"],[2,"two"]]}})");
}

TEST(JsonConverter, FloatsBooleansAndStringEscapes) {
  SchemaPtr row = *SchemaBuilder::Struct()
                       .AddField("d", PrimitiveSchema(Type::kFloat64))
                       .AddField("f", PrimitiveSchema(Type::kFloat32))
                       .AddField("big", PrimitiveSchema(Type::kFloat64))
                       .AddField("nan", PrimitiveSchema(Type::kFloat64))
                       .AddField("inf", PrimitiveSchema(Type::kFloat32))
                       .AddField("ok", PrimitiveSchema(Type::kBoolean))
                       .AddField("s", PrimitiveSchema(Type::kString))
                       .Build();
  data::RecordBatch batch;
  data::StructValue* v = batch.NewStruct(row.get());
  ASSERT_TRUE(batch.SetField(v, 0, Value::Float(100.0)).ok());
  ASSERT_TRUE(
      batch.SetField(v, 1, Value::Float(0.1)).ok());  // as float32: "0.1", not 0.10000000149
  ASSERT_TRUE(batch.SetField(v, 2, Value::Float(1e10)).ok());
  ASSERT_TRUE(batch.SetField(v, 3, Value::Float(std::nan(""))).ok());
  ASSERT_TRUE(batch.SetField(v, 4, Value::Float(-std::numeric_limits<double>::infinity())).ok());
  ASSERT_TRUE(batch.SetField(v, 5, Value::Boolean(true)).ok());
  ASSERT_TRUE(batch.SetField(v, 6, Value::String(batch.Copy("q\"b\\s/\n\x01\xc3\xa9"))).ok());
  JsonConverter c({.schemas_enable = false});
  EXPECT_EQ(Convert(c, row.get(), Value::Of(v)),
            R"({"d":100.0,"f":0.1,"big":1.0E10,"nan":"NaN","inf":"-Infinity","ok":true,)"
            "\"s\":\"q\\\"b\\\\s/\\n\\u0001\xc3\xa9\"}");
}

// Every control character is escaped wherever it stands in a string of any length: RapidJSON
// 1.1.0's SIMD scan (RAPIDJSON_SSE2) let 0x1A-0x1F through raw in strings of 16 bytes or more,
// which is invalid JSON in the topic.
TEST(JsonConverter, ControlCharactersAreEscapedInLongStrings) {
  SchemaPtr text = PrimitiveSchema(Type::kString);
  JsonConverter c({.schemas_enable = false});
  for (int control = 0; control < 0x20; ++control) {
    for (size_t at : {0, 5, 15, 16, 17, 31, 40}) {
      std::string value(48, 'x');
      value[at] = static_cast<char>(control);
      const std::string json = Convert(c, text.get(), Value::String(value));
      for (char ch : json) {
        ASSERT_GE(static_cast<unsigned char>(ch), 0x20u)
            << "raw control 0x" << std::hex << control << " at " << std::dec << at;
      }
      EXPECT_EQ(json.size(), 48u + 2 + (control == '\n' || control == '\t' || control == '\r' ||
                                                control == '\b' || control == '\f'
                                            ? 1
                                            : 5))
          << control;
    }
  }
}

TEST(JsonConverter, AFloat32BeyondItsRangeIsInfinite) {
  SchemaPtr f32 = PrimitiveSchema(Type::kFloat32);
  JsonConverter c({.schemas_enable = false});
  EXPECT_EQ(Convert(c, f32.get(), Value::Float(1e300)), R"("Infinity")");
  EXPECT_EQ(Convert(c, f32.get(), Value::Float(-1e300)), R"("-Infinity")");
  EXPECT_EQ(Convert(c, f32.get(), Value::Float(1.5)), "1.5");
}

TEST(JsonConverter, NullsDefaultsAndTombstones) {
  SchemaPtr note = *SchemaBuilder(Type::kString).Optional().Default(Value::String("n/a")).Build();
  SchemaPtr row = *SchemaBuilder::Struct().Name("r").AddField("note", note).Build();
  data::RecordBatch batch;
  data::StructValue* v = batch.NewStruct(row.get());  // note left null: its default is written
  JsonConverter with({.schemas_enable = true});
  JsonConverter without({.schemas_enable = false});
  EXPECT_EQ(Convert(without, row.get(), Value::Of(v)), R"({"note":"n/a"})");
  EXPECT_EQ(
      Convert(with, row.get(), Value::Of(v)),
      R"({"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"n/a","field":"note"}],)"
      R"("optional":false,"name":"r"},"payload":{"note":"n/a"}})");
  // No schema and no value: Kafka's null (a tombstone), with or without the envelope.
  EXPECT_EQ(Convert(with, nullptr, Value::Null()), "<kafka null>");
  EXPECT_EQ(Convert(without, nullptr, Value::Null()), "<kafka null>");
  // An optional schema with a null value is JSON null, not Kafka's null.
  SchemaPtr opt = PrimitiveSchema(Type::kString, true);
  EXPECT_EQ(Convert(with, opt.get(), Value::Null()),
            R"({"schema":{"type":"string","optional":true},"payload":null})");
  EXPECT_EQ(Convert(without, opt.get(), Value::Null()), "null");
}

TEST(JsonConverter, RequiredNullIsAnErrorNamingThePath) {
  SchemaPtr inner =
      *SchemaBuilder::Struct().Name("in").AddField("id", PrimitiveSchema(Type::kInt64)).Build();
  SchemaPtr outer =
      *SchemaBuilder::Struct().Name("shop.orders.Envelope").AddField("after", inner).Build();
  data::RecordBatch batch;
  data::StructValue* in = batch.NewStruct(inner.get());
  data::StructValue* out = batch.NewStruct(outer.get());
  ASSERT_TRUE(batch.SetField(out, 0, Value::Of(in)).ok());
  JsonConverter c;
  auto r = c.FromConnectData(outer.get(), Value::Of(out));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(
      std::string(r.status().message()),
      HasSubstr("shop.orders.Envelope.after.id: null for a required field without a default"));
}

TEST(JsonConverter, BufferIsReusedAcrossCalls) {
  SchemaPtr s = PrimitiveSchema(Type::kString);
  data::RecordBatch batch;
  JsonConverter c({.schemas_enable = false});
  EXPECT_EQ(Convert(c, s.get(), Value::String(batch.Copy("a long first string"))),
            R"("a long first string")");
  EXPECT_EQ(Convert(c, s.get(), Value::String(batch.Copy("b"))), R"("b")");
}

TEST(JsonConverter, FieldNamesAreEscapedAsKeys) {
  SchemaPtr row = *SchemaBuilder::Struct()
                       .AddField("a\"b", PrimitiveSchema(Type::kInt32))
                       .AddField("tab\there", PrimitiveSchema(Type::kInt32))
                       .AddField("caf\xc3\xa9", PrimitiveSchema(Type::kInt32))
                       .Build();
  data::RecordBatch batch;
  data::StructValue* v = batch.NewStruct(row.get());
  for (uint32_t i = 0; i < 3; ++i) ASSERT_TRUE(batch.SetField(v, i, Value::Int(i)).ok());
  JsonConverter c({.schemas_enable = false});
  const std::string expected = "{\"a\\\"b\":0,\"tab\\there\":1,\"caf\xc3\xa9\":2}";
  EXPECT_EQ(Convert(c, row.get(), Value::Of(v)), expected);
  EXPECT_EQ(Convert(c, row.get(), Value::Of(v)), expected) << "the cached keys write the same";
}

TEST(JsonConverter, KeysStayRightWhenTheCacheOverflowsBetweenNestedSchemas) {
  // A cache of one schema, two struct schemas per record, records alternating between two
  // outer schemas: the cache is cleared between records, never under a struct being written.
  SchemaPtr inner = *SchemaBuilder::Struct().Name("in").AddField("x", PrimitiveSchema(Type::kInt32)).Build();
  SchemaPtr outer_a = *SchemaBuilder::Struct().Name("a").AddField("first", inner).AddField("second", PrimitiveSchema(Type::kInt32)).Build();
  SchemaPtr outer_b = *SchemaBuilder::Struct().Name("b").AddField("one", inner).AddField("two", PrimitiveSchema(Type::kInt32)).Build();
  data::RecordBatch batch;
  data::StructValue* in = batch.NewStruct(inner.get());
  ASSERT_TRUE(batch.SetField(in, 0, Value::Int(1)).ok());
  data::StructValue* a = batch.NewStruct(outer_a.get());
  ASSERT_TRUE(batch.SetField(a, 0, Value::Of(in)).ok());
  ASSERT_TRUE(batch.SetField(a, 1, Value::Int(2)).ok());
  data::StructValue* b = batch.NewStruct(outer_b.get());
  ASSERT_TRUE(batch.SetField(b, 0, Value::Of(in)).ok());
  ASSERT_TRUE(batch.SetField(b, 1, Value::Int(3)).ok());
  JsonConverter c({.schemas_enable = false, .schema_cache_size = 1});
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(Convert(c, outer_a.get(), Value::Of(a)), R"({"first":{"x":1},"second":2})");
    EXPECT_EQ(Convert(c, outer_b.get(), Value::Of(b)), R"({"one":{"x":1},"two":3})");
  }
}

TEST(CreateConverter, ReadsKafkaConnectProperties) {
  auto c = CreateConverter(kJsonConverterClass, {{"schemas.enable", "false"}});
  ASSERT_TRUE(c.ok()) << c.status();
  SchemaPtr s = PrimitiveSchema(Type::kInt8);
  auto out = (*c)->FromConnectData(s.get(), Value::Int(-3));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(**out, "-3");

  EXPECT_THAT(
      std::string(
          CreateConverter("io.confluent.connect.avro.AvroConverter", {}).status().message()),
      HasSubstr("`io.confluent.connect.avro.AvroConverter` is not supported"));
  EXPECT_THAT(
      std::string(
          CreateConverter(kJsonConverterClass, {{"schemas.enable", "yes"}}).status().message()),
      HasSubstr("`schemas.enable` must be true or false"));
  EXPECT_FALSE(CreateConverter(kJsonConverterClass, {{"decimal.format", "NUMERIC"}}).ok());
  EXPECT_TRUE(CreateConverter(kJsonConverterClass, {{"decimal.format", "BASE64"}}).ok());
}

}  // namespace
}  // namespace sluice::convert
