#include "runtime/admin/proto_convert.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "runtime/offsets/offset_codec.h"

namespace sluice::admin {

namespace pb = ::sluice::admin::v1;

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

pb::State ToProto(herder::State state) {
  switch (state) {
    case herder::State::kUnassigned:
      return pb::STATE_UNASSIGNED;
    case herder::State::kRunning:
      return pb::STATE_RUNNING;
    case herder::State::kPaused:
      return pb::STATE_PAUSED;
    case herder::State::kStopped:
      return pb::STATE_STOPPED;
    case herder::State::kFailed:
      return pb::STATE_FAILED;
    case herder::State::kRestarting:
      return pb::STATE_RESTARTING;
  }
  return pb::STATE_UNSPECIFIED;
}

pb::TargetState ToProto(herder::TargetState state) {
  switch (state) {
    case herder::TargetState::kStarted:
      return pb::TARGET_STATE_STARTED;
    case herder::TargetState::kPaused:
      return pb::TARGET_STATE_PAUSED;
    case herder::TargetState::kStopped:
      return pb::TARGET_STATE_STOPPED;
  }
  return pb::TARGET_STATE_UNSPECIFIED;
}

herder::TargetState FromProto(pb::TargetState state) {
  switch (state) {
    case pb::TARGET_STATE_PAUSED:
      return herder::TargetState::kPaused;
    case pb::TARGET_STATE_STOPPED:
      return herder::TargetState::kStopped;
    default:
      return herder::TargetState::kStarted;
  }
}

void AddOffsets(const std::vector<herder::PartitionOffset>& in,
                google::protobuf::RepeatedPtrField<pb::PartitionOffset>* out) {
  for (const herder::PartitionOffset& po : in) {
    absl::StatusOr<std::string> partition = PartitionJson(po.partition);
    absl::StatusOr<std::string> offset =
        po.offset ? OffsetJson(*po.offset) : absl::StatusOr<std::string>("");
    // Never skips in practice: what the offsets topic holds decoded from JSON, which has no NaN
    // or infinity, the only values that do not encode.
    if (!partition.ok() || !offset.ok()) continue;
    pb::PartitionOffset* added = out->Add();
    added->set_partition_json(*partition);
    added->set_offset_json(*offset);
  }
}

void ToProto(const plugin::TaskProgress& in, pb::TaskProgress* out) {
  switch (in.phase) {
    case plugin::TaskPhase::kSnapshot:
      out->set_phase(pb::TASK_PHASE_SNAPSHOT);
      break;
    case plugin::TaskPhase::kStreaming:
      out->set_phase(pb::TASK_PHASE_STREAMING);
      break;
    case plugin::TaskPhase::kIdle:
      out->set_phase(pb::TASK_PHASE_IDLE);
      break;
    case plugin::TaskPhase::kUnknown:
      out->set_phase(pb::TASK_PHASE_UNSPECIFIED);
      break;
  }
  out->set_phase_name(plugin::TaskPhaseName(in.phase));
  out->set_table(in.table);
  // -1 is the ABI's "unknown": left unset, so a client tells it from a real 0.
  if (in.table_rows_done >= 0) out->set_table_rows_done(in.table_rows_done);
  if (in.table_rows_total >= 0) out->set_table_rows_total(in.table_rows_total);
  if (in.tables_done >= 0) out->set_tables_done(in.tables_done);
  if (in.tables_total >= 0) out->set_tables_total(in.tables_total);
  if (in.lag_ms >= 0) out->set_lag_ms(in.lag_ms);
  out->set_position(in.position);
  out->set_reported_at_ms(absl::ToUnixMillis(in.reported_at));
  out->set_warning(in.warning);
  if (in.purge_headroom_bytes != -1) out->set_purge_headroom_bytes(in.purge_headroom_bytes);
  if (in.purge_headroom_seconds != -1) out->set_purge_headroom_seconds(in.purge_headroom_seconds);
}

void ToProto(const herder::ConnectorStatusInfo& in, pb::ConnectorStatus* out) {
  out->set_name(in.name);
  out->set_state(ToProto(in.state));
  out->set_state_name(std::string(herder::StateName(in.state)));
  out->set_worker_id(in.worker_id);
  out->set_trace(in.trace);
  out->set_type("source");
  AddOffsets(in.offsets, out->mutable_offsets());
  out->set_snapshot_running(herder::IsSnapshotting(in));
  out->set_version(in.version);
  for (const std::string& warning : in.warnings) out->add_warnings(warning);
  if (in.restarted) {
    out->mutable_restarted()->set_connector(in.restarted->connector);
    for (int task : in.restarted->tasks) out->mutable_restarted()->add_tasks(task);
  }
  for (const herder::TaskStatusInfo& task : in.tasks) {
    pb::TaskStatus* t = out->add_tasks();
    t->set_id(task.id);
    t->set_state(ToProto(task.state));
    t->set_state_name(std::string(herder::StateName(task.state)));
    t->set_worker_id(task.worker_id);
    t->set_trace(task.trace);
    t->set_version(task.version);
    if (task.progress) ToProto(*task.progress, t->mutable_progress());
  }
}

void ToProto(const herder::ConnectorInfo& in, pb::Connector* out) {
  out->set_name(in.name);
  for (const auto& [k, v] : in.config) (*out->mutable_config())[k] = v;
  out->set_target_state(ToProto(in.target_state));
  out->set_task_count(in.task_count);
  ToProto(in.status, out->mutable_status());
}

herder::State FromProto(pb::State state) {
  switch (state) {
    case pb::STATE_RUNNING:
      return herder::State::kRunning;
    case pb::STATE_PAUSED:
      return herder::State::kPaused;
    case pb::STATE_STOPPED:
      return herder::State::kStopped;
    case pb::STATE_FAILED:
      return herder::State::kFailed;
    case pb::STATE_RESTARTING:
      return herder::State::kRestarting;
    default:
      return herder::State::kUnassigned;
  }
}

herder::ConnectorStatusInfo FromProto(const pb::ConnectorStatus& in) {
  herder::ConnectorStatusInfo out;
  out.name = in.name();
  out.state = FromProto(in.state());
  out.trace = in.trace();
  out.worker_id = in.worker_id();
  out.version = in.version();
  out.warnings.assign(in.warnings().begin(), in.warnings().end());
  for (const pb::TaskStatus& t : in.tasks()) {
    herder::TaskStatusInfo task;
    task.id = t.id();
    task.state = FromProto(t.state());
    task.trace = t.trace();
    task.worker_id = t.worker_id();
    task.version = t.version();
    out.tasks.push_back(std::move(task));
  }
  if (absl::StatusOr<std::vector<herder::PartitionOffset>> offsets = FromProto(in.offsets());
      offsets.ok()) {
    out.offsets = *std::move(offsets);
  }
  return out;
}

herder::ConnectorInfo FromProto(const pb::Connector& in) {
  herder::ConnectorInfo out;
  out.name = in.name();
  out.config = FromProto(in.config());
  out.target_state = FromProto(in.target_state());
  out.task_count = in.task_count();
  out.status = FromProto(in.status());
  return out;
}

absl::StatusOr<std::vector<herder::PartitionOffset>> FromProto(
    const google::protobuf::RepeatedPtrField<pb::PartitionOffset>& in) {
  std::vector<herder::PartitionOffset> out;
  for (const pb::PartitionOffset& po : in) {
    absl::StatusOr<offsets::SourcePartition> partition = ParsePartitionJson(po.partition_json());
    if (!partition.ok()) return partition.status();
    herder::PartitionOffset added{*std::move(partition), std::nullopt};
    if (!po.offset_json().empty()) {
      absl::StatusOr<offsets::SourceOffset> offset = ParseOffsetJson(po.offset_json());
      if (!offset.ok()) return offset.status();
      added.offset = *std::move(offset);
    }
    out.push_back(std::move(added));
  }
  return out;
}

ConfigMap FromProto(const google::protobuf::Map<std::string, std::string>& config) {
  ConfigMap out(config.begin(), config.end());
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::string> PartitionJson(const offsets::SourcePartition& partition) {
  return offsets::EncodeSourcePartition(partition);
}

absl::StatusOr<std::string> OffsetJson(const offsets::SourceOffset& offset) {
  return offsets::EncodeOffsetValue(offset);
}

absl::StatusOr<offsets::SourcePartition> ParsePartitionJson(const std::string& json) {
  absl::StatusOr<offsets::SourcePartition> partition = offsets::DecodeSourcePartition(json);
  if (!partition.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("partition `", json, "`: ", partition.status().message()));
  }
  return partition;
}

absl::StatusOr<offsets::SourceOffset> ParseOffsetJson(const std::string& json) {
  absl::StatusOr<offsets::SourceOffset> offset = offsets::DecodeOffsetValue(json);
  if (!offset.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("offset `", json, "`: ", offset.status().message()));
  }
  return offset;
}

}  // namespace sluice::admin
