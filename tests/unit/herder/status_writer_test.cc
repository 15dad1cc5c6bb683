// A cluster worker's statuses: what other workers wrote to the status topic is answered as theirs,
// a status this worker takes over is written even when only the worker changed, and each carries
// the generation it was written in.
#include "runtime/herder/status_writer.h"

#include <memory>

#include "gtest/gtest.h"
#include "tests/unit/herder/fake_topic_log.h"
#include "tests/unit/herder/fake_worker.h"

namespace sluice::herder {
namespace {

using testing::FakeTopicLog;
using testing::FakeWorker;

class StatusWriterTest : public ::testing::Test {
 protected:
  StatusWriterTest()
      : worker_(SLUICE_GENERATOR_PATH),
        log_(new FakeTopicLog),
        statuses_(std::unique_ptr<kafka::TopicLog>(log_), &worker_,
                  std::make_shared<SecretScrubber>(), &watchers_, "10.0.0.1:8083",
                  [](LogLevel, std::string_view, std::string_view) {}) {}

  static kafka::KeyedRecord Status(std::string key, State state, std::string worker) {
    return {std::move(key), EncodeStatus({state, std::nullopt, std::move(worker), 0})};
  }

  FakeWorker worker_;
  FakeTopicLog* log_;  // owned by statuses_
  Watchers watchers_;
  StatusWriter statuses_;
};

TEST_F(StatusWriterTest, FollowedStatusesAreAnsweredWithTheWorkerThatWroteThem) {
  statuses_.Follow({Status(ConnectorStatusKey("orders"), State::kRunning, "10.0.0.2:8083"),
                    Status(TaskStatusKey("orders", 0), State::kRunning, "10.0.0.2:8083"),
                    Status(TaskStatusKey("orders", 1), State::kFailed, "10.0.0.3:8083")});
  ConnectorStatusInfo status = statuses_.StatusOf("orders");
  EXPECT_EQ(status.state, State::kRunning);
  EXPECT_EQ(status.worker_id, "10.0.0.2:8083");
  ASSERT_EQ(status.tasks.size(), 2u);
  EXPECT_EQ(status.tasks[1].state, State::kFailed);
  EXPECT_EQ(status.tasks[1].worker_id, "10.0.0.3:8083");

  // A tombstone removes what it names.
  statuses_.Follow({{TaskStatusKey("orders", 1), std::nullopt}});
  EXPECT_EQ(statuses_.StatusOf("orders").tasks.size(), 1u);
}

TEST_F(StatusWriterTest, TakingOverAStatusWritesItThoughOnlyTheWorkerChanged) {
  statuses_.Follow({Status(ConnectorStatusKey("orders"), State::kRunning, "10.0.0.2:8083")});
  statuses_.SetConnectorState("orders", State::kRunning);
  std::optional<std::optional<std::string>> written = log_->Latest(ConnectorStatusKey("orders"));
  ASSERT_TRUE(written.has_value() && written->has_value());
  absl::StatusOr<StatusValue> value = DecodeStatus(**written);
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(value->worker_id, "10.0.0.1:8083");
  EXPECT_EQ(statuses_.StatusOf("orders").worker_id, "10.0.0.1:8083");
}

// Kafka Connect's status records carry the writer's generation; a cluster's is its assignment
// epoch (docs/cluster.md), a single worker's 0.
TEST_F(StatusWriterTest, StatusesCarryTheGenerationTheyWereWrittenIn) {
  statuses_.SetTaskState("orders", 0, State::kRunning);
  statuses_.SetGeneration(7);
  statuses_.SetConnectorState("orders", State::kRunning);
  auto generation_of = [&](const std::string& key) {
    std::optional<std::optional<std::string>> written = log_->Latest(key);
    if (!written.has_value() || !written->has_value()) return -1;
    absl::StatusOr<StatusValue> value = DecodeStatus(**written);
    return value.ok() ? static_cast<int>(value->generation) : -1;
  };
  EXPECT_EQ(generation_of(TaskStatusKey("orders", 0)), 0);
  EXPECT_EQ(generation_of(ConnectorStatusKey("orders")), 7);
}

}  // namespace
}  // namespace sluice::herder
