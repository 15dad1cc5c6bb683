#include "runtime/admin/admin_service.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "runtime/admin/admin_token.h"
#include "runtime/admin/proto_convert.h"
#include "sluice/connector.h"

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "dev"
#endif

namespace sluice::admin {
namespace {

grpc::Status NeedName(const std::string& name) {
  if (!name.empty()) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "`name`: a connector name is required");
}

// Kafka Connect's REST request timeout, for a forwarded call without an earlier deadline.
constexpr absl::Duration kForwardTimeout = absl::Seconds(90);

}  // namespace

template <typename Request, typename Reply>
grpc::Status AdminService::Fail(const absl::Status& status, grpc::ServerContext* context,
                                const Request& request, Reply* reply,
                                grpc::Status (pb::Admin::Stub::*method)(grpc::ClientContext*,
                                                                        const Request&,
                                                                        Reply*)) const {
  std::optional<herder::WorkerAddress> target = herder::RequestTargetOf(status);
  if (!target || peer_credentials_ == nullptr) return ToGrpc(status);
  const auto& metadata = context->client_metadata();
  auto hop = metadata.find(kForwardMetadataKey);
  const bool forwarded = hop != metadata.end();
  if (forwarded && hop->second != "true") {
    // The target moved again while the request was on its way: Kafka Connect's 409.
    return grpc::Status(grpc::StatusCode::ABORTED,
                        "Cannot complete request because of a conflicting operation (e.g. "
                        "worker rebalance)");
  }
  if (target->admin.empty()) {
    return grpc::Status(grpc::StatusCode::ABORTED,
                        absl::StrCat(status.message(), ", which published no admin listener to "
                                     "forward to; send it there or retry"));
  }
  std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(target->admin, peer_credentials_);
  std::unique_ptr<pb::Admin::Stub> stub = pb::Admin::NewStub(channel);
  grpc::ClientContext call;
  const auto bound = std::chrono::system_clock::now() +
                     absl::ToChronoMicroseconds(kForwardTimeout);
  call.set_deadline(std::min(context->deadline(), bound));
  for (auto [it, end] = metadata.equal_range("authorization"); it != end; ++it) {
    call.AddMetadata("authorization", std::string(it->second.data(), it->second.size()));
  }
  call.AddMetadata(kForwardMetadataKey, forwarded ? "false" : "true");
  grpc::Status answer = (stub.get()->*method)(&call, request, reply);
  if (answer.error_code() == grpc::StatusCode::UNAVAILABLE &&
      channel->GetState(/*try_to_connect=*/false) == GRPC_CHANNEL_TRANSIENT_FAILURE) {
    // Nothing listens there: the worker left (a leader change under way, or the connector
    // moving), which this worker learns with the next assignment. Retry, as during a rebalance.
    return grpc::Status(grpc::StatusCode::ABORTED,
                        absl::StrCat("worker ", target->id, " (", target->admin,
                                     ") cannot be reached: a rebalance is under way; retry in a "
                                     "moment"));
  }
  return answer;
}

template <typename Request>
grpc::Status AdminService::StatusReply(
    const absl::StatusOr<herder::ConnectorStatusInfo>& status, grpc::ServerContext* context,
    const Request& request, pb::ConnectorStatus* reply,
    grpc::Status (pb::Admin::Stub::*method)(grpc::ClientContext*, const Request&,
                                            pb::ConnectorStatus*)) const {
  if (!status.ok()) return Fail(status.status(), context, request, reply, method);
  ToProto(*status, reply);
  return grpc::Status::OK;
}

grpc::Status AdminService::Admit(const grpc::ServerContext& context) const {
  if (grpc::Status s = CheckBearerToken(context, token_); !s.ok()) return s;
  if (!serving_.load(std::memory_order_acquire)) {
    // The CLI tells this answer from a refusal by "the worker is starting" (runtime/cli/client.cc).
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the worker is starting (reaching the Kafka cluster, restoring its "
                        "connectors); retry in a moment");
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::GetWorkerInfo(grpc::ServerContext* context, const pb::GetWorkerInfoRequest*,
                                         pb::WorkerInfo* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  reply->set_version(SLUICE_VERSION);
  reply->set_abi_major(SLUICE_ABI_MAJOR);
  reply->set_abi_minor(SLUICE_ABI_MINOR);
  reply->set_worker_id(herder_->worker_id());
  return grpc::Status::OK;
}

grpc::Status AdminService::CreateConnector(grpc::ServerContext* context,
                                           const pb::CreateConnectorRequest* request,
                                           pb::Connector* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  if (grpc::Status s = NeedName(request->name()); !s.ok()) return s;
  absl::StatusOr<herder::ConnectorInfo> info = herder_->Create(
      request->name(), FromProto(request->config()), FromProto(request->initial_state()));
  if (!info.ok()) {
    return Fail(info.status(), context, *request, reply, &pb::Admin::Stub::CreateConnector);
  }
  ToProto(*info, reply);
  return grpc::Status::OK;
}

grpc::Status AdminService::GetConnector(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                        pb::Connector* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  absl::StatusOr<herder::ConnectorInfo> info = herder_->Get(request->name());
  if (!info.ok()) return ToGrpc(info.status());
  ToProto(*info, reply);
  return grpc::Status::OK;
}

grpc::Status AdminService::ListConnectors(grpc::ServerContext* context, const pb::ListConnectorsRequest*,
                                          pb::ListConnectorsResponse* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  for (const herder::ConnectorInfo& info : herder_->List()) ToProto(info, reply->add_connectors());
  return grpc::Status::OK;
}

grpc::Status AdminService::PutConnectorConfig(grpc::ServerContext* context,
                                              const pb::PutConnectorConfigRequest* request,
                                              pb::PutConnectorConfigResponse* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  if (grpc::Status s = NeedName(request->name()); !s.ok()) return s;
  bool created = false;
  absl::StatusOr<herder::ConnectorInfo> info =
      herder_->PutConfig(request->name(), FromProto(request->config()), &created);
  if (!info.ok()) {
    return Fail(info.status(), context, *request, reply, &pb::Admin::Stub::PutConnectorConfig);
  }
  ToProto(*info, reply->mutable_connector());
  reply->set_created(created);
  return grpc::Status::OK;
}

grpc::Status AdminService::PatchConnectorConfig(grpc::ServerContext* context,
                                                const pb::PatchConnectorConfigRequest* request,
                                                pb::Connector* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  if (grpc::Status s = NeedName(request->name()); !s.ok()) return s;
  std::vector<std::string> remove(request->remove().begin(), request->remove().end());
  absl::StatusOr<herder::ConnectorInfo> info =
      herder_->PatchConfig(request->name(), FromProto(request->set()), remove);
  if (!info.ok()) {
    return Fail(info.status(), context, *request, reply, &pb::Admin::Stub::PatchConnectorConfig);
  }
  ToProto(*info, reply);
  return grpc::Status::OK;
}

grpc::Status AdminService::DeleteConnector(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                           pb::DeleteConnectorResponse* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  if (absl::Status s = herder_->Delete(request->name()); !s.ok()) {
    return Fail(s, context, *request, reply, &pb::Admin::Stub::DeleteConnector);
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::PauseConnector(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                          pb::ConnectorStatus* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  return StatusReply(herder_->Pause(request->name()), context, *request, reply,
                     &pb::Admin::Stub::PauseConnector);
}

grpc::Status AdminService::ResumeConnector(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                           pb::ConnectorStatus* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  return StatusReply(herder_->Resume(request->name()), context, *request, reply,
                     &pb::Admin::Stub::ResumeConnector);
}

grpc::Status AdminService::StopConnector(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                         pb::ConnectorStatus* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  return StatusReply(herder_->Stop(request->name()), context, *request, reply,
                     &pb::Admin::Stub::StopConnector);
}

grpc::Status AdminService::RestartConnector(grpc::ServerContext* context,
                                            const pb::RestartConnectorRequest* request,
                                            pb::ConnectorStatus* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  return StatusReply(
      herder_->Restart(request->name(), request->include_tasks(), request->only_failed()),
      context, *request, reply, &pb::Admin::Stub::RestartConnector);
}

grpc::Status AdminService::RestartTask(grpc::ServerContext* context, const pb::TaskRef* request,
                                       pb::ConnectorStatus* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  return StatusReply(herder_->RestartTask(request->connector(), request->task()), context,
                     *request, reply, &pb::Admin::Stub::RestartTask);
}

grpc::Status AdminService::GetConnectorStatus(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                              pb::ConnectorStatus* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  return StatusReply(herder_->Status(request->name()), context, *request, reply,
                     &pb::Admin::Stub::GetConnectorStatus);
}

grpc::Status AdminService::GetTaskConfigs(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                          pb::TaskConfigs* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  absl::StatusOr<std::vector<ConfigMap>> tasks = herder_->TaskConfigs(request->name());
  if (!tasks.ok()) return ToGrpc(tasks.status());
  for (size_t i = 0; i < tasks->size(); ++i) {
    pb::TaskConfig* task = reply->add_tasks();
    task->set_id(static_cast<int>(i));
    for (const auto& [k, v] : (*tasks)[i]) (*task->mutable_config())[k] = v;
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::PutTaskConfigs(grpc::ServerContext* context,
                                          const pb::PutTaskConfigsRequest* request,
                                          pb::PutTaskConfigsResponse*) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  if (grpc::Status s = NeedName(request->name()); !s.ok()) return s;
  std::vector<ConfigMap> tasks;
  for (const pb::OrderedConfig& task : request->tasks()) {
    ConfigMap& config = tasks.emplace_back();
    for (const pb::ConfigEntry& entry : task.entries()) config.emplace_back(entry.key(), entry.value());
  }
  // Never forwarded (Fail): the sender asks the leader it knows, and retries. Past the sender's
  // deadline the herder writes nothing (the sender sends them again).
  return ToGrpc(herder_->PutTaskConfigs(request->name(), request->from_worker(), tasks,
                                        absl::FromChrono(context->deadline())));
}

grpc::Status AdminService::GetCluster(grpc::ServerContext* context, const pb::GetClusterRequest*,
                                      pb::ClusterInfo* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  const herder::ClusterSummary cluster = herder_->Cluster();
  reply->set_enabled(cluster.enabled);
  reply->set_worker_id(cluster.worker_id);
  reply->set_group_id(cluster.group_id);
  reply->set_generation(cluster.generation);
  reply->set_epoch(cluster.epoch);
  reply->set_leader(cluster.leader);
  reply->set_lease_valid(cluster.lease_valid);
  for (const auto& [worker, connectors] : cluster.members) {
    pb::ClusterMember* member = reply->add_members();
    member->set_worker_id(worker);
    member->set_leader(worker == cluster.leader);
    for (const std::string& c : connectors) member->add_connectors(c);
    if (auto tasks = cluster.member_tasks.find(worker); tasks != cluster.member_tasks.end()) {
      for (const std::string& t : tasks->second) member->add_tasks(t);
    }
  }
  for (const std::string& c : cluster.unassigned) reply->add_unassigned(c);
  for (const std::string& t : cluster.unassigned_tasks) reply->add_unassigned_tasks(t);
  return grpc::Status::OK;
}

grpc::Status AdminService::ListPlugins(grpc::ServerContext* context, const pb::ListPluginsRequest*,
                                       pb::ListPluginsResponse* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  for (const auto& plugin : herder_->Plugins()) {
    pb::Plugin* p = reply->add_plugins();
    p->set_name(plugin->name());
    p->set_version(plugin->version());
    p->set_abi_version(
        absl::StrCat(plugin->descriptor().abi_major, ".", plugin->descriptor().abi_minor));
    p->set_file(plugin->path());
    p->set_description(plugin->description());
    for (const std::string& alias : plugin->aliases()) p->add_aliases(alias);
    for (const plugin::ConfigDef& def : plugin->config_defs()) {
      pb::ConfigKey* key = p->add_config();
      key->set_name(def.name);
      key->set_type(std::string(herder::ConfigTypeName(def.type)));
      if (def.default_value) key->set_default_value(*def.default_value);
      key->set_required(def.required);
      key->set_secret(def.secret || def.type == plugin::ConfigType::kPassword);
      key->set_documentation(def.doc);
    }
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::ValidateConfig(grpc::ServerContext* context,
                                          const pb::ValidateConfigRequest* request,
                                          pb::ValidateConfigResponse* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  plugin::ConfigValidation result = herder_->Validate(FromProto(request->config()));
  reply->set_plugin(result.plugin);
  reply->set_error_count(result.error_count);
  reply->set_warning_count(result.warning_count);
  for (const plugin::KeyValidation& key : result.keys) {
    pb::ConfigValueResult* v = reply->add_values();
    v->set_name(key.name);
    v->set_value(key.value);
    for (const std::string& e : key.errors) v->add_errors(e);
    for (const std::string& w : key.warnings) v->add_warnings(w);
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::GetOffsets(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                      pb::ConnectorOffsets* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  absl::StatusOr<std::vector<herder::PartitionOffset>> offsets = herder_->Offsets(request->name());
  if (!offsets.ok()) return ToGrpc(offsets.status());
  AddOffsets(*offsets, reply->mutable_offsets());
  return grpc::Status::OK;
}

grpc::Status AdminService::AlterOffsets(grpc::ServerContext* context,
                                        const pb::AlterOffsetsRequest* request,
                                        pb::AlterOffsetsResponse* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  if (grpc::Status s = NeedName(request->name()); !s.ok()) return s;
  if (request->offsets().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "`offsets`: give at least one partition");
  }
  std::vector<herder::PartitionOffset> offsets;
  for (const pb::PartitionOffset& po : request->offsets()) {
    absl::StatusOr<offsets::SourcePartition> partition = ParsePartitionJson(po.partition_json());
    if (!partition.ok()) return ToGrpc(partition.status());
    herder::PartitionOffset parsed{*std::move(partition), std::nullopt};
    if (!po.offset_json().empty()) {
      absl::StatusOr<offsets::SourceOffset> offset = ParseOffsetJson(po.offset_json());
      if (!offset.ok()) return ToGrpc(offset.status());
      parsed.offset = *std::move(offset);
    }
    offsets.push_back(std::move(parsed));
  }
  if (absl::Status s = herder_->AlterOffsets(request->name(), offsets); !s.ok()) {
    return Fail(s, context, *request, reply, &pb::Admin::Stub::AlterOffsets);
  }
  reply->set_message(absl::StrCat("offsets of connector ", request->name(),
                                  " altered; they apply when it is resumed"));
  return grpc::Status::OK;
}

grpc::Status AdminService::ResetOffsets(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                        pb::AlterOffsetsResponse* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  if (absl::Status s = herder_->ResetOffsets(request->name()); !s.ok()) {
    return Fail(s, context, *request, reply, &pb::Admin::Stub::ResetOffsets);
  }
  reply->set_message(absl::StrCat("offsets of connector ", request->name(),
                                  " reset; it starts over when it is resumed"));
  return grpc::Status::OK;
}

grpc::Status AdminService::GetConnectorTopics(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                              pb::ConnectorTopics* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  absl::StatusOr<std::vector<std::string>> topics = herder_->Topics(request->name());
  if (!topics.ok()) return ToGrpc(topics.status());
  for (const std::string& t : *topics) reply->add_topics(t);
  return grpc::Status::OK;
}

grpc::Status AdminService::ResetConnectorTopics(grpc::ServerContext* context,
                                                const pb::ConnectorRef* request,
                                                pb::ConnectorTopics* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  if (absl::Status s = herder_->ResetTopics(request->name()); !s.ok()) return ToGrpc(s);
  return GetConnectorTopics(context, request, reply);
}

namespace {

void ToProto(const std::string& name, const logging::LoggerLevel& level, pb::Logger* out) {
  out->set_name(name);
  out->set_level(level.level);
  if (level.last_modified_ms) out->set_last_modified_ms(*level.last_modified_ms);
}

}  // namespace

grpc::Status AdminService::ListLoggers(grpc::ServerContext* context, const pb::ListLoggersRequest*,
                                       pb::ListLoggersResponse* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  for (const auto& [name, level] : herder_->LoggerLevels()) {
    ToProto(name, level, reply->add_loggers());
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::GetLogger(grpc::ServerContext* context, const pb::LoggerRef* request,
                                     pb::Logger* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  absl::StatusOr<logging::LoggerLevel> level = herder_->LoggerLevel(request->name());
  if (!level.ok()) return ToGrpc(level.status());
  ToProto(request->name(), *level, reply);
  return grpc::Status::OK;
}

grpc::Status AdminService::SetLoggerLevel(grpc::ServerContext* context,
                                          const pb::SetLoggerLevelRequest* request,
                                          pb::SetLoggerLevelResponse* reply) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  absl::StatusOr<std::vector<std::string>> set =
      herder_->SetLoggerLevel(request->name(), request->level());
  if (!set.ok()) return ToGrpc(set.status());
  for (const std::string& name : *set) reply->add_modified(name);
  return grpc::Status::OK;
}

grpc::Status AdminService::Watch(grpc::ServerContext* context, const pb::WatchRequest* request,
                                 grpc::ServerWriter<pb::WatchEvent>* writer) {
  if (grpc::Status s = Admit(*context); !s.ok()) return s;
  const std::set<std::string> only(request->connectors().begin(), request->connectors().end());
  std::shared_ptr<herder::WatchSubscription> sub = herder_->Watch();
  while (!context->IsCancelled() && !shutting_down_.load()) {
    std::optional<herder::WatchEvent> e = sub->Pop(absl::Milliseconds(200));
    if (!e) continue;
    if (!only.empty() && !only.contains(e->connector)) continue;
    pb::WatchEvent out;
    switch (e->kind) {
      case herder::WatchEvent::Kind::kConnectorStatus: {
        pb::ConnectorStatus* s = out.mutable_connector_status();
        s->set_name(e->connector);
        s->set_state(ToProto(e->state));
        s->set_state_name(std::string(herder::StateName(e->state)));
        s->set_worker_id(e->worker_id);
        s->set_trace(e->trace);
        s->set_type("source");
        break;
      }
      case herder::WatchEvent::Kind::kTaskStatus: {
        pb::TaskStatusChange* t = out.mutable_task_status();
        t->set_connector(e->connector);
        t->mutable_status()->set_id(e->task);
        t->mutable_status()->set_state(ToProto(e->state));
        t->mutable_status()->set_state_name(std::string(herder::StateName(e->state)));
        t->mutable_status()->set_worker_id(e->worker_id);
        t->mutable_status()->set_trace(e->trace);
        break;
      }
      case herder::WatchEvent::Kind::kTaskMetrics: {
        pb::TaskMetrics* m = out.mutable_task_metrics();
        m->set_connector(e->connector);
        m->set_task(e->task);
        m->set_records_sent(e->records_sent);
        m->set_records_per_second(e->records_per_second);
        m->set_in_flight_bytes(e->in_flight_bytes);
        if (e->progress) ToProto(*e->progress, m->mutable_progress());
        break;
      }
      case herder::WatchEvent::Kind::kConnectorProgress: {
        pb::ConnectorProgress* p = out.mutable_connector_progress();
        p->set_connector(e->connector);
        AddOffsets(e->offsets, p->mutable_offsets());
        p->set_snapshot_running(e->snapshot_running);
        break;
      }
      case herder::WatchEvent::Kind::kConnectorDeleted:
        out.set_connector_deleted(e->connector);
        break;
    }
    if (!writer->Write(out)) break;  // the client went away
  }
  return grpc::Status::OK;
}

}  // namespace sluice::admin
