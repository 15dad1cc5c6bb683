// A cluster worker's steps for units apart (ConnectorLifecycle with units_apart): under
// exactly-once a task of a new generation, whose instance runs on another worker, starts here only
// once that worker's zombie fencing round is recorded in the config topic (KIP-618).
#include "runtime/herder/connector_lifecycle.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/herder/fake_topic_log.h"
#include "tests/unit/herder/fake_worker.h"

namespace sluice::herder {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::FakeTopicLog;
using testing::FakeWorker;

class ConnectorLifecycleTest : public ::testing::Test {
 protected:
  ConnectorLifecycleTest()
      : worker_(SLUICE_GENERATOR_PATH),
        configs_(std::make_unique<FakeTopicLog>()),
        statuses_(std::make_unique<FakeTopicLog>(), &worker_, scrubber_, &watchers_,
                  "10.0.0.1:8083", [](LogLevel, std::string_view, std::string_view) {}),
        preparer_(&worker_.plugins(), &worker_.config(), scrubber_),
        lifecycle_(&worker_, &configs_, &statuses_, &preparer_,
                   [](LogLevel, std::string_view, std::string_view) {}, /*units_apart=*/true) {
    worker_.mutable_config().exactly_once_source_support =
        config::ExactlyOnceSourceSupport::kEnabled;
  }

  // What another worker, running connector `name`'s instance, commits: its config and a
  // generation of `tasks` task configs.
  void FollowTaskGeneration(const std::string& name, int tasks) {
    std::vector<kafka::KeyedRecord> records = {
        {ConnectorConfigKey(name),
         EncodeProperties({{"name", name},
                           {"connector.class", "generator"},
                           {"topic", "orders"},
                           {"tasks.max", std::to_string(tasks)}})}};
    for (int i = 0; i < tasks; ++i) {
      records.push_back({TaskConfigKey(name, i), EncodeProperties({{"task", std::to_string(i)}})});
    }
    records.push_back({CommitKey(name), EncodeCommit(tasks)});
    configs_.Follow(records);
  }

  FakeWorker worker_;
  std::shared_ptr<SecretScrubber> scrubber_ = std::make_shared<SecretScrubber>();
  Watchers watchers_;
  ConfigLog configs_;
  StatusWriter statuses_;
  ConfigPreparer preparer_;
  ConnectorLifecycle lifecycle_;
};

TEST_F(ConnectorLifecycleTest, ATaskWaitsForItsGenerationsFencingRoundUnderExactlyOnce) {
  FollowTaskGeneration("gen", 2);
  ASSERT_TRUE(lifecycle_.AwaitsZombieFencing("gen"));
  absl::Status started = lifecycle_.StartTaskHere("gen", 1);
  EXPECT_EQ(started.code(), absl::StatusCode::kUnavailable) << started;
  EXPECT_THAT(worker_.RunningTasks("gen"), IsEmpty());
  EXPECT_THAT(worker_.events(), IsEmpty()) << absl::StrJoin(worker_.events(), ", ");

  // The instance's worker fenced ids 0-1 and recorded it: the task starts here.
  configs_.Follow({{TaskCountKey("gen"), EncodeTaskCount(2)}});
  EXPECT_FALSE(lifecycle_.AwaitsZombieFencing("gen"));
  ASSERT_TRUE(lifecycle_.StartTaskHere("gen", 1).ok());
  EXPECT_THAT(worker_.RunningTasks("gen"), ElementsAre(1));
  // Fencing is the instance's worker's: a task's worker never runs a round of its own.
  EXPECT_THAT(worker_.events(), ElementsAre("start task gen-1"));

  // A new generation (tasks.max lowered) waits for its own round.
  FollowTaskGeneration("gen", 1);
  EXPECT_TRUE(lifecycle_.AwaitsZombieFencing("gen"));
  EXPECT_EQ(lifecycle_.StartTaskHere("gen", 0).code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(worker_.RunningTasks("gen"), ElementsAre(1));
}

TEST_F(ConnectorLifecycleTest, WithoutExactlyOnceATaskStartsWithNoFencingRound) {
  worker_.mutable_config().exactly_once_source_support =
      config::ExactlyOnceSourceSupport::kDisabled;
  FollowTaskGeneration("gen", 1);
  EXPECT_FALSE(lifecycle_.AwaitsZombieFencing("gen"));
  ASSERT_TRUE(lifecycle_.StartTaskHere("gen", 0).ok());
  EXPECT_THAT(worker_.RunningTasks("gen"), ElementsAre(0));
}

}  // namespace
}  // namespace sluice::herder
