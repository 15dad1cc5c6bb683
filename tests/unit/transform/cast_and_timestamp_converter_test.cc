// Cast and TimestampConverter: the conversions whose text Java decides (Double.toString,
// BigDecimal.toString, Values.dateFormatFor, SimpleDateFormat), what fails a record, and what is
// refused at validate. (transform_java_reference_test compares whole chains with Kafka Connect.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/data/record_batch.h"
#include "runtime/data/schema.h"
#include "runtime/transform/transform_chain.h"
#include "tests/unit/transform/change_events.h"

namespace sluice::transform {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Json;

// A record whose value is one field `f` of `schema` holding `v`.
struct OneField {
  explicit OneField(data::SchemaPtr field_schema, data::Value v) {
    schema = *data::SchemaBuilder::Struct().Name("t.Value").AddField("f", field_schema).Build();
    data::StructValue* s = batch.NewStruct(schema.get());
    EXPECT_TRUE(batch.SetField(s, 0, v).ok());
    record.topic = "t";
    record.value_schema = schema.get();
    record.value = data::Value::Of(s);
  }
  data::RecordBatch batch;
  data::SchemaPtr schema;
  data::SourceRecord record;
};

// The value as JSON without schema after `config`'s chain, or "ERROR: <message>".
std::string After(const ConfigMap& config, OneField& in) {
  auto chain = TransformChain::Create(config, "test");
  EXPECT_TRUE(chain.ok()) << chain.status();
  if (!chain.ok()) return "";
  Verdict verdict;
  data::SourceRecord r = in.record;
  absl::Status status = (*chain)->Apply(r, in.batch, verdict);
  if (!status.ok()) return "ERROR: " + std::string(status.message());
  return Json(r.value_schema, r.value);
}

ConfigMap CastValue(const std::string& spec) {
  return {{"transforms", "c"}, {"transforms.c.type", "Cast$Value"}, {"transforms.c.spec", spec}};
}

TEST(Cast, NumbersToTextAsJavaWritesThem) {
  OneField big(data::PrimitiveSchema(data::Type::kFloat64), data::Value::Float(12345678.9));
  EXPECT_EQ(After(CastValue("f:string"), big), R"({"f":"1.23456789E7"})");
  OneField small(data::PrimitiveSchema(data::Type::kFloat32), data::Value::Float(0.1f));
  EXPECT_EQ(After(CastValue("f:string"), small), R"({"f":"0.1"})");
  // Decimal 12.30 (unscaled 1230, scale 2) and a tiny one that BigDecimal writes in E notation.
  static const char k1230[] = {0x04, static_cast<char>(0xCE)};
  OneField decimal(data::DecimalSchema(2), data::Value::Bytes(std::string_view(k1230, 2)));
  EXPECT_EQ(After(CastValue("f:string"), decimal), R"({"f":"12.30"})");
  EXPECT_EQ(After(CastValue("f:int8"), decimal), R"({"f":12})");
  static const char kMinus5[] = {static_cast<char>(0xFB)};
  OneField tiny(data::DecimalSchema(9), data::Value::Bytes(std::string_view(kMinus5, 1)));
  EXPECT_EQ(After(CastValue("f:string"), tiny), R"({"f":"-5E-9"})");
}

TEST(Cast, NarrowsAndParsesAsJava) {
  OneField wide(data::PrimitiveSchema(data::Type::kInt64), data::Value::Int(300));
  EXPECT_EQ(After(CastValue("f:int8"), wide), R"({"f":44})");  // (byte) 300
  OneField huge(data::PrimitiveSchema(data::Type::kFloat64), data::Value::Float(1e20));
  EXPECT_EQ(After(CastValue("f:int32"), huge), R"({"f":2147483647})");  // d2i saturates
  OneField text(data::PrimitiveSchema(data::Type::kString), data::Value::String("+12"));
  EXPECT_EQ(After(CastValue("f:int16"), text), R"({"f":12})");
  EXPECT_EQ(After(CastValue("f:boolean"), text), R"({"f":false})");
  OneField spaced(data::PrimitiveSchema(data::Type::kString), data::Value::String(" 1.5f "));
  EXPECT_EQ(After(CastValue("f:float64"), spaced), R"({"f":1.5})");
  OneField out_of_range(data::PrimitiveSchema(data::Type::kString), data::Value::String("128"));
  EXPECT_THAT(After(CastValue("f:int8"), out_of_range), HasSubstr("For input string: \"128\""));
  OneField bytes(data::PrimitiveSchema(data::Type::kBytes), data::Value::Bytes("hi"));
  EXPECT_EQ(After(CastValue("f:string"), bytes), R"({"f":"aGk="})");
  EXPECT_THAT(After(CastValue("f:int32"), bytes), HasSubstr("Unexpected type"));
}

TEST(Cast, DatesToTextPerValuesDateFormatFor) {
  auto logical = [](data::Type t, const char* name) {
    return *data::SchemaBuilder(t).Name(name).Version(1).Build();
  };
  OneField day(logical(data::Type::kInt32, "org.apache.kafka.connect.data.Date"), data::Value::Int(19723));
  EXPECT_EQ(After(CastValue("f:string"), day), R"({"f":"2024-01-01"})");
  EXPECT_EQ(After(CastValue("f:int64"), day), R"({"f":19723})");
  OneField time(logical(data::Type::kInt32, "org.apache.kafka.connect.data.Time"), data::Value::Int(3723004));
  EXPECT_EQ(After(CastValue("f:string"), time), R"({"f":"01:02:03.004Z"})");
  OneField ts(logical(data::Type::kInt64, "org.apache.kafka.connect.data.Timestamp"),
              data::Value::Int(1704067199123));
  EXPECT_EQ(After(CastValue("f:string"), ts), R"({"f":"2023-12-31T23:59:59.123Z"})");
}

TEST(Cast, RefusesSpecsKafkaRefuses) {
  std::vector<ConfigProblem> problems = CheckTransforms(
      {{"transforms", "a,b,c,d"},
       {"transforms.a.type", "org.apache.kafka.connect.transforms.Cast$Value"},
       {"transforms.b.type", "Cast$Key"},
       {"transforms.b.spec", "id:bytes"},
       {"transforms.c.type", "Cast$Value"},
       {"transforms.c.spec", "string,id:int8"},
       {"transforms.d.type", "Cast$Value"},
       {"transforms.d.spec", "a:b:c"}});
  std::vector<std::string> keys;
  for (const ConfigProblem& p : problems) keys.push_back(p.key);
  EXPECT_THAT(keys, ElementsAre("transforms.a.spec", "transforms.b.spec", "transforms.c.spec",
                                "transforms.d.spec"));
  EXPECT_THAT(problems[1].message, HasSubstr("does not cast to `bytes`"));
}

ConfigMap Convert(std::vector<std::pair<std::string, std::string>> options) {
  ConfigMap config = {{"transforms", "t"}, {"transforms.t.type", "TimestampConverter$Value"},
                      {"transforms.t.field", "f"}};
  for (auto& [k, v] : options) config.emplace_back("transforms.t." + k, v);
  return config;
}

TEST(TimestampConverter, ConvertsBetweenEveryRepresentation) {
  OneField unix(data::PrimitiveSchema(data::Type::kInt64), data::Value::Int(-1500));
  EXPECT_EQ(After(Convert({{"target.type", "Date"}}), unix), R"({"f":-1})");  // floored to a day
  EXPECT_EQ(After(Convert({{"target.type", "Time"}}), unix), R"({"f":86398500})");
  EXPECT_EQ(After(Convert({{"target.type", "unix"}, {"unix.precision", "seconds"}}), unix),
            R"({"f":-1500})");  // read as seconds too: the precision applies both ways
  OneField stamp(*data::SchemaBuilder(data::Type::kInt64).Name("org.apache.kafka.connect.data.Timestamp").Version(1).Build(),
                 data::Value::Int(-1500));
  EXPECT_EQ(After(Convert({{"target.type", "unix"}, {"unix.precision", "seconds"}}), stamp),
            R"({"f":-1})");  // truncated toward zero, as TimeUnit does
  EXPECT_EQ(After(Convert({{"target.type", "string"}, {"format", "yyyy-MM-dd HH:mm:ss.SSS"}}), unix),
            R"({"f":"1969-12-31 23:59:58.500"})");
  OneField text(data::PrimitiveSchema(data::Type::kString), data::Value::String("2024-13-02 7:5"));
  EXPECT_EQ(After(Convert({{"target.type", "Timestamp"}, {"format", "yyyy-MM-dd H:m"}}), text),
            R"({"f":1735801500000})");  // month 13 rolls over into 2025-01-02T07:05, as lenient Java does
  OneField abutting(data::PrimitiveSchema(data::Type::kString), data::Value::String("20240102"));
  EXPECT_EQ(After(Convert({{"target.type", "unix"}, {"format", "yyyyMMdd"},
                           {"unix.precision", "microseconds"}}), abutting),
            R"({"f":1704153600000000})");
  OneField wrong(data::PrimitiveSchema(data::Type::kString), data::Value::String("2024/01/02"));
  EXPECT_THAT(After(Convert({{"target.type", "unix"}, {"format", "yyyy-MM-dd"}}), wrong),
              HasSubstr("Could not parse timestamp: value (2024/01/02) does not match pattern (yyyy-MM-dd)"));
  OneField number(data::PrimitiveSchema(data::Type::kInt32), data::Value::Int(1));
  EXPECT_THAT(After(Convert({{"target.type", "unix"}}), number),
              HasSubstr("does not correspond to a known timestamp type format"));
}

TEST(TimestampConverter, RefusesWhatKafkaRefuses) {
  std::vector<ConfigProblem> problems = CheckTransforms(
      {{"transforms", "a,b,c,d"},
       {"transforms.a.type", "TimestampConverter$Value"},
       {"transforms.b.type", "TimestampConverter$Key"},
       {"transforms.b.target.type", "timestamp"},
       {"transforms.c.type", "TimestampConverter$Value"},
       {"transforms.c.target.type", "string"},
       {"transforms.d.type", "TimestampConverter$Value"},
       {"transforms.d.target.type", "unix"},
       {"transforms.d.unix.precision", "minutes"}});
  std::vector<std::string> keys;
  for (const ConfigProblem& p : problems) keys.push_back(p.key);
  EXPECT_THAT(keys, ElementsAre("transforms.a.target.type", "transforms.b.target.type",
                                "transforms.c.format", "transforms.d.unix.precision"));
}

}  // namespace
}  // namespace sluice::transform
