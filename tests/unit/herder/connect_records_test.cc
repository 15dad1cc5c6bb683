// The config and status topics' keys and values, byte for byte as Kafka Connect writes them.
#include "runtime/herder/connect_records.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "runtime/herder/config_state.h"

namespace sluice::herder {
namespace {

TEST(ConnectRecords, ConfigTopicKeysAreKafkaConnects) {
  EXPECT_EQ(ConnectorConfigKey("orders"), "connector-orders");
  EXPECT_EQ(TaskConfigKey("orders", 3), "task-orders-3");
  EXPECT_EQ(CommitKey("orders"), "commit-orders");
  EXPECT_EQ(TargetStateKey("orders"), "target-state-orders");
}

TEST(ConnectRecords, ConfigTopicKeysParseBackEvenWithDashesInNames) {
  ConfigTopicKey task = ParseConfigTopicKey("task-my-conn-12");
  EXPECT_EQ(task.kind, ConfigTopicKey::Kind::kTask);
  EXPECT_EQ(task.connector, "my-conn");
  EXPECT_EQ(task.task, 12);
  EXPECT_EQ(ParseConfigTopicKey("target-state-a-b").kind, ConfigTopicKey::Kind::kTargetState);
  EXPECT_EQ(ParseConfigTopicKey("target-state-a-b").connector, "a-b");
  EXPECT_EQ(ParseConfigTopicKey("connector-x").kind, ConfigTopicKey::Kind::kConnector);
  EXPECT_EQ(ParseConfigTopicKey("commit-x").kind, ConfigTopicKey::Kind::kCommit);
  EXPECT_EQ(ParseConfigTopicKey("session-key").kind, ConfigTopicKey::Kind::kUnknown);
  EXPECT_EQ(ParseConfigTopicKey("task-x-notanumber").kind, ConfigTopicKey::Kind::kUnknown);
}

// KIP-618's task-count record, as Kafka Connect writes it after a zombie fencing round.
TEST(ConnectRecords, TaskCountRecordsAreKafkaConnects) {
  EXPECT_EQ(TaskCountKey("my-conn"), "tasks-fencing-my-conn");
  const ConfigTopicKey key = ParseConfigTopicKey("tasks-fencing-my-conn");
  EXPECT_EQ(key.kind, ConfigTopicKey::Kind::kTaskCount);
  EXPECT_EQ(key.connector, "my-conn");
  EXPECT_EQ(EncodeTaskCount(3), R"({"task-count":3})");
  EXPECT_EQ(DecodeTaskCount(R"({"task-count":2})").value_or(-1), 2);
  EXPECT_FALSE(DecodeTaskCount(R"({"tasks":2})").ok());
  ConfigState state;
  EXPECT_EQ(state.task_count_record("my-conn"), std::nullopt);
  state.Apply({"tasks-fencing-my-conn", std::string(R"({"task-count":4})")});
  EXPECT_EQ(state.task_count_record("my-conn"), 4);
  EXPECT_EQ(state.skipped(), 0);
}

// KIP-745's restart request, as Kafka Connect's leader writes it; ConfigState keeps no state of it.
TEST(ConnectRecords, RestartRequestsAreKafkaConnects) {
  EXPECT_EQ(RestartRequestKey("my-conn"), "restart-connector-my-conn");
  const ConfigTopicKey key = ParseConfigTopicKey("restart-connector-my-conn");
  EXPECT_EQ(key.kind, ConfigTopicKey::Kind::kRestart);
  EXPECT_EQ(key.connector, "my-conn");
  EXPECT_EQ(EncodeRestartRequest({.include_tasks = true, .only_failed = false}),
            R"({"include-tasks":true,"only-failed":false})");
  absl::StatusOr<RestartRequest> decoded =
      DecodeRestartRequest(R"({"only-failed":true,"include-tasks":false})");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_FALSE(decoded->include_tasks);
  EXPECT_TRUE(decoded->only_failed);
  EXPECT_FALSE(DecodeRestartRequest("not json").ok());
}

TEST(ConnectRecords, PropertiesValueIsCompactJsonInGivenOrderLastDuplicateWins) {
  EXPECT_EQ(EncodeProperties(
                {{"name", "orders"}, {"tasks.max", "1"}, {"name", "orders2"}, {"q", "a\"b"}}),
            R"({"properties":{"name":"orders2","tasks.max":"1","q":"a\"b"}})");
  absl::StatusOr<ConfigMap> decoded =
      DecodeProperties(R"({"properties":{"name":"orders","tasks.max":"1","unset":null}})");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, (ConfigMap{{"name", "orders"}, {"tasks.max", "1"}}));
  EXPECT_FALSE(DecodeProperties(R"({"props":{}})").ok());
}

TEST(ConnectRecords, CommitAndTargetStateValues) {
  EXPECT_EQ(EncodeCommit(2), R"({"tasks":2})");
  EXPECT_EQ(DecodeCommit(R"({"tasks":2})").value(), 2);
  EXPECT_EQ(EncodeTargetState(TargetState::kStarted),
            R"({"state":"STARTED","state.v2":"STARTED"})");
  EXPECT_EQ(EncodeTargetState(TargetState::kPaused), R"({"state":"PAUSED","state.v2":"PAUSED"})");
  // KIP-875: workers that predate STOPPED read it as PAUSED.
  EXPECT_EQ(EncodeTargetState(TargetState::kStopped), R"({"state":"PAUSED","state.v2":"STOPPED"})");
  EXPECT_EQ(DecodeTargetState(R"({"state":"PAUSED","state.v2":"STOPPED"})").value(),
            TargetState::kStopped);
  EXPECT_EQ(DecodeTargetState(R"({"state":"PAUSED"})").value(), TargetState::kPaused);
  EXPECT_FALSE(DecodeTargetState(R"({"state":"SLEEPING"})").ok());
}

TEST(ConnectRecords, StatusKeysAndValues) {
  EXPECT_EQ(ConnectorStatusKey("orders"), "status-connector-orders");
  EXPECT_EQ(TaskStatusKey("orders", 0), "status-task-orders-0");
  EXPECT_EQ(TopicStatusKey("shop.orders", "orders"), "status-topic-shop.orders:connector-orders");
  StatusTopicKey topic = ParseStatusTopicKey("status-topic-shop.orders:connector-my-conn");
  EXPECT_EQ(topic.kind, StatusTopicKey::Kind::kTopic);
  EXPECT_EQ(topic.topic, "shop.orders");
  EXPECT_EQ(topic.connector, "my-conn");
  StatusTopicKey task = ParseStatusTopicKey("status-task-my-conn-1");
  EXPECT_EQ(task.kind, StatusTopicKey::Kind::kTask);
  EXPECT_EQ(task.connector, "my-conn");
  EXPECT_EQ(task.task, 1);

  EXPECT_EQ(EncodeStatus({State::kRunning, std::nullopt, "10.0.0.1:8083", 3}),
            R"({"state":"RUNNING","trace":null,"worker_id":"10.0.0.1:8083","generation":3})");
  EXPECT_EQ(EncodeStatus({State::kFailed, std::string("boom\n\tat x"), "w:1", 0}),
            R"({"state":"FAILED","trace":"boom\n\tat x","worker_id":"w:1","generation":0})");
  absl::StatusOr<StatusValue> decoded =
      DecodeStatus(R"({"state":"FAILED","trace":"boom","worker_id":"w:1","generation":7})");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->state, State::kFailed);
  EXPECT_EQ(decoded->trace, "boom");
  EXPECT_EQ(decoded->generation, 7);

  EXPECT_EQ(
      EncodeTopicStatus({"shop.orders", "orders", 0, 1700000000000}),
      R"({"topic":{"name":"shop.orders","connector":"orders","task":0,"discoverTimestamp":1700000000000}})");
  EXPECT_EQ(DecodeTopicStatus(EncodeTopicStatus({"t", "c", 2, 5})).value().task, 2);
}

}  // namespace
}  // namespace sluice::herder
