// A connector's topic.creation.* rules (KIP-158): which group a new topic falls in, what it is
// created with, and the checks validate reports.
#include "runtime/worker/topic_creation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace sluice::worker {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;

ConfigMap Rules(ConfigMap extra) {
  ConfigMap config = {{"name", "shop"},
                      {"topic.creation.default.replication.factor", "1"},
                      {"topic.creation.default.partitions", "3"}};
  config.insert(config.end(), extra.begin(), extra.end());
  return config;
}

// The message of the problem on `key`, or "".
std::string ProblemOn(const KeyErrors& problems, const std::string& key) {
  for (const auto& [k, message] : problems) {
    if (k == key) return message;
  }
  return "";
}

TEST(TopicCreation, NoTopicCreationKeysMeansNoRules) {
  KeyErrors errors, warnings;
  EXPECT_FALSE(TopicCreationRules::From({{"name", "shop"}}, true, &errors, &warnings).has_value());
  EXPECT_TRUE(errors.empty());
}

TEST(TopicCreation, ATopicTakesTheFirstListedGroupItMatchesElseTheDefault) {
  KeyErrors errors, warnings;
  std::optional<TopicCreationRules> rules = TopicCreationRules::From(
      Rules({{"topic.creation.groups", "compacted, big"},
             {"topic.creation.compacted.include", "shop\\.users, shop\\.config.*"},
             {"topic.creation.compacted.exclude", "shop\\.config_old"},
             {"topic.creation.compacted.cleanup.policy", "compact"},
             {"topic.creation.compacted.replication.factor", "-1"},
             {"topic.creation.big.include", "shop\\..*"},
             {"topic.creation.big.partitions", "12"},
             {"topic.creation.default.retention.ms", "3600000"}}),
      true, &errors, &warnings);
  ASSERT_TRUE(rules.has_value()) << (errors.empty() ? "" : errors.front().second);
  EXPECT_TRUE(warnings.empty());

  kafka::TopicSpec users = rules->SpecFor("shop.users");
  EXPECT_EQ(users.partitions, 3) << "a group without partitions takes the default group's";
  EXPECT_EQ(users.replication_factor, -1);
  EXPECT_THAT(users.configs, ::testing::ElementsAre(Pair("cleanup.policy", "compact")))
      << "the default group's topic configs are not added to another group's";

  // Excluded from `compacted`, so the next group that matches: `big`.
  kafka::TopicSpec old = rules->SpecFor("shop.config_old");
  EXPECT_EQ(old.partitions, 12);
  EXPECT_EQ(old.replication_factor, 1);
  EXPECT_TRUE(old.configs.empty());

  // The include pattern matches the whole name only: `shop.orders.x` is not `shop.users`.
  EXPECT_EQ(rules->SpecFor("shop.orders").partitions, 12);
  kafka::TopicSpec other = rules->SpecFor("inventory.items");
  EXPECT_EQ(other.partitions, 3);
  EXPECT_EQ(other.replication_factor, 1);
  EXPECT_THAT(other.configs, ::testing::ElementsAre(Pair("retention.ms", "3600000")));
}

TEST(TopicCreation, KafkaConnectsChecksWithItsMessages) {
  KeyErrors errors, warnings;
  EXPECT_FALSE(TopicCreationRules::From({{"topic.creation.groups", "a,a"},
                                         {"topic.creation.a.partitions", "0"},
                                         {"topic.creation.a.replication.factor", "x"}},
                                        true, &errors, &warnings));
  EXPECT_THAT(ProblemOn(errors, "topic.creation.groups"), HasSubstr("Duplicate alias provided."));
  EXPECT_EQ(ProblemOn(errors, "topic.creation.a.partitions"),
            "Invalid value 0 for configuration topic.creation.a.partitions: Value must be -1 or at "
            "least 1");
  EXPECT_THAT(ProblemOn(errors, "topic.creation.a.replication.factor"),
              HasSubstr("Not a number of type INT"));
  EXPECT_THAT(ProblemOn(errors, "topic.creation.default.replication.factor"),
              HasSubstr("Missing required configuration \"topic.creation.default.replication."
                        "factor\" which has no default value"));
  EXPECT_THAT(ProblemOn(errors, "topic.creation.default.partitions"),
              HasSubstr("Missing required configuration"));
}

TEST(TopicCreation, WhatKafkaConnectIgnoresIsRefusedOrWarnedByName) {
  KeyErrors errors, warnings;
  EXPECT_TRUE(TopicCreationRules::From(Rules({{"topic.creation.groups", "default"},
                                              {"topic.creation.default.include", "x.*"}}),
                                       true, &errors, &warnings));
  EXPECT_TRUE(errors.empty());
  EXPECT_THAT(ProblemOn(warnings, "topic.creation.groups"), HasSubstr("always exists"));
  EXPECT_THAT(ProblemOn(warnings, "topic.creation.default.include"), HasSubstr("without effect"));

  errors.clear();
  EXPECT_FALSE(TopicCreationRules::From(Rules({{"topic.creation.unlisted.partitions", "2"},
                                               {"topic.creation.groups", "bad"},
                                               {"topic.creation.bad.include", "(unclosed"}}),
                                        true, &errors, &warnings));
  EXPECT_THAT(ProblemOn(errors, "topic.creation.unlisted.partitions"),
              HasSubstr("group `unlisted` is not listed in topic.creation.groups"));
  EXPECT_THAT(ProblemOn(errors, "topic.creation.bad.include"), HasSubstr("`(unclosed`"));
}

TEST(TopicCreation, RefusedWhenTheWorkerCreatesNoTopics) {
  KeyErrors errors, warnings;
  EXPECT_FALSE(TopicCreationRules::From(Rules({}), /*worker_enabled=*/false, &errors, &warnings));
  EXPECT_THAT(ProblemOn(errors, "topic.creation.default.partitions"),
              HasSubstr("set topic.creation.enable=true on the worker"));
  // Without topic.creation.* keys the worker's setting concerns the connector not at all.
  errors.clear();
  EXPECT_FALSE(TopicCreationRules::From({{"name", "shop"}}, false, &errors, &warnings));
  EXPECT_TRUE(errors.empty());
}

}  // namespace
}  // namespace sluice::worker
