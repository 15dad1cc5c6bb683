// The chain's configuration as Kafka Connect reads it (aliases, types, predicates, negate) and
// every refusal with its key, reason and fix; predicates gating stages; drops ending the chain.
#include "runtime/transform/transform_chain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/transform/change_events.h"

namespace sluice::transform {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Events;
using testing::Row;
using testing::Table;

constexpr char kRouter[] = "org.apache.kafka.connect.transforms.RegexRouter";

std::vector<std::string> Keys(const std::vector<ConfigProblem>& problems) {
  std::vector<std::string> keys;
  for (const ConfigProblem& p : problems) keys.push_back(p.key);
  return keys;
}

std::string MessageFor(const std::vector<ConfigProblem>& problems, const std::string& key) {
  for (const ConfigProblem& p : problems) {
    if (p.key == key) return p.message;
  }
  return "<no problem with " + key + ">";
}

TEST(TransformChain, AConfigWithoutTransformsMakesAnEmptyChain) {
  auto chain = TransformChain::Create({{"name", "x"}, {"connector.class", "mysql"}}, "c");
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_TRUE((*chain)->empty());
  EXPECT_TRUE(CheckTransforms({{"transforms", ""}}).empty());
}

TEST(TransformChain, RefusesUnknownTypesMissingTypesAndUnknownOptions) {
  std::vector<ConfigProblem> problems = CheckTransforms({
      {"transforms", "a,b,c"},
      {"transforms.a.type", "com.example.Mystery"},
      {"transforms.c.type", kRouter},
      {"transforms.c.regex", "x"},
      {"transforms.c.replacement", "y"},
      {"transforms.c.replacment", "z"},
  });
  EXPECT_THAT(Keys(problems), ElementsAre("transforms.a.type", "transforms.b.type",
                                          "transforms.c.replacment"));
  EXPECT_THAT(MessageFor(problems, "transforms.a.type"),
              HasSubstr("`com.example.Mystery` is not a transform this worker has; it has "
                        "io.debezium.transforms.ExtractNewRecordState"));
  EXPECT_THAT(MessageFor(problems, "transforms.b.type"), HasSubstr("is required"));
  EXPECT_THAT(MessageFor(problems, "transforms.c.replacment"),
              HasSubstr("is not an option of org.apache.kafka.connect.transforms.RegexRouter; it "
                        "takes: regex, replacement"));
  auto chain = TransformChain::Create({{"transforms", "a"}, {"transforms.a.type", "Nope"}}, "connector x");
  EXPECT_TRUE(absl::IsInvalidArgument(chain.status()));
  EXPECT_THAT(chain.status().message(), HasSubstr("connector x: `transforms.a.type`: `Nope`"));
}

TEST(TransformChain, RefusesBadValues) {
  std::vector<ConfigProblem> problems = CheckTransforms({
      {"transforms", "r,s"},
      {"transforms.r.type", kRouter},
      {"transforms.r.regex", "(unclosed"},
      {"transforms.r.replacement", "y"},
      {"transforms.s.type", "RegexRouter"},
      {"transforms.s.regex", "(a)"},
      {"transforms.s.replacement", "$2"},
  });
  EXPECT_THAT(Keys(problems), ElementsAre("transforms.r.regex", "transforms.s.replacement"));
  EXPECT_THAT(MessageFor(problems, "transforms.r.regex"), HasSubstr("not a regular expression"));
  EXPECT_THAT(MessageFor(problems, "transforms.s.replacement"),
              HasSubstr("refers to group 2 but the pattern has 1"));
}

TEST(TransformChain, RefusesDuplicateAliasesUnlistedAliasesAndPredicateMistakes) {
  std::vector<ConfigProblem> problems = CheckTransforms({
      {"transforms", "r, r"},
      {"transforms.r.type", kRouter},
      {"transforms.r.regex", "x"},
      {"transforms.r.replacement", "y"},
      {"transforms.r.predicate", "missing"},
      {"transforms.old.type", kRouter},
      {"predicates", "p"},
      {"predicates.p.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"},
      {"predicates.q.type", "RecordIsTombstone"},
  });
  EXPECT_THAT(Keys(problems), ElementsAre("transforms", "transforms.old.type", "predicates.q.type",
                                          "predicates.p.pattern", "transforms.r.predicate"));
  EXPECT_THAT(MessageFor(problems, "transforms"), HasSubstr("lists `r` twice"));
  EXPECT_THAT(MessageFor(problems, "transforms.old.type"),
              HasSubstr("configures `old`, which `transforms` does not list"));
  EXPECT_THAT(MessageFor(problems, "predicates.p.pattern"), HasSubstr("is required"));
  EXPECT_THAT(MessageFor(problems, "transforms.r.predicate"),
              HasSubstr("names `missing`, which `predicates` does not list"));

  std::vector<ConfigProblem> negate = CheckTransforms({
      {"transforms", "r"},
      {"transforms.r.type", kRouter},
      {"transforms.r.regex", "x"},
      {"transforms.r.replacement", "y"},
      {"transforms.r.negate", "true"},
  });
  EXPECT_THAT(Keys(negate), ElementsAre("transforms.r.negate"));
  EXPECT_THAT(negate[0].message, HasSubstr("no `transforms.r.predicate` defining a predicate"));
}

// A router applied only where its predicate says, and a drop ending the chain.
TEST(TransformChain, PredicatesGateStagesAndNegateInvertsThem) {
  Table orders("ref.shop.orders");
  Table items("ref.shop.items");
  Events o(orders);
  Events i(items);
  auto chain = TransformChain::Create(
      {
          {"transforms", "unwrap,toA,toB"},
          {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"},
          {"transforms.unwrap.add.headers", "op"},
          {"transforms.toA.type", kRouter},
          {"transforms.toA.regex", ".*"},
          {"transforms.toA.replacement", "A"},
          {"transforms.toA.predicate", "isOrders"},
          {"transforms.toB.type", kRouter},
          {"transforms.toB.regex", "ref.*"},
          {"transforms.toB.replacement", "B"},
          {"transforms.toB.predicate", "isOrders"},
          {"transforms.toB.negate", "TRUE"},
          {"predicates", "isOrders,hasOp,tomb"},
          {"predicates.isOrders.type", "TopicNameMatches"},
          {"predicates.isOrders.pattern", ".*\\.orders"},
          {"predicates.hasOp.type", "HasHeaderKey"},
          {"predicates.hasOp.name", "__op"},
          {"predicates.tomb.type", "RecordIsTombstone"},
      },
      "test");
  ASSERT_TRUE(chain.ok()) << chain.status();
  Verdict verdict;
  data::SourceRecord a = o.Change('c', {}, Row{1});
  ASSERT_TRUE((*chain)->Apply(a, o.batch(), verdict).ok());
  EXPECT_EQ(a.topic, "A");
  data::SourceRecord b = i.Change('c', {}, Row{1});
  ASSERT_TRUE((*chain)->Apply(b, i.batch(), verdict).ok());
  EXPECT_EQ(b.topic, "B");
  data::SourceRecord tombstone = o.Tombstone(1);
  ASSERT_TRUE((*chain)->Apply(tombstone, o.batch(), verdict).ok());
  EXPECT_EQ(verdict, Verdict::kDrop);
  EXPECT_EQ(tombstone.topic, "ref.shop.orders");  // the routers after the drop never ran
}

TEST(TransformChain, PredicatesTestWhatTheySay) {
  Table orders("ref.shop.orders");
  Events o(orders);
  auto chain = TransformChain::Create(
      {
          {"transforms", "drop"},
          {"transforms.drop.type", "io.debezium.transforms.ExtractNewRecordState"},
          {"transforms.drop.delete.tombstone.handling.mode", "drop"},
          {"transforms.drop.predicate", "marked"},
          {"predicates", "marked"},
          {"predicates.marked.type", "HasHeaderKey"},
          {"predicates.marked.name", "drop-me"},
      },
      "test");
  ASSERT_TRUE(chain.ok()) << chain.status();
  Verdict verdict;
  data::SourceRecord plain = o.Change('d', Row{1}, {});
  ASSERT_TRUE((*chain)->Apply(plain, o.batch(), verdict).ok());
  EXPECT_EQ(verdict, Verdict::kKeep);  // no header: the stage is skipped, the envelope stays
  EXPECT_EQ(plain.value_schema, orders.envelope.get());
  data::SourceRecord marked = o.Change('d', Row{1}, {});
  data::Header header{"drop-me", nullptr, data::Value::Null()};
  marked.headers = std::span<const data::Header>(&header, 1);
  ASSERT_TRUE((*chain)->Apply(marked, o.batch(), verdict).ok());
  EXPECT_EQ(verdict, Verdict::kDrop);
}

}  // namespace
}  // namespace sluice::transform
