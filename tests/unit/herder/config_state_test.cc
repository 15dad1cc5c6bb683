// Rebuilding connectors from the config topic, as Kafka Connect's KafkaConfigBackingStore does.
#include "runtime/herder/config_state.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "runtime/herder/herder_types.h"

namespace sluice::herder {
namespace {

kafka::KeyedRecord R(std::string key, std::optional<std::string> value) {
  return {std::move(key), std::move(value)};
}

TEST(ConfigState, TaskConfigsApplyOnlyWithTheirCommit) {
  ConfigState state;
  state.Apply(R("connector-a", EncodeProperties({{"name", "a"}})));
  state.Apply(R("task-a-0", EncodeProperties({{"t", "0"}})));
  state.Apply(R("task-a-1", EncodeProperties({{"t", "1"}})));
  ASSERT_TRUE(state.connectors().contains("a"));
  EXPECT_TRUE(state.connectors().at("a").tasks.empty()) << "no commit yet";
  state.Apply(R("commit-a", EncodeCommit(2)));
  ASSERT_EQ(state.connectors().at("a").tasks.size(), 2u);
  EXPECT_EQ(state.connectors().at("a").tasks[1], (ConfigMap{{"t", "1"}}));
  EXPECT_FALSE(state.connectors().at("a").inconsistent);
  // Stopping empties the task configs (KIP-875).
  state.Apply(R("commit-a", EncodeCommit(0)));
  EXPECT_TRUE(state.connectors().at("a").tasks.empty());
}

TEST(ConfigState, ACommitMissingTaskConfigsMarksTheConnectorInconsistent) {
  ConfigState state;
  state.Apply(R("connector-a", EncodeProperties({{"name", "a"}})));
  state.Apply(R("task-a-1", EncodeProperties({{"t", "1"}})));
  state.Apply(R("commit-a", EncodeCommit(2)));
  EXPECT_TRUE(state.connectors().at("a").inconsistent);
  EXPECT_TRUE(state.connectors().at("a").tasks.empty());
}

// KIP-618: task configs committed open a zombie fencing round for their connector; its
// `tasks-fencing-<name>` record closes it, and the next commit opens the next one.
TEST(ConfigState, CommittedTaskConfigsAwaitTheirFencingRoundUntilItsRecordIsRead) {
  ConfigState state;
  state.Apply(R("connector-a", EncodeProperties({{"name", "a"}})));
  EXPECT_FALSE(state.fencing_pending("a")) << "no task generation yet";
  state.Apply(R("task-a-0", EncodeProperties({{"t", "0"}})));
  EXPECT_FALSE(state.fencing_pending("a")) << "task configs count only with their commit";
  state.Apply(R("commit-a", EncodeCommit(1)));
  EXPECT_TRUE(state.fencing_pending("a"));
  EXPECT_EQ(state.task_count_record("a"), std::nullopt);
  state.Apply(R("tasks-fencing-a", std::string("not json")));
  EXPECT_TRUE(state.fencing_pending("a")) << "a record that does not parse closes nothing";
  state.Apply(R("tasks-fencing-a", EncodeTaskCount(1)));
  EXPECT_FALSE(state.fencing_pending("a"));
  EXPECT_EQ(state.task_count_record("a"), 1);
  // The next generation waits for a round of its own; the previous record stays readable.
  state.Apply(R("task-a-0", EncodeProperties({{"t", "0'"}})));
  state.Apply(R("task-a-1", EncodeProperties({{"t", "1"}})));
  state.Apply(R("commit-a", EncodeCommit(2)));
  EXPECT_TRUE(state.fencing_pending("a"));
  EXPECT_EQ(state.task_count_record("a"), 1);
  EXPECT_FALSE(state.fencing_pending("b")) << "one connector's round is not another's";
  state.Apply(R("tasks-fencing-a", EncodeTaskCount(2)));
  EXPECT_FALSE(state.fencing_pending("a"));
  EXPECT_EQ(state.task_count_record("a"), 2);
}

TEST(ConfigState, TargetStatesDefaultToStartedAndTombstonesDelete) {
  ConfigState state;
  state.Apply(R("target-state-a", EncodeTargetState(TargetState::kStopped)));
  state.Apply(R("connector-a", EncodeProperties({{"name", "a"}})));
  state.Apply(R("connector-b", EncodeProperties({{"name", "b"}})));
  EXPECT_EQ(state.target_state("a"), TargetState::kStopped);
  EXPECT_EQ(state.target_state("b"), TargetState::kStarted);
  state.Apply(R("connector-a", std::nullopt));
  EXPECT_FALSE(state.connectors().contains("a"));
  EXPECT_EQ(state.target_state("a"), TargetState::kStarted);
  state.Apply(R("session-key", std::string("{}")));
  state.Apply(R("connector-b", std::string("not json")));
  EXPECT_EQ(state.skipped(), 2);
  EXPECT_TRUE(state.connectors().contains("b"));
}

}  // namespace
}  // namespace sluice::herder
