// Herder answers to admin API messages: codes, states, offsets.
#include "runtime/admin/proto_convert.h"

#include "gtest/gtest.h"
#include "runtime/offsets/offset_codec.h"
#include "runtime/offsets/offset_table.h"

namespace sluice::admin {
namespace {

namespace pb = ::sluice::admin::v1;

TEST(ProtoConvert, AbslCodesAreGrpcCodes) {
  EXPECT_TRUE(ToGrpc(absl::OkStatus()).ok());
  EXPECT_EQ(ToGrpc(absl::NotFoundError("x")).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ToGrpc(absl::AlreadyExistsError("x")).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ToGrpc(absl::InvalidArgumentError("`a` bad")).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ToGrpc(absl::InvalidArgumentError("`a` bad")).error_message(), "`a` bad");
  EXPECT_EQ(ToGrpc(absl::FailedPreconditionError("x")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ToGrpc(absl::UnavailableError("x")).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(ProtoConvert, StatesAndStatuses) {
  EXPECT_EQ(FromProto(pb::TARGET_STATE_UNSPECIFIED), herder::TargetState::kStarted);
  EXPECT_EQ(FromProto(pb::TARGET_STATE_STOPPED), herder::TargetState::kStopped);
  EXPECT_EQ(ToProto(herder::TargetState::kPaused), pb::TARGET_STATE_PAUSED);
  herder::ConnectorStatusInfo info{
      "c", herder::State::kRunning, "", "w:1", {{0, herder::State::kFailed, "boom", "w:1"}}};
  info.warnings = {"`tasks.max` is 2 but generator runs 1 task(s) for this config"};
  pb::ConnectorStatus status;
  ToProto(info, &status);
  ASSERT_EQ(status.warnings_size(), 1);
  EXPECT_EQ(status.warnings(0), info.warnings[0]);
  EXPECT_EQ(status.state(), pb::STATE_RUNNING);
  EXPECT_EQ(status.state_name(), "RUNNING");
  ASSERT_EQ(status.tasks_size(), 1);
  EXPECT_EQ(status.tasks(0).state_name(), "FAILED");
  EXPECT_EQ(status.tasks(0).trace(), "boom");
}

TEST(ProtoConvert, TaskProgressLeavesUnknownNumbersUnsetAndMarksTheSnapshot) {
  plugin::TaskProgress progress;
  progress.phase = plugin::TaskPhase::kSnapshot;
  progress.table = "inventory.orders";
  progress.table_rows_done = 0;    // a real 0: set
  progress.table_rows_total = -1;  // unknown: unset
  progress.tables_done = 1;
  progress.tables_total = 5;
  progress.position = "mariadb-bin.000003:1234";
  progress.reported_at = absl::FromUnixMillis(1700000000123);
  herder::ConnectorStatusInfo info{
      "c",
      herder::State::kRunning,
      "",
      "w:1",
      {{0, herder::State::kRunning, "", "w:1", progress}, {1, herder::State::kRunning, "", "w:1"}}};
  pb::ConnectorStatus status;
  ToProto(info, &status);
  EXPECT_TRUE(status.snapshot_running()) << "a task reporting SNAPSHOT means a snapshot runs";
  ASSERT_EQ(status.tasks_size(), 2);
  ASSERT_TRUE(status.tasks(0).has_progress());
  EXPECT_FALSE(status.tasks(1).has_progress()) << "a task that reported nothing has none";
  const pb::TaskProgress& p = status.tasks(0).progress();
  EXPECT_EQ(p.phase(), pb::TASK_PHASE_SNAPSHOT);
  EXPECT_EQ(p.phase_name(), "snapshot");
  EXPECT_EQ(p.table(), "inventory.orders");
  EXPECT_TRUE(p.has_table_rows_done());
  EXPECT_EQ(p.table_rows_done(), 0);
  EXPECT_FALSE(p.has_table_rows_total());
  EXPECT_EQ(p.tables_done(), 1);
  EXPECT_EQ(p.tables_total(), 5);
  EXPECT_FALSE(p.has_lag_ms());
  EXPECT_EQ(p.position(), "mariadb-bin.000003:1234");
  EXPECT_EQ(p.reported_at_ms(), 1700000000123);

  info.tasks[0].progress->phase = plugin::TaskPhase::kStreaming;
  pb::ConnectorStatus streaming;
  ToProto(info, &streaming);
  EXPECT_FALSE(streaming.snapshot_running());
  EXPECT_EQ(streaming.tasks(0).progress().phase(), pb::TASK_PHASE_STREAMING);
}

TEST(ProtoConvert, OffsetsRoundTripAsCompactJson) {
  absl::StatusOr<offsets::SourcePartition> partition = ParsePartitionJson(R"({"server": "shop"})");
  ASSERT_TRUE(partition.ok()) << partition.status();
  EXPECT_EQ(PartitionJson(*partition).value(), R"({"server":"shop"})");
  absl::StatusOr<offsets::SourceOffset> offset =
      ParseOffsetJson(R"({"file":"binlog.000003","pos":154})");
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(OffsetJson(*offset).value(), R"({"file":"binlog.000003","pos":154})");
  EXPECT_EQ(ParseOffsetJson("[1]").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ProtoConvert, AnAlteredPartitionIsTheOffsetsTopicKeySpelledAsGiven) {
  // An offsets topic written by Kafka Connect, the partition's fields in its HashMap's order.
  const std::string stored_key = R"(["inventory",{"database":"shop","server":"db1"}])";
  offsets::OffsetTable table;
  ASSERT_TRUE(table.Apply(stored_key, R"({"pos":7})"));

  // What GetOffsets shows is what AlterOffsets takes back: the same key, found and replaced.
  std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> shown =
      table.OffsetsFor("inventory");
  ASSERT_EQ(shown.size(), 1u);
  absl::StatusOr<std::string> shown_json = PartitionJson(shown[0].first);
  ASSERT_TRUE(shown_json.ok());
  EXPECT_EQ(*shown_json, R"({"database":"shop","server":"db1"})");
  absl::StatusOr<offsets::SourcePartition> altered = ParsePartitionJson(*shown_json);
  ASSERT_TRUE(altered.ok()) << altered.status();
  EXPECT_EQ(*altered, shown[0].first);
  EXPECT_EQ(offsets::EncodeOffsetKey("inventory", *altered).value(), stored_key);
  absl::StatusOr<offsets::SourceOffset> offset = ParseOffsetJson(R"({"pos":9})");
  ASSERT_TRUE(offset.ok());
  ASSERT_TRUE(table.Apply(stored_key, OffsetJson(*offset).value()));
  EXPECT_EQ(table.Get("inventory", *altered), *offset);

  // Typed in another order, it is another partition, which no task of this topic asks for.
  absl::StatusOr<offsets::SourcePartition> reordered =
      ParsePartitionJson(R"({"server":"db1","database":"shop"})");
  ASSERT_TRUE(reordered.ok());
  EXPECT_NE(*reordered, *altered);
  EXPECT_NE(offsets::EncodeOffsetKey("inventory", *reordered).value(), stored_key);
}

TEST(ProtoConvert, APartitionThatIsNotAJsonObjectIsRefusedNamingIt) {
  absl::StatusOr<offsets::SourcePartition> partition = ParsePartitionJson("[1]");
  EXPECT_EQ(partition.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(partition.status().message().find("partition `[1]`: source partition is not"),
            absl::string_view::npos)
      << partition.status();
}

}  // namespace
}  // namespace sluice::admin
