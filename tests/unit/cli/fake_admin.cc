#include "tests/unit/cli/fake_admin.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace sluice::cli::testing {
namespace {

pb::PartitionOffset Offset(const std::string& partition, const std::string& offset) {
  pb::PartitionOffset po;
  po.set_partition_json(partition);
  po.set_offset_json(offset);
  return po;
}

pb::TaskStatus Task(int id, pb::State state, const std::string& name, const std::string& trace) {
  pb::TaskStatus t;
  t.set_id(id);
  t.set_state(state);
  t.set_state_name(name);
  t.set_worker_id("127.0.0.1:8083");
  t.set_trace(trace);
  return t;
}

pb::ConnectorStatus StatusOf(const std::string& name) {
  pb::ConnectorStatus s;
  s.set_name(name);
  s.set_worker_id("127.0.0.1:8083");
  s.set_type("source");
  if (name == "orders") {
    s.set_state(pb::STATE_RUNNING);
    s.set_state_name("RUNNING");
    pb::TaskStatus* running = s.add_tasks();
    *running = Task(0, pb::STATE_RUNNING, "RUNNING", "");
    pb::TaskProgress* p = running->mutable_progress();
    p->set_phase(pb::TASK_PHASE_STREAMING);
    p->set_phase_name("streaming");
    p->set_lag_ms(35);
    p->set_position("mariadb-bin.000003:1234");
    *s.add_tasks() = Task(1, pb::STATE_FAILED, "FAILED", "lost the server\n  at reconnect");
    *s.add_offsets() =
        Offset(R"({"server":"shop"})", R"({"file":"mariadb-bin.000003","pos":1234})");
  } else {
    s.set_state(pb::STATE_PAUSED);
    s.set_state_name("PAUSED");
    *s.add_tasks() = Task(0, pb::STATE_PAUSED, "PAUSED", "");
    *s.add_offsets() = Offset(R"({"server":"audit"})", R"({"snapshot":true})");
    s.set_snapshot_running(true);
    s.add_warnings("`tasks.max` is 4 but mysql runs 1 task(s) for this config; the others are "
                   "not started");
  }
  return s;
}

pb::Connector ConnectorOf(const std::string& name) {
  pb::Connector c;
  c.set_name(name);
  auto& config = *c.mutable_config();
  if (name == "orders") {
    config["connector.class"] = "mysql";
    config["tasks.max"] = "2";
    config["database.password"] = "********";
    config["topic.prefix"] = "shop";
    c.set_target_state(pb::TARGET_STATE_STARTED);
    c.set_task_count(2);
  } else {
    config["connector.class"] = "generator";
    config["topic"] = "audit.data";
    c.set_target_state(pb::TARGET_STATE_PAUSED);
    c.set_task_count(1);
  }
  *c.mutable_status() = StatusOf(name);
  return c;
}

bool Known(const std::string& name) { return name == "orders" || name == "audit"; }

grpc::Status NotFound(const std::string& name) {
  return grpc::Status(grpc::StatusCode::NOT_FOUND,
                      absl::StrCat("connector `", name, "` not found"));
}

}  // namespace

void FakeAdmin::FailWith(std::optional<grpc::Status> status) {
  std::lock_guard lock(mu_);
  fail_with_ = std::move(status);
}

std::string FakeAdmin::last_request() {
  std::lock_guard lock(mu_);
  return last_request_;
}

std::string FakeAdmin::last_method() {
  std::lock_guard lock(mu_);
  return last_method_;
}

std::string FakeAdmin::last_authorization() {
  std::lock_guard lock(mu_);
  return last_authorization_;
}

std::optional<grpc::Status> FakeAdmin::Received(const grpc::ServerContext& context,
                                                const char* method,
                                                const google::protobuf::Message& request) {
  std::lock_guard lock(mu_);
  const auto authorization = context.client_metadata().find("authorization");
  last_authorization_ = authorization == context.client_metadata().end()
                            ? ""
                            : std::string(authorization->second.data(),
                                          authorization->second.size());
  last_method_ = method;
  last_request_ = request.ShortDebugString();
  return fail_with_;
}

grpc::Status FakeAdmin::CreateConnector(grpc::ServerContext* context,
                                        const pb::CreateConnectorRequest* request,
                                        pb::Connector* reply) {
  if (auto failure = Received(*context, "CreateConnector", *request)) return *failure;
  if (Known(request->name())) {
    return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                        absl::StrCat("connector `", request->name(), "` already exists"));
  }
  reply->set_name(request->name());
  *reply->mutable_config() = request->config();
  reply->set_target_state(request->initial_state());
  reply->set_task_count(1);
  const char* state = request->initial_state() == pb::TARGET_STATE_PAUSED    ? "PAUSED"
                      : request->initial_state() == pb::TARGET_STATE_STOPPED ? "STOPPED"
                                                                             : "RUNNING";
  reply->mutable_status()->set_name(request->name());
  reply->mutable_status()->set_state_name(state);
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::GetConnector(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                     pb::Connector* reply) {
  if (auto failure = Received(*context, "GetConnector", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  *reply = ConnectorOf(request->name());
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::ListConnectors(grpc::ServerContext* context,
                                       const pb::ListConnectorsRequest* request,
                                       pb::ListConnectorsResponse* reply) {
  if (auto failure = Received(*context, "ListConnectors", *request)) return *failure;
  *reply->add_connectors() = ConnectorOf("audit");
  *reply->add_connectors() = ConnectorOf("orders");
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::PutConnectorConfig(grpc::ServerContext* context,
                                           const pb::PutConnectorConfigRequest* request,
                                           pb::PutConnectorConfigResponse* reply) {
  if (auto failure = Received(*context, "PutConnectorConfig", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  *reply->mutable_connector() = ConnectorOf(request->name());
  *reply->mutable_connector()->mutable_config() = request->config();
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::PatchConnectorConfig(grpc::ServerContext* context,
                                             const pb::PatchConnectorConfigRequest* request,
                                             pb::Connector* reply) {
  if (auto failure = Received(*context, "PatchConnectorConfig", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  *reply = ConnectorOf(request->name());
  for (const auto& [k, v] : request->set()) (*reply->mutable_config())[k] = v;
  for (const std::string& k : request->remove()) reply->mutable_config()->erase(k);
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::DeleteConnector(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                        pb::DeleteConnectorResponse*) {
  if (auto failure = Received(*context, "DeleteConnector", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  return grpc::Status::OK;
}

// Pause, resume, stop and both restarts answer with the connector's status in its new state.
#define SLUICE_FAKE_STATE_CHANGE(Method, Request, name_field, state, state_name)   \
  grpc::Status FakeAdmin::Method(grpc::ServerContext* context, const pb::Request* request, \
                                 pb::ConnectorStatus* reply) {                     \
    if (auto failure = Received(*context, #Method, *request)) return *failure;               \
    if (!Known(request->name_field())) return NotFound(request->name_field());     \
    *reply = StatusOf(request->name_field());                                      \
    reply->set_state(state);                                                       \
    reply->set_state_name(state_name);                                             \
    return grpc::Status::OK;                                                       \
  }
SLUICE_FAKE_STATE_CHANGE(PauseConnector, ConnectorRef, name, pb::STATE_PAUSED, "PAUSED")
SLUICE_FAKE_STATE_CHANGE(ResumeConnector, ConnectorRef, name, pb::STATE_RUNNING, "RUNNING")
SLUICE_FAKE_STATE_CHANGE(StopConnector, ConnectorRef, name, pb::STATE_STOPPED, "STOPPED")
#undef SLUICE_FAKE_STATE_CHANGE

// Restarts also say what they restarted: with only_failed, `orders`'s task 1 (as if it had
// failed); without, the connector and both tasks.
grpc::Status FakeAdmin::RestartConnector(grpc::ServerContext* context,
                                         const pb::RestartConnectorRequest* request,
                                         pb::ConnectorStatus* reply) {
  if (auto failure = Received(*context, "RestartConnector", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  *reply = StatusOf(request->name());
  if (request->only_failed()) {
    reply->mutable_restarted()->add_tasks(1);
  } else {
    reply->mutable_restarted()->set_connector(true);
    for (const pb::TaskStatus& task : reply->tasks()) {
      reply->mutable_restarted()->add_tasks(task.id());
    }
  }
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::RestartTask(grpc::ServerContext* context, const pb::TaskRef* request,
                                    pb::ConnectorStatus* reply) {
  if (auto failure = Received(*context, "RestartTask", *request)) return *failure;
  if (!Known(request->connector())) return NotFound(request->connector());
  *reply = StatusOf(request->connector());
  reply->mutable_restarted()->add_tasks(request->task());
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::GetConnectorStatus(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                           pb::ConnectorStatus* reply) {
  if (auto failure = Received(*context, "GetConnectorStatus", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  *reply = StatusOf(request->name());
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::ListPlugins(grpc::ServerContext* context, const pb::ListPluginsRequest* request,
                                    pb::ListPluginsResponse* reply) {
  if (auto failure = Received(*context, "ListPlugins", *request)) return *failure;
  pb::Plugin* p = reply->add_plugins();
  p->set_name("generator");
  p->set_version("1.0.0");
  p->set_abi_version("1.3");
  p->set_file("/plugins/libsluice_generator.so");
  p->add_aliases("gen");
  p->add_aliases("Generator");
  pb::ConfigKey* key = p->add_config();
  key->set_name("topic");
  key->set_type("STRING");
  key->set_required(true);
  return grpc::Status::OK;
}

// A value "x" is the error: every other key is fine.
grpc::Status FakeAdmin::ValidateConfig(grpc::ServerContext* context,
                                       const pb::ValidateConfigRequest* request,
                                       pb::ValidateConfigResponse* reply) {
  if (auto failure = Received(*context, "ValidateConfig", *request)) return *failure;
  std::map<std::string, std::string> sorted(request->config().begin(), request->config().end());
  for (const auto& [k, v] : sorted) {
    pb::ConfigValueResult* r = reply->add_values();
    r->set_name(k);
    r->set_value(v);
    if (v == "x") {
      r->add_errors("not a number");
      r->add_errors("must be at least 1");
      reply->set_error_count(reply->error_count() + 1);
    }
  }
  if (auto c = sorted.find("connector.class"); c != sorted.end()) reply->set_plugin(c->second);
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::GetOffsets(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                   pb::ConnectorOffsets* reply) {
  if (auto failure = Received(*context, "GetOffsets", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  *reply->add_offsets() =
      Offset(R"({"server":"shop"})", R"({"file":"mariadb-bin.000003","pos":1234})");
  *reply->add_offsets() = Offset(R"({"server":"gone"})", "");
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::AlterOffsets(grpc::ServerContext* context, const pb::AlterOffsetsRequest* request,
                                     pb::AlterOffsetsResponse* reply) {
  if (auto failure = Received(*context, "AlterOffsets", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  reply->set_message(absl::StrCat("offsets of `", request->name(),
                                  "` changed: ", request->offsets_size(), " partition(s)"));
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::ResetOffsets(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                     pb::AlterOffsetsResponse* reply) {
  if (auto failure = Received(*context, "ResetOffsets", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  if (request->name() == "orders") {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "connector `orders` is RUNNING; stop it first");
  }
  reply->set_message(absl::StrCat("offsets of `", request->name(), "` reset"));
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::GetConnectorTopics(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                           pb::ConnectorTopics* reply) {
  if (auto failure = Received(*context, "GetConnectorTopics", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  reply->add_topics("shop");
  reply->add_topics("shop.inventory.customers");
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::GetTaskConfigs(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                       pb::TaskConfigs* reply) {
  if (auto failure = Received(*context, "GetTaskConfigs", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  if (request->name() != "orders") return grpc::Status::OK;
  for (int i = 0; i < 2; ++i) {
    pb::TaskConfig* task = reply->add_tasks();
    task->set_id(i);
    (*task->mutable_config())["task.id"] = absl::StrCat(i);
    (*task->mutable_config())["topic.prefix"] = "shop";
  }
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::ResetConnectorTopics(grpc::ServerContext* context, const pb::ConnectorRef* request,
                                             pb::ConnectorTopics*) {
  if (auto failure = Received(*context, "ResetConnectorTopics", *request)) return *failure;
  if (!Known(request->name())) return NotFound(request->name());
  return grpc::Status::OK;
}

grpc::Status FakeAdmin::Watch(grpc::ServerContext* context, const pb::WatchRequest* request,
                              grpc::ServerWriter<pb::WatchEvent>* writer) {
  if (auto failure = Received(*context, "Watch", *request)) return *failure;
  pb::WatchEvent event;
  pb::ConnectorStatus* s = event.mutable_connector_status();
  s->set_name("orders");
  s->set_state_name("FAILED");
  s->set_trace("lost the server\n  at reconnect");
  writer->Write(event);
  event.Clear();
  pb::TaskStatusChange* t = event.mutable_task_status();
  t->set_connector("orders");
  *t->mutable_status() = Task(1, pb::STATE_RUNNING, "RUNNING", "");
  writer->Write(event);
  event.Clear();
  pb::TaskMetrics* m = event.mutable_task_metrics();
  m->set_connector("orders");
  m->set_task(0);
  m->set_records_sent(1200);
  m->set_records_per_second(40.25);
  m->set_in_flight_bytes(4096);
  m->mutable_progress()->set_phase(pb::TASK_PHASE_IDLE);
  m->mutable_progress()->set_phase_name("idle");
  writer->Write(event);
  writer->Write(event);  // the same progress again: printed once
  event.Clear();
  pb::ConnectorProgress* p = event.mutable_connector_progress();
  p->set_connector("audit");
  p->set_snapshot_running(true);
  *p->add_offsets() = Offset(R"({"server":"audit"})", R"({"snapshot":true})");
  writer->Write(event);
  event.Clear();
  event.set_connector_deleted("audit");
  writer->Write(event);
  return grpc::Status::OK;
}

FakeWorker::FakeWorker() {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&admin_);
  server_ = builder.BuildAndStart();
  address_ = absl::StrCat("127.0.0.1:", port);
}

FakeWorker::~FakeWorker() { server_->Shutdown(); }

}  // namespace sluice::cli::testing
