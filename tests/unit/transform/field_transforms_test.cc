// ReplaceField, ExtractField, SetSchemaMetadata, InsertField and ValueToKey on unwrapped change
// events, through the JSON converter with schemas; and their refusals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "runtime/transform/transform_chain.h"
#include "tests/unit/transform/change_events.h"

namespace sluice::transform {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Events;
using testing::Json;
using testing::Row;
using testing::Table;

// `transforms=u,<stages>` with u = ExtractNewRecordState, then `stages` as given. The chain is
// kept for the test's life: the record's derived schemas belong to it.
data::SourceRecord Through(ConfigMap stages, Events& events, data::SourceRecord record) {
  ConfigMap config = {{"transforms.u.type", "io.debezium.transforms.ExtractNewRecordState"}};
  std::string list = "u";
  for (auto& [k, v] : stages) {
    if (k == "transforms") {
      list += "," + v;
    } else {
      config.emplace_back(k, v);
    }
  }
  config.emplace_back("transforms", list);
  auto chain = TransformChain::Create(config, "test");
  EXPECT_TRUE(chain.ok()) << chain.status();
  static std::vector<std::unique_ptr<TransformChain>> chains;
  chains.push_back(*std::move(chain));
  Verdict verdict;
  absl::Status status = chains.back()->Apply(record, events.batch(), verdict);
  EXPECT_TRUE(status.ok()) << status;
  return record;
}

TEST(FieldTransforms, ReplaceFieldExcludesIncludesAndRenames) {
  Table table("ref.shop.orders", /*with_note=*/true);
  Events events(table);
  data::SourceRecord r = Through({{"transforms", "v,k"},
                                  {"transforms.v.type", "ReplaceField$Value"},
                                  {"transforms.v.exclude", "qty"},
                                  {"transforms.v.renames", "id:order_id"},
                                  {"transforms.k.type", "ReplaceField$Key"},
                                  {"transforms.k.renames", "id:key_id"}},
                                 events, events.Change('c', {}, Row{1, 2, "n"}));
  EXPECT_EQ(Json(r.value_schema, r.value), R"({"order_id":1,"note":"n"})");
  EXPECT_EQ(Json(r.key_schema, r.key, true),
            R"({"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"key_id"}],)"
            R"("optional":false,"name":"ref.shop.orders.Key"},"payload":{"key_id":1}})");
  data::SourceRecord included = Through({{"transforms", "v"},
                                         {"transforms.v.type", "ReplaceField$Value"},
                                         {"transforms.v.include", "qty"}},
                                        events, events.Change('c', {}, Row{1, std::nullopt}));
  EXPECT_EQ(Json(included.value_schema, included.value), R"({"qty":5})");  // the default
}

TEST(FieldTransforms, ValueToKeyThenExtractFieldMakeAPrimitiveKey) {
  Table table;
  Events events(table);
  data::SourceRecord r = Through({{"transforms", "v,e"},
                                  {"transforms.v.type", "ValueToKey"},
                                  {"transforms.v.fields", "qty,id"},
                                  {"transforms.e.type", "ExtractField$Key"},
                                  {"transforms.e.field", "qty"}},
                                 events, events.Change('c', {}, Row{7, 3}));
  EXPECT_EQ(Json(r.key_schema, r.key, true),
            R"({"schema":{"type":"int32","optional":true,"default":5},"payload":3})");
}

TEST(FieldTransforms, SetSchemaMetadataAndInsertField) {
  Table table;
  Events events(table);
  data::SourceRecord r = Through({{"transforms", "s,i"},
                                  {"transforms.s.type", "SetSchemaMetadata$Value"},
                                  {"transforms.s.schema.name", "shop.Order"},
                                  {"transforms.s.schema.version", "3"},
                                  {"transforms.i.type", "InsertField$Value"},
                                  {"transforms.i.topic.field", "topic!"},
                                  {"transforms.i.static.field", "origin"},
                                  {"transforms.i.static.value", "eu"}},
                                 events, events.Change('u', Row{1}, Row{1, 2}));
  EXPECT_EQ(Json(r.value_schema, r.value, true),
            R"({"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},)"
            R"({"type":"int32","optional":true,"default":5,"field":"qty"},)"
            R"({"type":"string","optional":false,"field":"topic"},)"
            R"({"type":"string","optional":true,"field":"origin"}],"optional":false,)"
            R"("name":"shop.Order","version":3},)"
            R"("payload":{"id":1,"qty":2,"topic":"ref.shop.orders","origin":"eu"}})");
}

TEST(FieldTransforms, MaskFieldEmptiesValuesOrReplacesThem) {
  Table table("ref.shop.orders", /*with_note=*/true);
  Events events(table);
  data::SourceRecord r = Through({{"transforms", "m,k"},
                                  {"transforms.m.type", "MaskField$Value"},
                                  {"transforms.m.fields", "qty,note"},
                                  {"transforms.k.type", "MaskField$Key"},
                                  {"transforms.k.fields", "id"},
                                  {"transforms.k.replacement", "-1"}},
                                 events, events.Change('c', {}, Row{4, 2, "secret"}));
  EXPECT_EQ(Json(r.value_schema, r.value), R"({"id":4,"qty":0,"note":""})");
  EXPECT_EQ(Json(r.key_schema, r.key), R"({"id":-1})");
  EXPECT_EQ(r.value_schema->name(), "ref.shop.orders.Value");  // the schema is unchanged

  auto chain = TransformChain::Create({{"transforms", "u,m"},
                                       {"transforms.u.type", "ExtractNewRecordState"},
                                       {"transforms.m.type", "MaskField$Value"},
                                       {"transforms.m.fields", "id"},
                                       {"transforms.m.replacement", "x"}},
                                      "test");
  ASSERT_TRUE(chain.ok());
  data::SourceRecord bad = events.Change('c', {}, Row{4});
  Verdict verdict;
  const absl::Status status = (*chain)->Apply(bad, events.batch(), verdict);
  EXPECT_THAT(std::string(status.message()), HasSubstr("cannot mask field `id`"));
}

TEST(FieldTransforms, FlattenLiftsTheEnvelopesStructsIntoOneLevel) {
  Table table;
  Events events(table);
  auto chain = TransformChain::Create({{"transforms", "f"},
                                       {"transforms.f.type", "Flatten$Value"},
                                       {"transforms.f.delimiter", "__"}},
                                      "test");
  ASSERT_TRUE(chain.ok()) << chain.status();
  data::SourceRecord r = events.Change('u', Row{1, 2}, Row{1, 3});
  Verdict verdict;
  ASSERT_TRUE((*chain)->Apply(r, events.batch(), verdict).ok());
  const std::string json = Json(r.value_schema, r.value, true);
  EXPECT_THAT(json, HasSubstr(R"({"type":"int64","optional":true,"field":"before__id"},)"));
  EXPECT_THAT(json, HasSubstr(R"({"type":"string","optional":false,"field":"source__db"})"));
  EXPECT_THAT(json, HasSubstr(R"("payload":{"before__id":1,"before__qty":2,"after__id":1,"after__qty":3,)"));
  EXPECT_THAT(json, HasSubstr(R"("op":"u","ts_ms":1700000000123,"transaction__id":null,)"));
}

TEST(FieldTransforms, RefuseWhatTheyCannotDo) {
  std::vector<ConfigProblem> problems = CheckTransforms({
      {"transforms", "a,b,c,d,e"},
      {"transforms.a.type", "ReplaceField$Value"},
      {"transforms.a.renames", "nocolon"},
      {"transforms.b.type", "InsertField$Value"},
      {"transforms.b.offset.field", "offset"},
      {"transforms.c.type", "ValueToKey"},
      {"transforms.d.type", "ExtractField$Value"},
      {"transforms.d.field", "a.b"},
      {"transforms.d.field.syntax.version", "V2"},
      {"transforms.e.type", "SetSchemaMetadata$Key"},
  });
  std::vector<std::string> keys;
  for (const ConfigProblem& p : problems) keys.push_back(p.key);
  EXPECT_THAT(keys, ElementsAre("transforms.a.renames", "transforms.b.offset.field",
                                "transforms.c.fields", "transforms.d.field.syntax.version",
                                "transforms.e.schema.name"));
  EXPECT_THAT(problems[1].message, HasSubstr("sink records only"));
}

}  // namespace
}  // namespace sluice::transform
