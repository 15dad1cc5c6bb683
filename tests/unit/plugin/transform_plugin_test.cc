// Transform libraries (sluice/transform.h): the registry loads them from plugin.path beside
// connectors and refuses bad ones by file and reason; their classes then run in transform chains
// by the names they declare, with their options checked, their failures named, and their
// instances destroyed with the chain.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/convert/json_converter.h"
#include "runtime/data/record_batch.h"
#include "runtime/data/schema.h"
#include "runtime/plugin/plugin_registry.h"
#include "runtime/transform/transform_chain.h"
#include "runtime/transform/transform_registry.h"
#include "tests/support/test_files.h"

namespace sluice::plugin {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::CopyFile;
using testing::TempDir;

std::string Message(const absl::Status& s) { return std::string(s.message()); }

// Classes register for the process's life, so the example and the failing library are loaded
// once, by the first test that needs them; later tests see them registered.
PluginRegistry& Loaded() {
  static PluginRegistry* registry = [] {
    auto* r = new PluginRegistry;
    TempDir dir;  // the library runs from its sealed copy: the file may go
    CopyFile(SLUICE_EXAMPLE_TRANSFORMS_PATH, dir.File("example_transforms.so"));
    CopyFile(TEST_TRANSFORM_FAILING, dir.File("failing.so"));
    CopyFile(SLUICE_GENERATOR_PATH, dir.File("generator.so"));
    EXPECT_THAT(r->LoadDirectory(dir.path()), IsEmpty());
    return r;
  }();
  return *registry;
}

// A record on `topic` whose value is {payload: optional string, n: int64}, with `headers`.
struct Record {
  explicit Record(const char* payload, std::vector<data::Header> headers = {}) {
    schema = *data::SchemaBuilder::Struct()
                  .Name("t.Value")
                  .AddField("payload", data::PrimitiveSchema(data::Type::kString, true))
                  .AddField("n", data::PrimitiveSchema(data::Type::kInt64))
                  .Build();
    data::StructValue* s = batch.NewStruct(schema.get());
    if (payload != nullptr) {
      EXPECT_TRUE(batch.SetField(s, 0, data::Value::String(batch.Copy(payload))).ok());
    }
    EXPECT_TRUE(batch.SetField(s, 1, data::Value::Int(7)).ok());
    header_storage = std::move(headers);
    record.topic = "t";
    record.value_schema = schema.get();
    record.value = data::Value::Of(s);
    record.headers = header_storage;
  }
  std::string Json() {
    convert::JsonConverter json({.schemas_enable = false});
    auto bytes = json.FromConnectData(record.value_schema, record.value);
    return bytes.ok() && bytes->has_value() ? std::string(**bytes) : "<error>";
  }
  data::RecordBatch batch;
  data::SchemaPtr schema;
  std::vector<data::Header> header_storage;
  data::SourceRecord record;
};

TEST(TransformPlugin, TheRegistryLoadsTheExampleBesideAConnector) {
  PluginRegistry& registry = Loaded();
  EXPECT_NE(registry.Find("generator"), nullptr);  // the connector beside it still loads
  std::vector<std::string> classes = transform::TransformationClasses();
  EXPECT_THAT(classes, ::testing::Contains("com.example.sluice.UppercaseField"));
  EXPECT_THAT(transform::PredicateClasses(), ::testing::Contains("com.example.sluice.HeaderEquals"));
}

TEST(TransformPlugin, UppercaseFieldRewritesTheFieldAndLeavesTheSharedValueAlone) {
  Loaded();
  auto chain = transform::TransformChain::Create(
      {{"transforms", "up"},
       {"transforms.up.type", "com.example.sluice.UppercaseField"},
       {"transforms.up.field", "payload"}},
      "test");
  ASSERT_TRUE(chain.ok()) << chain.status();
  Record r("abc-xyz");
  const data::Value before = r.record.value;
  transform::Verdict verdict;
  ASSERT_TRUE((*chain)->Apply(r.record, r.batch, verdict).ok());
  EXPECT_EQ(verdict, transform::Verdict::kKeep);
  EXPECT_EQ(r.Json(), R"({"payload":"ABC-XYZ","n":7})");
  EXPECT_EQ(before.s->fields[0].str(), "abc-xyz");  // copied, not written through
  Record null_payload(nullptr);
  ASSERT_TRUE((*chain)->Apply(null_payload.record, null_payload.batch, verdict).ok());
  EXPECT_EQ(null_payload.Json(), R"({"payload":null,"n":7})");
}

TEST(TransformPlugin, HeaderEqualsWithFilterDropsRecordsByAHeader) {
  Loaded();
  auto chain = transform::TransformChain::Create(
      {{"transforms", "drop"},
       {"transforms.drop.type", "org.apache.kafka.connect.transforms.Filter"},
       {"transforms.drop.predicate", "fromTest"},
       {"predicates", "fromTest"},
       {"predicates.fromTest.type", "com.example.sluice.HeaderEquals"},
       {"predicates.fromTest.name", "origin"},
       {"predicates.fromTest.value", "test"}},
      "test");
  ASSERT_TRUE(chain.ok()) << chain.status();
  auto string_schema = data::PrimitiveSchema(data::Type::kString);
  Record tagged("a", {{"origin", string_schema.get(), data::Value::String("test")}});
  Record other("b", {{"origin", string_schema.get(), data::Value::String("prod")}});
  Record bare("c");
  transform::Verdict verdict;
  ASSERT_TRUE((*chain)->Apply(tagged.record, tagged.batch, verdict).ok());
  EXPECT_EQ(verdict, transform::Verdict::kDrop);
  ASSERT_TRUE((*chain)->Apply(other.record, other.batch, verdict).ok());
  EXPECT_EQ(verdict, transform::Verdict::kKeep);
  ASSERT_TRUE((*chain)->Apply(bare.record, bare.batch, verdict).ok());
  EXPECT_EQ(verdict, transform::Verdict::kKeep);
}

TEST(TransformPlugin, OptionsAreCheckedAgainstTheDeclaredDefinitions) {
  Loaded();
  std::vector<transform::ConfigProblem> problems = transform::CheckTransforms(
      {{"transforms", "a,b,c"},
       {"transforms.a.type", "com.example.sluice.UppercaseField"},
       {"transforms.b.type", "com.example.sluice.UppercaseField"},
       {"transforms.b.field", "payload"},
       {"transforms.b.fild", "x"},
       {"transforms.c.type", "com.example.sluice.UppercaseField"},
       {"transforms.c.field", "payload"},
       {"transforms.c.part", "header"}});
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].key, "transforms.a.field");
  EXPECT_THAT(problems[0].message, HasSubstr("is required by com.example.sluice.UppercaseField"));
  EXPECT_EQ(problems[1].key, "transforms.b.fild");
  EXPECT_EQ(problems[2].key, "transforms.c.type");  // on_start refused it, with its own words
  EXPECT_THAT(problems[2].message, HasSubstr("`part` must be `value` or `key`"));
}

TEST(TransformPlugin, AFailingTransformFailsTheRecordWithItsMessage) {
  Loaded();
  auto chain = transform::TransformChain::Create(
      {{"transforms", "f"}, {"transforms.f.type", "com.example.test.Failing"}}, "test");
  ASSERT_TRUE(chain.ok()) << chain.status();
  Record r("a");
  transform::Verdict verdict;
  absl::Status s = (*chain)->Apply(r.record, r.batch, verdict);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(s), AllOf(HasSubstr("com.example.test.Failing"), HasSubstr("boom on t")));
  // A failing predicate fails the record as a failing transform does (errors.tolerance decides),
  // named by its alias and its transform's, with its own message. It fails marked records only;
  // on the others it is false, so Filter keeps them.
  auto filtered = transform::TransformChain::Create(
      {{"transforms", "d"},
       {"transforms.d.type", "Filter"},
       {"transforms.d.predicate", "p"},
       {"predicates", "p"},
       {"predicates.p.type", "com.example.test.FailingPredicate"}},
      "test");
  ASSERT_TRUE(filtered.ok()) << filtered.status();
  Record plain("a");
  ASSERT_TRUE((*filtered)->Apply(plain.record, plain.batch, verdict).ok());
  EXPECT_EQ(verdict, transform::Verdict::kKeep);
  Record marked("a", {data::Header{"generator.mark", nullptr, data::Value::Int(1)}});
  s = (*filtered)->Apply(marked.record, marked.batch, verdict);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(Message(s), AllOf(HasSubstr("predicate `p` of transform `d`"),
                                HasSubstr("com.example.test.FailingPredicate"),
                                HasSubstr("on_test"), HasSubstr("cannot judge a marked record")));
}

// Loads `file` into a fresh registry and returns its refusal.
absl::Status Refusal(const char* file) {
  TempDir dir;
  CopyFile(file, dir.File("t.so"));
  PluginRegistry registry;
  absl::StatusOr<std::shared_ptr<const Plugin>> loaded = registry.LoadFile(dir.File("t.so"));
  EXPECT_FALSE(loaded.ok());
  return loaded.status();
}

TEST(TransformPlugin, TheLoaderRefusesBrokenLibrariesNamingFileAndReason) {
  EXPECT_THAT(Message(Refusal(TEST_TRANSFORM_ABI_MAJOR)),
              AllOf(HasSubstr("transform plugin "), HasSubstr("t.so refused"),
                    HasSubstr("built for transform ABI major 99, this worker has 1")));
  EXPECT_THAT(Message(Refusal(TEST_TRANSFORM_MISSING_CALLBACKS)),
              AllOf(HasSubstr("class `com.example.test.Broken`: missing required callbacks: on_apply"),
                    HasSubstr("class `com.example.test.BrokenPredicate`: missing required callbacks: on_test")));
  EXPECT_THAT(Message(Refusal(TEST_TRANSFORM_NO_DESCRIPTORS)),
              HasSubstr("its entry declared no transform or predicate"));
  EXPECT_THAT(Message(Refusal(TEST_TRANSFORM_BOTH_ENTRIES)),
              HasSubstr("exports both `sluice_transform_entry` and `sluice_connector_entry`"));
  EXPECT_THAT(Message(Refusal(TEST_TRANSFORM_DUPLICATE_CLASS)),
              HasSubstr("class `com.example.test.Broken` is declared twice"));
  EXPECT_THAT(Message(Refusal(TEST_TRANSFORM_KEY_FAMILY)),
              HasSubstr("option `x.<N>.y` is a family of keys"));
  absl::Status builtin = Refusal(TEST_TRANSFORM_BUILTIN_CLASS);
  EXPECT_EQ(builtin.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(Message(builtin),
              HasSubstr("class `org.apache.kafka.connect.transforms.Filter` is already a transform"));
}

TEST(TransformPlugin, ASecondCopyOfALoadedLibraryIsRefusedAndChangesNothing) {
  Loaded();
  absl::Status again = Refusal(SLUICE_EXAMPLE_TRANSFORMS_PATH);
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(Message(again), HasSubstr("class `com.example.sluice.UppercaseField` is already a transform"));
  EXPECT_TRUE(transform::FindTransformation("com.example.sluice.UppercaseField"));
}

}  // namespace
}  // namespace sluice::plugin
