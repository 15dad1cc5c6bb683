// ConnectorLifecycle with units apart and a TaskConfigStore (a cluster's herder, where the leader
// is the config topic's one writer): the task configs an instance generates, and a stop's empty
// set, go to the store and never straight to the config log; under exactly-once a task of a new
// generation, whose instance runs on another worker, starts here only once its zombie fencing
// round is recorded in the config topic (KIP-618).
#include "runtime/herder/connector_lifecycle.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/herder/fake_topic_log.h"
#include "tests/unit/herder/fake_worker.h"

namespace sluice::herder {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::FakeTopicLog;
using testing::FakeWorker;

struct Stored {
  std::string name;
  std::vector<ConfigMap> tasks;
};

class ConnectorLifecycleTest : public ::testing::Test {
 protected:
  ConnectorLifecycleTest()
      : config_log_(new FakeTopicLog()),
        configs_(std::unique_ptr<kafka::TopicLog>(config_log_)),
        scrubber_(std::make_shared<SecretScrubber>()),
        statuses_(std::make_unique<FakeTopicLog>(), &worker_, scrubber_, &watchers_, "w1",
                  [](LogLevel, std::string_view, std::string_view) {}),
        preparer_(&worker_.plugins(), &worker_.config(), scrubber_),
        lifecycle_(&worker_, &configs_, &statuses_, &preparer_,
                   [](LogLevel, std::string_view, std::string_view) {}, /*units_apart=*/true,
                   [this](const std::string& name, const std::vector<ConfigMap>& tasks) {
                     stored_.push_back({name, tasks});
                     return store_answer_;
                   }) {}

  // The connector in the config log as the leader wrote it: config, target state and, when
  // `tasks` > 0, that many committed task configs.
  void Configure(const std::string& name, int tasks_max, TargetState target, int tasks = 0) {
    std::vector<kafka::KeyedRecord> records = {
        {TargetStateKey(name), EncodeTargetState(target)},
        {ConnectorConfigKey(name),
         EncodeProperties({{"name", name},
                           {"connector.class", "generator"},
                           {"topic", "orders"},
                           {"tasks.max", std::to_string(tasks_max)}})}};
    if (tasks > 0) {
      std::vector<ConfigMap> configs(tasks, ConfigMap{{"task", "x"}});
      for (kafka::KeyedRecord& r : TaskConfigRecords(name, configs)) records.push_back(r);
    }
    ASSERT_TRUE(configs_.Write(records).ok());
  }

  // What the leader commits for connector `name`, followed here: its config and a generation of
  // `tasks` task configs.
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

  void EnableExactlyOnce() {
    worker_.mutable_config().exactly_once_source_support =
        config::ExactlyOnceSourceSupport::kEnabled;
  }

  FakeWorker worker_{SLUICE_GENERATOR_PATH};
  FakeTopicLog* config_log_;  // owned by configs_
  ConfigLog configs_;
  std::shared_ptr<SecretScrubber> scrubber_;
  Watchers watchers_;
  StatusWriter statuses_;
  ConfigPreparer preparer_;
  std::vector<Stored> stored_;
  absl::Status store_answer_;
  ConnectorLifecycle lifecycle_;
};

TEST_F(ConnectorLifecycleTest, AnInstancesGeneratedTaskConfigsGoToTheStoreNotTheConfigLog) {
  Configure("c", 3, TargetState::kStarted);
  const size_t written = config_log_->records().size();
  const absl::Status started = lifecycle_.StartInstance("c", TargetState::kStarted);
  ASSERT_TRUE(started.ok()) << started;
  ASSERT_EQ(stored_.size(), 1u);
  EXPECT_EQ(stored_[0].name, "c");
  EXPECT_EQ(stored_[0].tasks.size(), 3u);
  EXPECT_EQ(config_log_->records().size(), written);  // nothing written here
  EXPECT_FALSE(config_log_->Latest(CommitKey("c")).has_value());
}

TEST_F(ConnectorLifecycleTest, AStoreThatFailsFailsTheConnector) {
  Configure("c", 2, TargetState::kStarted);
  store_answer_ = absl::FailedPreconditionError("connector c is STOPPED");
  EXPECT_TRUE(absl::IsFailedPrecondition(lifecycle_.StartInstance("c", TargetState::kStarted)));
  EXPECT_EQ(stored_.size(), 1u);
  EXPECT_EQ(statuses_.StatusOf("c").state, State::kFailed);
  EXPECT_EQ(statuses_.StatusOf("c").trace, "connector c is STOPPED");
  EXPECT_FALSE(worker_.IsConnectorRunning("c"));
}

TEST_F(ConnectorLifecycleTest, AStopEmptiesTheTaskConfigsThroughTheStoreOnlyWhenSomeAreLeft) {
  Configure("c", 2, TargetState::kStopped, /*tasks=*/2);
  ASSERT_TRUE(lifecycle_.StopEmptyingTasks("c").ok());
  ASSERT_EQ(stored_.size(), 1u);
  EXPECT_TRUE(stored_[0].tasks.empty());
  EXPECT_EQ(config_log_->Latest(CommitKey("c")), std::optional<std::optional<std::string>>(
                                                     EncodeCommit(2)));  // the leader's, unchanged

  Configure("d", 2, TargetState::kStopped);  // the leader's stop emptied them already
  ASSERT_TRUE(lifecycle_.StopEmptyingTasks("d").ok());
  EXPECT_EQ(stored_.size(), 1u);
  EXPECT_EQ(statuses_.StatusOf("d").state, State::kStopped);
}

TEST_F(ConnectorLifecycleTest, ATaskWaitsForItsGenerationsFencingRoundUnderExactlyOnce) {
  EnableExactlyOnce();
  FollowTaskGeneration("gen", 2);
  ASSERT_TRUE(lifecycle_.AwaitsZombieFencing("gen"));
  absl::Status started = lifecycle_.StartTaskHere("gen", 1);
  EXPECT_EQ(started.code(), absl::StatusCode::kUnavailable) << started;
  EXPECT_THAT(worker_.RunningTasks("gen"), IsEmpty());
  EXPECT_THAT(worker_.events(), IsEmpty()) << absl::StrJoin(worker_.events(), ", ");

  // The round fenced ids 0-1 and was recorded: the task starts here.
  configs_.Follow({{TaskCountKey("gen"), EncodeTaskCount(2)}});
  EXPECT_FALSE(lifecycle_.AwaitsZombieFencing("gen"));
  ASSERT_TRUE(lifecycle_.StartTaskHere("gen", 1).ok());
  EXPECT_THAT(worker_.RunningTasks("gen"), ElementsAre(1));
  // A task's worker never runs a round of its own.
  EXPECT_THAT(worker_.events(), ElementsAre("start task gen-1"));

  // A new generation (tasks.max lowered) waits for its own round.
  FollowTaskGeneration("gen", 1);
  EXPECT_TRUE(lifecycle_.AwaitsZombieFencing("gen"));
  EXPECT_EQ(lifecycle_.StartTaskHere("gen", 0).code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(worker_.RunningTasks("gen"), ElementsAre(1));
}

TEST_F(ConnectorLifecycleTest, WithoutExactlyOnceATaskStartsWithNoFencingRound) {
  FollowTaskGeneration("gen", 1);
  EXPECT_FALSE(lifecycle_.AwaitsZombieFencing("gen"));
  ASSERT_TRUE(lifecycle_.StartTaskHere("gen", 0).ok());
  EXPECT_THAT(worker_.RunningTasks("gen"), ElementsAre(0));
}

TEST_F(ConnectorLifecycleTest, UnderExactlyOnceTheInstanceRunsNoRoundTheTaskConfigsWriterDoes) {
  EnableExactlyOnce();
  Configure("c", 2, TargetState::kStarted);
  ASSERT_TRUE(lifecycle_.StartInstance("c", TargetState::kStarted).ok());
  ASSERT_EQ(stored_.size(), 1u);  // sent to the leader, which fences
  EXPECT_THAT(worker_.events(), ::testing::Not(::testing::Contains(::testing::StartsWith("fence"))))
      << absl::StrJoin(worker_.events(), ", ");

  // The leader wrote them (3 before, 2 now): its round covers ids 0-2, its record goes through
  // its own write, never straight to the config log.
  FollowTaskGeneration("c", 2);
  std::vector<kafka::KeyedRecord> written;
  const size_t logged = config_log_->records().size();
  ASSERT_TRUE(lifecycle_
                  .FenceZombies("c", /*rewritten=*/true, /*previous_tasks=*/3,
                                [&](const std::vector<kafka::KeyedRecord>& records) {
                                  written = records;
                                  configs_.Follow(records);
                                  return absl::OkStatus();
                                })
                  .ok());
  EXPECT_THAT(worker_.events(), Contains("fence c 0-2")) << absl::StrJoin(worker_.events(), ", ");
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].key, TaskCountKey("c"));
  EXPECT_EQ(written[0].value, EncodeTaskCount(2));
  EXPECT_EQ(config_log_->records().size(), logged);
  EXPECT_FALSE(lifecycle_.AwaitsZombieFencing("c"));

  // This generation's round ran: none again unless it is rewritten.
  worker_.ClearEvents();
  ASSERT_TRUE(lifecycle_
                  .FenceZombies("c", /*rewritten=*/false, 0,
                                [](const std::vector<kafka::KeyedRecord>&) {
                                  return absl::InternalError("not called");
                                })
                  .ok());
  EXPECT_THAT(worker_.events(), IsEmpty());
}

}  // namespace
}  // namespace sluice::herder
