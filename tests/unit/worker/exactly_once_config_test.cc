// The exactly-once settings of a connector config (worker/exactly_once_config.h): Kafka Connect's
// keys, values and preflight refusals, against the generator (which says it supports exactly-once
// and defines boundaries) and a test plugin that says neither.
#include "runtime/worker/exactly_once_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/worker/connector_config.h"

namespace sluice::worker {
namespace {

using config::ExactlyOnceSourceSupport;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

std::shared_ptr<const plugin::Plugin> Load(const char* path) {
  absl::StatusOr<std::shared_ptr<const plugin::Plugin>> loaded = plugin::LoadPlugin(path);
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  return loaded.ok() ? *loaded : nullptr;
}

ConfigMap With(ConfigMap extra) {
  ConfigMap config = {{"name", "c"}, {"connector.class", "generator"}, {"topic", "t"}};
  config.insert(config.end(), extra.begin(), extra.end());
  return config;
}

TEST(ExactlyOnceConfig, DefaultsAreRequestedAndPollWithTheWorkersIntervalAndOffsetsTopic) {
  KeyErrors errors;
  ExactlyOnceConfig parsed = ParseExactlyOnceConfig(With({}), &errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(parsed.support, ExactlyOnceSupportLevel::kRequested);
  EXPECT_EQ(parsed.boundary, TransactionBoundary::kPoll);
  EXPECT_FALSE(parsed.boundary_interval.has_value());
  EXPECT_EQ(parsed.offsets_topic, "");
}

TEST(ExactlyOnceConfig, ValuesAreReadInAnyCase) {
  KeyErrors errors;
  ExactlyOnceConfig parsed =
      ParseExactlyOnceConfig(With({{"exactly.once.support", "REQUIRED"},
                                   {"transaction.boundary", "Interval"},
                                   {"transaction.boundary.interval.ms", "2500"},
                                   {"offsets.storage.topic", "my-offsets"}}),
                             &errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(parsed.support, ExactlyOnceSupportLevel::kRequired);
  EXPECT_EQ(parsed.boundary, TransactionBoundary::kInterval);
  EXPECT_EQ(parsed.boundary_interval, absl::Milliseconds(2500));
  EXPECT_EQ(parsed.offsets_topic, "my-offsets");
}

TEST(ExactlyOnceConfig, BadValuesAreNamedByKey) {
  KeyErrors errors;
  (void)ParseExactlyOnceConfig(With({{"exactly.once.support", "always"},
                                     {"transaction.boundary", "commit"},
                                     {"transaction.boundary.interval.ms", "-1"},
                                     {"offsets.storage.topic", " "}}),
                               &errors);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].first, "exactly.once.support");
  EXPECT_THAT(errors[0].second, HasSubstr("requested or required"));
  EXPECT_EQ(errors[1].first, "transaction.boundary");
  EXPECT_THAT(errors[1].second, HasSubstr("poll, interval or connector"));
  EXPECT_EQ(errors[2].first, "transaction.boundary.interval.ms");
  EXPECT_EQ(errors[3].first, "offsets.storage.topic");
  // The connector config loader refuses the same, naming the first key.
  absl::StatusOr<ConnectorConfig> loaded =
      ConnectorConfigFromMap(With({{"transaction.boundary", "commit"}}));
  EXPECT_TRUE(absl::IsInvalidArgument(loaded.status()));
  EXPECT_THAT(loaded.status().message(), HasSubstr("transaction.boundary"));
}

TEST(ExactlyOnceConfig, RequiredIsRefusedOnAWorkerWithoutExactlyOnce) {
  auto generator = Load(SLUICE_GENERATOR_PATH);
  ASSERT_NE(generator, nullptr);
  const ConfigMap config = With({{"exactly.once.support", "required"}});
  for (ExactlyOnceSourceSupport worker :
       {ExactlyOnceSourceSupport::kDisabled, ExactlyOnceSourceSupport::kPreparing}) {
    KeyErrors refusals = ExactlyOnceRefusals(config, *generator, worker);
    ASSERT_EQ(refusals.size(), 1u);
    EXPECT_EQ(refusals[0].first, "exactly.once.support");
    EXPECT_THAT(refusals[0].second,
                HasSubstr("worker does not have exactly-once source support enabled"));
  }
  EXPECT_THAT(ExactlyOnceRefusals(config, *generator, ExactlyOnceSourceSupport::kEnabled),
              IsEmpty());
}

TEST(ExactlyOnceConfig, RequiredIsRefusedForAConnectorThatDoesNotSayItSupportsIt) {
  auto silent = Load(TEST_PLUGIN_ALIASES);
  ASSERT_NE(silent, nullptr);
  KeyErrors refusals = ExactlyOnceRefusals(With({{"exactly.once.support", "required"}}), *silent,
                                           ExactlyOnceSourceSupport::kEnabled);
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].first, "exactly.once.support");
  EXPECT_THAT(refusals[0].second, HasSubstr("does not say whether it supports exactly-once"));
  EXPECT_THAT(refusals[0].second, HasSubstr("exactly.once.support=requested"));
  // Requested needs no preflight check.
  EXPECT_THAT(ExactlyOnceRefusals(With({{"exactly.once.support", "requested"}}), *silent,
                                  ExactlyOnceSourceSupport::kEnabled),
              IsEmpty());
}

TEST(ExactlyOnceConfig, ConnectorBoundariesAreRefusedForAConnectorThatDoesNotDefineThem) {
  auto silent = Load(TEST_PLUGIN_ALIASES);
  auto generator = Load(SLUICE_GENERATOR_PATH);
  ASSERT_NE(silent, nullptr);
  ASSERT_NE(generator, nullptr);
  const ConfigMap config = With({{"transaction.boundary", "connector"}});
  EXPECT_THAT(ExactlyOnceRefusals(config, *silent, ExactlyOnceSourceSupport::kEnabled),
              ElementsAre(Pair("transaction.boundary",
                               HasSubstr("does not define its own transaction boundaries"))));
  EXPECT_THAT(ExactlyOnceRefusals(config, *generator, ExactlyOnceSourceSupport::kEnabled),
              IsEmpty());
}

TEST(ExactlyOnceConfig, TheTransactionalIdIsKafkaConnects) {
  EXPECT_EQ(TaskTransactionalId("connect-cluster", "inventory", 3), "connect-cluster-inventory-3");
}

}  // namespace
}  // namespace sluice::worker
