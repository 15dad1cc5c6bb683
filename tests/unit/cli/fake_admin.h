// An in-process admin API with canned answers, for testing the client commands without a
// worker: every RPC answers from fixed data (or with the error a test asks for) and keeps the
// last request it got, so a test can check both what the CLI sent and how it printed the answer.
#ifndef SLUICE_TESTS_UNIT_CLI_FAKE_ADMIN_H_
#define SLUICE_TESTS_UNIT_CLI_FAKE_ADMIN_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "grpcpp/server.h"
#include "sluice/admin/v1/admin.grpc.pb.h"

namespace sluice::cli::testing {

namespace pb = ::sluice::admin::v1;

// The canned world: connector `orders` (RUNNING, two tasks, committed offsets, a progress
// report) and `audit` (PAUSED); plugin `generator`. Names it does not know are NOT_FOUND.
class FakeAdmin final : public pb::Admin::Service {
 public:
  // Answers every call with `status` instead (until cleared): how a test reaches each exit code.
  void FailWith(std::optional<grpc::Status> status);
  // The last request of any kind, as text format ("name: \"orders\" include_tasks: true").
  std::string last_request();
  std::string last_method();
  // The last call's `authorization` metadata; "" when it carried none.
  std::string last_authorization();

  grpc::Status CreateConnector(grpc::ServerContext*, const pb::CreateConnectorRequest* request,
                               pb::Connector* reply) override;
  grpc::Status GetConnector(grpc::ServerContext*, const pb::ConnectorRef* request,
                            pb::Connector* reply) override;
  grpc::Status ListConnectors(grpc::ServerContext*, const pb::ListConnectorsRequest* request,
                              pb::ListConnectorsResponse* reply) override;
  grpc::Status PutConnectorConfig(grpc::ServerContext*,
                                  const pb::PutConnectorConfigRequest* request,
                                  pb::PutConnectorConfigResponse* reply) override;
  grpc::Status PatchConnectorConfig(grpc::ServerContext*,
                                    const pb::PatchConnectorConfigRequest* request,
                                    pb::Connector* reply) override;
  grpc::Status DeleteConnector(grpc::ServerContext*, const pb::ConnectorRef* request,
                               pb::DeleteConnectorResponse* reply) override;
  grpc::Status PauseConnector(grpc::ServerContext*, const pb::ConnectorRef* request,
                              pb::ConnectorStatus* reply) override;
  grpc::Status ResumeConnector(grpc::ServerContext*, const pb::ConnectorRef* request,
                               pb::ConnectorStatus* reply) override;
  grpc::Status StopConnector(grpc::ServerContext*, const pb::ConnectorRef* request,
                             pb::ConnectorStatus* reply) override;
  grpc::Status RestartConnector(grpc::ServerContext*, const pb::RestartConnectorRequest* request,
                                pb::ConnectorStatus* reply) override;
  grpc::Status RestartTask(grpc::ServerContext*, const pb::TaskRef* request,
                           pb::ConnectorStatus* reply) override;
  grpc::Status GetConnectorStatus(grpc::ServerContext*, const pb::ConnectorRef* request,
                                  pb::ConnectorStatus* reply) override;
  // Connector `orders`'s two tasks: {"task.id": "<i>", "topic.prefix": "shop"}.
  grpc::Status GetTaskConfigs(grpc::ServerContext*, const pb::ConnectorRef* request,
                              pb::TaskConfigs* reply) override;
  grpc::Status ListPlugins(grpc::ServerContext*, const pb::ListPluginsRequest* request,
                           pb::ListPluginsResponse* reply) override;
  grpc::Status ValidateConfig(grpc::ServerContext*, const pb::ValidateConfigRequest* request,
                              pb::ValidateConfigResponse* reply) override;
  grpc::Status GetOffsets(grpc::ServerContext*, const pb::ConnectorRef* request,
                          pb::ConnectorOffsets* reply) override;
  grpc::Status AlterOffsets(grpc::ServerContext*, const pb::AlterOffsetsRequest* request,
                            pb::AlterOffsetsResponse* reply) override;
  grpc::Status ResetOffsets(grpc::ServerContext*, const pb::ConnectorRef* request,
                            pb::AlterOffsetsResponse* reply) override;
  grpc::Status GetConnectorTopics(grpc::ServerContext*, const pb::ConnectorRef* request,
                                  pb::ConnectorTopics* reply) override;
  grpc::Status ResetConnectorTopics(grpc::ServerContext*, const pb::ConnectorRef* request,
                                    pb::ConnectorTopics* reply) override;
  // Four events (a status change, a task's change, metrics with progress, a deletion), then ends.
  grpc::Status Watch(grpc::ServerContext*, const pb::WatchRequest* request,
                     grpc::ServerWriter<pb::WatchEvent>* writer) override;

 private:
  // Records the request; the failure to answer with, if a test set one.
  std::optional<grpc::Status> Received(const grpc::ServerContext& context, const char* method,
                                       const google::protobuf::Message& request);

  std::mutex mu_;
  std::optional<grpc::Status> fail_with_;
  std::string last_request_, last_method_, last_authorization_;
};

// The fake, serving plaintext on a loopback port the kernel picked, until destroyed.
class FakeWorker {
 public:
  FakeWorker();
  ~FakeWorker();
  std::string address() const { return address_; }
  FakeAdmin& admin() { return admin_; }

 private:
  FakeAdmin admin_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace sluice::cli::testing

#endif  // SLUICE_TESTS_UNIT_CLI_FAKE_ADMIN_H_
