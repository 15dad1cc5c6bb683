// RegexRouter and ByLogicalTableRouter on real change events: topics, keys and envelope schemas as
// Kafka Connect and Debezium rename them; the Java regex semantics they rest on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "runtime/transform/java_regex.h"
#include "runtime/transform/transform_chain.h"
#include "tests/unit/transform/change_events.h"

namespace sluice::transform {
namespace {

using ::testing::HasSubstr;
using testing::Events;
using testing::Json;
using testing::Row;
using testing::Table;

std::unique_ptr<TransformChain> Chain(ConfigMap config) {
  auto chain = TransformChain::Create(config, "test");
  EXPECT_TRUE(chain.ok()) << chain.status();
  return chain.ok() ? *std::move(chain) : nullptr;
}

data::SourceRecord Apply(TransformChain& chain, Events& events, data::SourceRecord record) {
  Verdict verdict;
  absl::Status status = chain.Apply(record, events.batch(), verdict);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(verdict, Verdict::kKeep);
  return record;
}

TEST(JavaRegex, ReplaceFirstFollowsJavaReplacementSyntax) {
  auto regex = JavaRegex::Compile("ref\\.(\\w+)\\.(\\w+)");
  ASSERT_TRUE(regex.ok()) << regex.status();
  EXPECT_TRUE(regex->Matches("ref.shop.orders"));
  EXPECT_FALSE(regex->Matches("xref.shop.orders"));  // the whole name, as Matcher.matches()
  EXPECT_EQ(regex->ReplaceFirst("ref.shop.orders", "$2_from_$1"), "orders_from_shop");
  EXPECT_EQ(regex->ReplaceFirst("ref.shop.orders", "\\$1$1"), "$1shop");
  EXPECT_EQ(regex->ReplaceFirst("ref.shop.orders", "$21"), "orders1");  // group 21 does not exist
  EXPECT_THAT(*regex->CheckReplacement("$3"), HasSubstr("group 3 but the pattern has 2"));
  EXPECT_THAT(*regex->CheckReplacement("a$b"), HasSubstr("`$` followed by `b`"));
  EXPECT_THAT(*regex->CheckReplacement("x\\"), HasSubstr("escapes nothing"));
  EXPECT_FALSE(regex->CheckReplacement("$1.$2").has_value());
  EXPECT_FALSE(JavaRegex::Compile("(unclosed").ok());
}

TEST(RegexRouter, RenamesMatchingTopicsAndLeavesOthers) {
  Table orders("ref.shop.orders");
  Table other("other.topic");
  Events events(orders);
  Events other_events(other);
  auto chain = Chain({{"transforms", "route"},
                      {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
                      {"transforms.route.regex", "([^.]+)\\.([^.]+)\\.([^.]+)"},
                      {"transforms.route.replacement", "$3"}});
  data::SourceRecord in = events.Change('c', {}, Row{1});
  data::SourceRecord out = Apply(*chain, events, in);
  EXPECT_EQ(out.topic, "orders");
  EXPECT_EQ(out.value.s, in.value.s);  // nothing else changes
  EXPECT_EQ(out.key_schema, in.key_schema);
  EXPECT_EQ(Apply(*chain, other_events, other_events.Change('c', {}, Row{1})).topic, "other.topic");
  EXPECT_EQ(Apply(*chain, events, events.Tombstone(1)).topic, "orders");
}

TEST(ByLogicalTableRouter, MergesShardsIntoOneTopicWithATableIdentifierInTheKey) {
  Table shard("ref.shop_1.orders");
  Events events(shard);
  auto chain = Chain({{"transforms", "merge"},
                      {"transforms.merge.type", "io.debezium.transforms.ByLogicalTableRouter"},
                      {"transforms.merge.topic.regex", "ref\\.shop_(\\d+)\\.orders"},
                      {"transforms.merge.topic.replacement", "ref.shop.orders_all"}});
  data::SourceRecord out = Apply(*chain, events, events.Change('c', {}, Row{1, 2}));
  EXPECT_EQ(out.topic, "ref.shop.orders_all");
  EXPECT_EQ(Json(out.key_schema, out.key, true),
            R"({"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},)"
            R"({"type":"string","optional":false,"field":"__dbz__physicalTableIdentifier"}],)"
            R"("optional":false,"name":"ref.shop.orders_all.Key"},)"
            R"("payload":{"id":1,"__dbz__physicalTableIdentifier":"ref.shop_1.orders"}})");
  EXPECT_EQ(out.value_schema->name(), "ref.shop.orders_all.Envelope");
  EXPECT_EQ(out.value_schema->version(), std::optional<int32_t>(2));
  EXPECT_EQ(out.value_schema->fields()[1].schema->name(), "ref.shop.orders_all.Value");
  EXPECT_THAT(Json(out.value_schema, out.value), HasSubstr(R"("after":{"id":1,"qty":2})"));

  data::SourceRecord tombstone = Apply(*chain, events, events.Tombstone(1));
  EXPECT_EQ(tombstone.topic, "ref.shop.orders_all");
  EXPECT_TRUE(tombstone.value.is_null());
  EXPECT_EQ(Json(tombstone.key_schema, tombstone.key), R"({"id":1,"__dbz__physicalTableIdentifier":"ref.shop_1.orders"})");
}

TEST(ByLogicalTableRouter, KeyFieldRegexAndUniquenessOff) {
  Table shard("ref.shop_1.orders");
  Events events(shard);
  auto chain = Chain({{"transforms", "merge"},
                      {"transforms.merge.type", "ByLogicalTableRouter"},
                      {"transforms.merge.topic.regex", "ref\\.shop_(\\d+)\\.orders"},
                      {"transforms.merge.topic.replacement", "all-orders"},
                      {"transforms.merge.key.field.name", "shard"},
                      {"transforms.merge.key.field.regex", "ref\\.shop_(\\d+)\\.orders"},
                      {"transforms.merge.key.field.replacement", "s$1"},
                      {"transforms.merge.schema.name.adjustment.mode", "avro"}});
  data::SourceRecord out = Apply(*chain, events, events.Change('u', Row{1}, Row{1}));
  EXPECT_EQ(Json(out.key_schema, out.key), R"({"id":1,"shard":"s1"})");
  EXPECT_EQ(out.key_schema->name(), "all_orders.Key");  // avro: `-` is not a name character

  auto plain = Chain({{"transforms", "merge"},
                      {"transforms.merge.type", "ByLogicalTableRouter"},
                      {"transforms.merge.topic.regex", ".*"},
                      {"transforms.merge.topic.replacement", "one"},
                      {"transforms.merge.key.enforce.uniqueness", "false"}});
  data::SourceRecord p = Apply(*plain, events, events.Change('c', {}, Row{4}));
  EXPECT_EQ(Json(p.key_schema, p.key), R"({"id":4})");
  EXPECT_EQ(p.key_schema->name(), "one.Key");
}

TEST(ByLogicalTableRouter, RefusesAKeyRegexWithoutReplacement) {
  std::vector<ConfigProblem> problems =
      CheckTransforms({{"transforms", "merge"},
                       {"transforms.merge.type", "ByLogicalTableRouter"},
                       {"transforms.merge.topic.regex", "a"},
                       {"transforms.merge.topic.replacement", "b"},
                       {"transforms.merge.key.field.regex", "(a)"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key, "transforms.merge.key.field.replacement");
  EXPECT_THAT(problems[0].message, HasSubstr("must be non-empty when key.field.regex is set"));
}

TEST(TimestampRouter, FormatsTheRecordsTimestampInUtcIntoTheTopic) {
  Table table("ref.shop.orders");
  Events events(table);
  auto chain = Chain({{"transforms", "t"},
                      {"transforms.t.type", "TimestampRouter"},
                      {"transforms.t.timestamp.format", "yyyy.MM.dd-HH'h'"}});
  data::SourceRecord record = events.Change('c', {}, Row{1});
  record.timestamp_ms = 1704067199123;  // 2023-12-31T23:59:59.123Z
  EXPECT_EQ(Apply(*chain, events, record).topic, "ref.shop.orders-2023.12.31-23h");

  data::SourceRecord unstamped = events.Change('c', {}, Row{1});
  Verdict verdict;
  const absl::Status status = chain->Apply(unstamped, events.batch(), verdict);
  EXPECT_THAT(std::string(status.message()), HasSubstr("timestamp missing"));

  std::vector<ConfigProblem> problems = CheckTransforms({{"transforms", "t"},
                                                         {"transforms.t.type", "TimestampRouter"},
                                                         {"transforms.t.timestamp.format", "yyyyww"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key, "transforms.t.timestamp.format");
  EXPECT_THAT(problems[0].message, HasSubstr("uses `w`"));
}

}  // namespace
}  // namespace sluice::transform
