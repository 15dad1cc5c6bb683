// Filter, InsertHeader and DropHeaders on real change events.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "runtime/transform/transform_chain.h"
#include "tests/unit/transform/change_events.h"

namespace sluice::transform {
namespace {

using ::testing::HasSubstr;
using testing::Events;
using testing::Row;
using testing::Table;

TEST(HeaderTransforms, InsertHeaderAddsAndDropHeadersRemovesByName) {
  Table table;
  Events events(table);
  auto chain = TransformChain::Create(
      {
          {"transforms", "unwrap,tag,untag"},
          {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"},
          {"transforms.unwrap.add.headers", "op,db"},
          {"transforms.tag.type", "org.apache.kafka.connect.transforms.InsertHeader"},
          {"transforms.tag.header", "origin"},
          {"transforms.tag.value.literal", "shop-eu"},
          {"transforms.untag.type", "DropHeaders"},
          {"transforms.untag.headers", "__db, nothing"},
      },
      "test");
  ASSERT_TRUE(chain.ok()) << chain.status();
  data::SourceRecord record = events.Change('c', {}, Row{1});
  Verdict verdict;
  ASSERT_TRUE((*chain)->Apply(record, events.batch(), verdict).ok());
  ASSERT_EQ(record.headers.size(), 2u);
  EXPECT_EQ(record.headers[0].key, "__op");
  EXPECT_EQ(record.headers[1].key, "origin");
  EXPECT_EQ(record.headers[1].value.str(), "shop-eu");
}

TEST(HeaderTransforms, FilterDropsWhatItsPredicateSelects) {
  Table table;
  Events events(table);
  auto chain = TransformChain::Create(
      {
          {"transforms", "keepDeletes"},
          {"transforms.keepDeletes.type", "org.apache.kafka.connect.transforms.Filter"},
          {"transforms.keepDeletes.predicate", "tombstone"},
          {"predicates", "tombstone"},
          {"predicates.tombstone.type", "RecordIsTombstone"},
      },
      "test");
  ASSERT_TRUE(chain.ok()) << chain.status();
  Verdict verdict;
  data::SourceRecord tombstone = events.Tombstone(1);
  ASSERT_TRUE((*chain)->Apply(tombstone, events.batch(), verdict).ok());
  EXPECT_EQ(verdict, Verdict::kDrop);
  data::SourceRecord change = events.Change('d', Row{1}, {});
  ASSERT_TRUE((*chain)->Apply(change, events.batch(), verdict).ok());
  EXPECT_EQ(verdict, Verdict::kKeep);
}

TEST(HeaderTransforms, HeaderFromCopiesOrMovesFieldsIntoHeaders) {
  Table table("ref.shop.orders", /*with_note=*/true);
  Events events(table);
  auto chain = TransformChain::Create(
      {
          {"transforms", "unwrap,move,copy"},
          {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"},
          {"transforms.move.type", "HeaderFrom$Value"},
          {"transforms.move.fields", "note,qty"},
          {"transforms.move.headers", "remark,amount"},
          {"transforms.move.operation", "MOVE"},
          {"transforms.copy.type", "org.apache.kafka.connect.transforms.HeaderFrom$Key"},
          {"transforms.copy.fields", "id"},
          {"transforms.copy.headers", "key_id"},
          {"transforms.copy.operation", "copy"},
      },
      "test");
  ASSERT_TRUE(chain.ok()) << chain.status();
  data::SourceRecord record = events.Change('c', {}, Row{1, std::nullopt, "hi"});
  Verdict verdict;
  ASSERT_TRUE((*chain)->Apply(record, events.batch(), verdict).ok());
  EXPECT_EQ(testing::Json(record.value_schema, record.value), R"({"id":1})");
  EXPECT_EQ(testing::Json(record.key_schema, record.key), R"({"id":1})");
  ASSERT_EQ(record.headers.size(), 3u);
  EXPECT_EQ(record.headers[0].key, "remark");
  EXPECT_EQ(record.headers[0].value.str(), "hi");
  EXPECT_EQ(record.headers[1].key, "amount");
  EXPECT_EQ(record.headers[1].value.i, 5);  // null, replaced by the column's default
  EXPECT_EQ(record.headers[2].key, "key_id");
  EXPECT_EQ(record.headers[2].value.i, 1);
}

TEST(HeaderTransforms, RefusesMissingAndTypedOptions) {
  std::vector<ConfigProblem> problems = CheckTransforms({
      {"transforms", "a,b,c,h"},
      {"transforms.h.type", "HeaderFrom$Value"},
      {"transforms.h.fields", "a,b"},
      {"transforms.h.headers", "x"},
      {"transforms.h.operation", "copy"},
      {"transforms.a.type", "InsertHeader"},
      {"transforms.a.header", "h"},
      {"transforms.a.value.literal", "42"},
      {"transforms.b.type", "DropHeaders"},
      {"transforms.c.type", "Filter"},
      {"transforms.c.anything", "x"},
  });
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].key, "transforms.a.value.literal");
  EXPECT_THAT(problems[0].message, HasSubstr("typed header"));
  EXPECT_EQ(problems[1].key, "transforms.b.headers");
  EXPECT_EQ(problems[2].key, "transforms.c.anything");
  EXPECT_THAT(problems[2].message, HasSubstr("it takes none"));
  EXPECT_EQ(problems[3].key, "transforms.h.headers");
  EXPECT_THAT(problems[3].message, HasSubstr("names 1 header(s) for 2 field(s)"));
}

}  // namespace
}  // namespace sluice::transform
