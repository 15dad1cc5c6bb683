// ExtractNewRecordState on real envelopes: what each operation becomes under each
// delete.tombstone.handling.mode, add.fields / add.headers, route.by.field, the legacy options,
// and schema changes, checked through the JSON converter with schemas (what a consumer sees).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "runtime/transform/transform_chain.h"
#include "tests/unit/transform/change_events.h"

namespace sluice::transform {
namespace {

using ::testing::HasSubstr;
using testing::Events;
using testing::Json;
using testing::Row;
using testing::Table;

std::unique_ptr<TransformChain> Unwrap(ConfigMap options) {
  ConfigMap config = {{"transforms", "unwrap"},
                      {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"}};
  for (auto& [k, v] : options) config.emplace_back("transforms.unwrap." + k, v);
  auto chain = TransformChain::Create(config, "test");
  EXPECT_TRUE(chain.ok()) << chain.status();
  return chain.ok() ? *std::move(chain) : nullptr;
}

struct Out {
  Verdict verdict;
  data::SourceRecord record;
};

Out Unwrapped(TransformChain& chain, Events& events, data::SourceRecord record) {
  Verdict verdict = Verdict::kKeep;
  absl::Status status = chain.Apply(record, events.batch(), verdict);
  EXPECT_TRUE(status.ok()) << status;
  return {verdict, record};
}

constexpr char kRequiredRowSchema[] =
    R"({"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},)"
    R"({"type":"int32","optional":true,"default":5,"field":"qty"}],"optional":false,)"
    R"("name":"ref.shop.orders.Value"})";

TEST(ExtractNewRecordState, CreateUpdateAndReadBecomeTheRowAfterWithARequiredSchema) {
  Table table;
  Events events(table);
  auto chain = Unwrap({});
  for (char op : {'c', 'u', 'r'}) {
    Out out = Unwrapped(*chain, events, events.Change(op, Row{1, 3}, Row{1, 4}));
    ASSERT_EQ(out.verdict, Verdict::kKeep) << op;
    EXPECT_EQ(out.record.topic, "ref.shop.orders");
    EXPECT_EQ(Json(out.record.value_schema, out.record.value, true),
              std::string(R"({"schema":)") + kRequiredRowSchema + R"(,"payload":{"id":1,"qty":4}})")
        << op;
    EXPECT_EQ(out.record.key_schema, table.key.get());  // the key is untouched
  }
}

TEST(ExtractNewRecordState, DeleteBecomesANullValueWithTheRowSchemaAndTheTombstoneIsDropped) {
  Table table;
  Events events(table);
  auto chain = Unwrap({});
  Out del = Unwrapped(*chain, events, events.Change('d', Row{9, 1}, {}));
  ASSERT_EQ(del.verdict, Verdict::kKeep);
  EXPECT_TRUE(del.record.value.is_null());
  EXPECT_EQ(del.record.value_schema, table.row.get());  // Debezium's "tombstone" mode keeps it
  EXPECT_EQ(Json(del.record.key_schema, del.record.key), R"({"id":9})");
  EXPECT_EQ(Unwrapped(*chain, events, events.Tombstone(9)).verdict, Verdict::kDrop);
}

TEST(ExtractNewRecordState, TruncateIsDropped) {
  Table table;
  Events events(table);
  auto chain = Unwrap({});
  EXPECT_EQ(Unwrapped(*chain, events, events.Change('t', {}, {})).verdict, Verdict::kDrop);
}

TEST(ExtractNewRecordState, DropModeDropsDeletesAndTombstones) {
  Table table;
  Events events(table);
  auto chain = Unwrap({{"delete.tombstone.handling.mode", "drop"}});
  EXPECT_EQ(Unwrapped(*chain, events, events.Change('d', Row{9}, {})).verdict, Verdict::kDrop);
  EXPECT_EQ(Unwrapped(*chain, events, events.Tombstone(9)).verdict, Verdict::kDrop);
  EXPECT_EQ(Unwrapped(*chain, events, events.Change('c', {}, Row{1})).verdict, Verdict::kKeep);
}

TEST(ExtractNewRecordState, DeleteToTombstoneMakesAKafkaTombstone) {
  Table table;
  Events events(table);
  auto chain = Unwrap({{"delete.tombstone.handling.mode", "delete-to-tombstone"}});
  Out del = Unwrapped(*chain, events, events.Change('d', Row{9}, {}));
  ASSERT_EQ(del.verdict, Verdict::kKeep);
  EXPECT_EQ(del.record.value_schema, nullptr);
  EXPECT_EQ(Json(del.record.value_schema, del.record.value, true), "<null>");
  EXPECT_EQ(Unwrapped(*chain, events, events.Tombstone(9)).verdict, Verdict::kDrop);
}

TEST(ExtractNewRecordState, RewriteAddsDeletedAndReplacesNullsWithDefaults) {
  Table table;
  Events events(table);
  auto chain = Unwrap({{"delete.tombstone.handling.mode", "rewrite"}});
  const std::string schema =
      R"({"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},)"
      R"({"type":"int32","optional":true,"default":5,"field":"qty"},)"
      R"({"type":"string","optional":true,"field":"__deleted"}],"optional":false,)"
      R"("name":"ref.shop.orders.Value"})";
  Out c = Unwrapped(*chain, events, events.Change('c', {}, Row{1, std::nullopt}));
  EXPECT_EQ(Json(c.record.value_schema, c.record.value, true),
            R"({"schema":)" + schema + R"(,"payload":{"id":1,"qty":5,"__deleted":"false"}})");
  Out d = Unwrapped(*chain, events, events.Change('d', Row{2, 8}, {}));
  EXPECT_EQ(Json(d.record.value_schema, d.record.value), R"({"id":2,"qty":8,"__deleted":"true"})");
  EXPECT_EQ(Unwrapped(*chain, events, events.Tombstone(2)).verdict, Verdict::kDrop);

  auto keep = Unwrap({{"delete.tombstone.handling.mode", "rewrite-with-tombstone"},
                      {"replace.null.with.default", "false"}});
  Out n = Unwrapped(*keep, events, events.Change('u', Row{1}, Row{1, std::nullopt}));
  ASSERT_EQ(n.record.value.kind, data::ValueKind::kStruct);
  EXPECT_TRUE(n.record.value.s->fields[1].is_null());  // the converter writes the default later
  Out t = Unwrapped(*keep, events, events.Tombstone(2));
  EXPECT_EQ(t.verdict, Verdict::kKeep);
  EXPECT_TRUE(t.record.value.is_null());
}

TEST(ExtractNewRecordState, LegacyOptionsMeanWhatTheyMeantBeforeDebezium31) {
  Table table;
  Events events(table);
  auto chain = Unwrap({{"delete.handling.mode", "rewrite"}, {"drop.tombstones", "false"}});
  Out d = Unwrapped(*chain, events, events.Change('d', Row{2, 8}, {}));
  EXPECT_EQ(Json(d.record.value_schema, d.record.value), R"({"id":2,"qty":8,"__deleted":"true"})");
  EXPECT_EQ(Unwrapped(*chain, events, events.Tombstone(2)).verdict, Verdict::kKeep);
  auto none = Unwrap({{"delete.handling.mode", "none"}});
  Out n = Unwrapped(*none, events, events.Change('d', Row{2}, {}));
  EXPECT_EQ(n.verdict, Verdict::kKeep);
  EXPECT_TRUE(n.record.value.is_null());
  EXPECT_EQ(Unwrapped(*none, events, events.Tombstone(2)).verdict, Verdict::kDrop);
  auto dropped = Unwrap({{"drop.tombstones", "true"}});  // delete.handling.mode defaults to drop
  EXPECT_EQ(Unwrapped(*dropped, events, events.Change('d', Row{2}, {})).verdict, Verdict::kDrop);
}

TEST(ExtractNewRecordState, AddFieldsCopiesEnvelopeFieldsUnderPrefixedNames) {
  Table table;
  Events events(table);
  auto chain = Unwrap({{"add.fields", "op,table,source.ts_ms,version:VERSION,id"}});
  Out c = Unwrapped(*chain, events, events.Change('c', {}, Row{1, 2}));
  EXPECT_EQ(Json(c.record.value_schema, c.record.value, true),
            R"({"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},)"
            R"({"type":"int32","optional":true,"default":5,"field":"qty"},)"
            R"({"type":"string","optional":true,"field":"__op"},)"
            R"({"type":"string","optional":true,"field":"__table"},)"
            R"({"type":"int64","optional":true,"field":"__source_ts_ms"},)"
            R"({"type":"string","optional":true,"field":"__VERSION"},)"
            R"({"type":"string","optional":true,"field":"__id"}],)"
            R"("optional":false,"name":"ref.shop.orders.Value"},)"
            R"("payload":{"id":1,"qty":2,"__op":"c","__table":"orders",)"
            R"("__source_ts_ms":1700000000000,"__VERSION":"3.6.1.Final","__id":null}})");
  auto prefixed = Unwrap({{"add.fields", "op"}, {"add.fields.prefix", "meta_"}});
  Out u = Unwrapped(*prefixed, events, events.Change('u', Row{1}, Row{1, 3}));
  EXPECT_EQ(Json(u.record.value_schema, u.record.value), R"({"id":1,"qty":3,"meta_op":"u"})");
}

TEST(ExtractNewRecordState, AddHeadersCopiesFieldsAndMarksTombstonesAsDeletes) {
  Table table;
  Events events(table);
  auto chain = Unwrap({{"add.headers", "op,source.ts_ms,db"},
                       {"delete.tombstone.handling.mode", "rewrite-with-tombstone"}});
  Out c = Unwrapped(*chain, events, events.Change('c', {}, Row{1}));
  ASSERT_EQ(c.record.headers.size(), 3u);
  EXPECT_EQ(c.record.headers[0].key, "__op");
  EXPECT_EQ(c.record.headers[0].value.str(), "c");
  EXPECT_EQ(c.record.headers[1].key, "__source_ts_ms");
  EXPECT_EQ(c.record.headers[1].value.i, 1700000000000);
  EXPECT_EQ(c.record.headers[2].key, "__db");
  EXPECT_EQ(c.record.headers[2].value.str(), "shop");
  Out t = Unwrapped(*chain, events, events.Tombstone(1));
  ASSERT_EQ(t.record.headers.size(), 1u);
  EXPECT_EQ(t.record.headers[0].key, "__op");
  EXPECT_EQ(t.record.headers[0].value.str(), "d");
}

TEST(ExtractNewRecordState, RouteByFieldTakesTheTopicFromTheRow) {
  Table table("ref.shop.orders", /*with_note=*/true);
  Events events(table);
  auto chain = Unwrap({{"route.by.field", "note"}});
  Row row{1, 2, "archive"};
  EXPECT_EQ(Unwrapped(*chain, events, events.Change('c', {}, row)).record.topic, "archive");
  EXPECT_EQ(Unwrapped(*chain, events, events.Change('d', row, {})).record.topic, "archive");
  row.note = " ";  // blank: the topic stays
  EXPECT_EQ(Unwrapped(*chain, events, events.Change('c', {}, row)).record.topic, "ref.shop.orders");

  auto wrong = Unwrap({{"route.by.field", "qty"}});
  data::SourceRecord record = events.Change('c', {}, row);
  Verdict verdict;
  absl::Status status = wrong->Apply(record, events.batch(), verdict);
  EXPECT_THAT(status.message(), HasSubstr("route.by.field `qty` is not a string field"));
  EXPECT_THAT(status.message(), HasSubstr("transform `unwrap`"));
}

TEST(ExtractNewRecordState, ASchemaChangeGivesANewUnwrappedSchema) {
  Table before("ref.shop.orders");
  Table after("ref.shop.orders", /*with_note=*/true);
  Events old_events(before);
  Events new_events(after);
  auto chain = Unwrap({{"add.fields", "op"}});
  Out a = Unwrapped(*chain, old_events, old_events.Change('c', {}, Row{1, 2}));
  Out b = Unwrapped(*chain, new_events, new_events.Change('c', {}, Row{2, 3, "x"}));
  Out c = Unwrapped(*chain, old_events, old_events.Change('c', {}, Row{3, 4}));
  EXPECT_NE(a.record.value_schema, b.record.value_schema);
  EXPECT_EQ(a.record.value_schema, c.record.value_schema);  // cached per schema
  EXPECT_THAT(Json(b.record.value_schema, b.record.value, true),
              HasSubstr(R"({"type":"string","optional":true,"field":"note"},)"
                        R"({"type":"string","optional":true,"field":"__op"}])"));
  EXPECT_EQ(Json(b.record.value_schema, b.record.value), R"({"id":2,"qty":3,"note":"x","__op":"c"})");
}

TEST(ExtractNewRecordState, RecordsThatAreNotChangeEventsPassUnchanged) {
  Table table;
  Events events(table);
  auto chain = Unwrap({{"add.headers", "op"}});
  data::SourceRecord ddl = events.SchemaChange();
  Out out = Unwrapped(*chain, events, ddl);
  EXPECT_EQ(out.verdict, Verdict::kKeep);
  EXPECT_EQ(out.record.value_schema, ddl.value_schema);
  EXPECT_EQ(out.record.value.s, ddl.value.s);
  EXPECT_TRUE(out.record.headers.empty());
}

TEST(ExtractNewRecordState, RefusesBadOptionsWithKeyReasonAndFix) {
  ConfigMap config = {{"transforms", "unwrap"},
                      {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"},
                      {"transforms.unwrap.delete.tombstone.handling.mode", "bogus"},
                      {"transforms.unwrap.delete.handling.mode", "rewrite"},
                      {"transforms.unwrap.add.fields", "a:b:c"},
                      {"transforms.unwrap.drop.fields.header.name", "changed"},
                      {"transforms.unwrap.add.feilds", "op"}};
  std::vector<ConfigProblem> problems = CheckTransforms(config);
  std::vector<std::string> keys;
  for (const ConfigProblem& p : problems) keys.push_back(p.key);
  EXPECT_THAT(keys, ::testing::UnorderedElementsAre(
                        "transforms.unwrap.delete.tombstone.handling.mode",
                        "transforms.unwrap.delete.handling.mode", "transforms.unwrap.add.fields",
                        "transforms.unwrap.drop.fields.header.name", "transforms.unwrap.add.feilds"));
  for (const ConfigProblem& p : problems) {
    if (p.key == "transforms.unwrap.delete.tombstone.handling.mode") {
      EXPECT_THAT(p.message, HasSubstr("must be one of drop, tombstone, rewrite"));
    }
    if (p.key == "transforms.unwrap.add.feilds") {
      EXPECT_THAT(p.message, HasSubstr("is not an option of io.debezium.transforms.ExtractNewRecordState"));
      EXPECT_THAT(p.message, HasSubstr("add.fields"));
    }
  }
}

}  // namespace
}  // namespace sluice::transform
