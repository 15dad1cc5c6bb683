// Herder answers to admin API messages and back (the CLI's `-o json` turns answers back into the
// herder's types to print them as the REST API does). Pure functions, unit-tested.
#ifndef SLUICE_RUNTIME_ADMIN_PROTO_CONVERT_H_
#define SLUICE_RUNTIME_ADMIN_PROTO_CONVERT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/map.h"
#include "grpcpp/support/status.h"
#include "runtime/herder/herder_types.h"
#include "sluice/admin/v1/admin.pb.h"

namespace sluice::admin {

// Same code, same message: absl's codes are gRPC's.
grpc::Status ToGrpc(const absl::Status& status);

::sluice::admin::v1::State ToProto(herder::State state);
::sluice::admin::v1::TargetState ToProto(herder::TargetState state);
// TARGET_STATE_UNSPECIFIED means STARTED.
herder::TargetState FromProto(::sluice::admin::v1::TargetState state);

void AddOffsets(const std::vector<herder::PartitionOffset>& in,
                google::protobuf::RepeatedPtrField<::sluice::admin::v1::PartitionOffset>* out);
void ToProto(const plugin::TaskProgress& in, ::sluice::admin::v1::TaskProgress* out);
void ToProto(const herder::ConnectorStatusInfo& in, ::sluice::admin::v1::ConnectorStatus* out);
void ToProto(const herder::ConnectorInfo& in, ::sluice::admin::v1::Connector* out);

// Back: what the REST API's bodies are written from (progress reports and the restart plan,
// which those bodies leave out, are not carried back). STATE_UNSPECIFIED is UNASSIGNED.
herder::State FromProto(::sluice::admin::v1::State state);
herder::ConnectorStatusInfo FromProto(const ::sluice::admin::v1::ConnectorStatus& in);
herder::ConnectorInfo FromProto(const ::sluice::admin::v1::Connector& in);
// InvalidArgument when a partition or an offset is not the offsets topic's JSON.
absl::StatusOr<std::vector<herder::PartitionOffset>> FromProto(
    const google::protobuf::RepeatedPtrField<::sluice::admin::v1::PartitionOffset>& in);

// A proto map has no order; configs are sorted by key, which is also how they read best.
ConfigMap FromProto(const google::protobuf::Map<std::string, std::string>& config);

// Partition and offset maps as compact JSON objects (the offsets topic's spelling) and back.
// Fields keep the order given: a partition altered through the admin API is the offsets-topic key
// spelled with its fields in that order (offsets/source_offset.h, "Equality").
absl::StatusOr<std::string> PartitionJson(const offsets::SourcePartition& partition);
absl::StatusOr<std::string> OffsetJson(const offsets::SourceOffset& offset);
absl::StatusOr<offsets::SourcePartition> ParsePartitionJson(const std::string& json);
absl::StatusOr<offsets::SourceOffset> ParseOffsetJson(const std::string& json);

}  // namespace sluice::admin

#endif  // SLUICE_RUNTIME_ADMIN_PROTO_CONVERT_H_
