// The gRPC admin service: translates each RPC into a herder call and the herder's answer back.
// absl::Status codes map one to one onto gRPC codes, so errors pass through unchanged.
//
// Threads: gRPC's; every herder call is safe from any thread.
#ifndef SLUICE_RUNTIME_ADMIN_ADMIN_SERVICE_H_
#define SLUICE_RUNTIME_ADMIN_ADMIN_SERVICE_H_

#include <atomic>

#include "runtime/herder/herder.h"
#include "sluice/admin/v1/admin.grpc.pb.h"

namespace sluice::admin {

namespace pb = ::sluice::admin::v1;

class AdminService final : public pb::Admin::Service {
 public:
  explicit AdminService(herder::Herder* herder) : herder_(herder) {}

  // Ends open Watch streams (the server is shutting down).
  void Shutdown() { shutting_down_.store(true); }

  grpc::Status GetWorkerInfo(grpc::ServerContext*, const pb::GetWorkerInfoRequest*,
                             pb::WorkerInfo*) override;
  grpc::Status CreateConnector(grpc::ServerContext*, const pb::CreateConnectorRequest*,
                               pb::Connector*) override;
  grpc::Status GetConnector(grpc::ServerContext*, const pb::ConnectorRef*, pb::Connector*) override;
  grpc::Status ListConnectors(grpc::ServerContext*, const pb::ListConnectorsRequest*,
                              pb::ListConnectorsResponse*) override;
  grpc::Status PutConnectorConfig(grpc::ServerContext*, const pb::PutConnectorConfigRequest*,
                                  pb::PutConnectorConfigResponse*) override;
  grpc::Status PatchConnectorConfig(grpc::ServerContext*, const pb::PatchConnectorConfigRequest*,
                                    pb::Connector*) override;
  grpc::Status DeleteConnector(grpc::ServerContext*, const pb::ConnectorRef*,
                               pb::DeleteConnectorResponse*) override;
  grpc::Status PauseConnector(grpc::ServerContext*, const pb::ConnectorRef*,
                              pb::ConnectorStatus*) override;
  grpc::Status ResumeConnector(grpc::ServerContext*, const pb::ConnectorRef*,
                               pb::ConnectorStatus*) override;
  grpc::Status StopConnector(grpc::ServerContext*, const pb::ConnectorRef*,
                             pb::ConnectorStatus*) override;
  grpc::Status RestartConnector(grpc::ServerContext*, const pb::RestartConnectorRequest*,
                                pb::ConnectorStatus*) override;
  grpc::Status RestartTask(grpc::ServerContext*, const pb::TaskRef*, pb::ConnectorStatus*) override;
  grpc::Status GetConnectorStatus(grpc::ServerContext*, const pb::ConnectorRef*,
                                  pb::ConnectorStatus*) override;
  grpc::Status ListPlugins(grpc::ServerContext*, const pb::ListPluginsRequest*,
                           pb::ListPluginsResponse*) override;
  grpc::Status ValidateConfig(grpc::ServerContext*, const pb::ValidateConfigRequest*,
                              pb::ValidateConfigResponse*) override;
  grpc::Status GetOffsets(grpc::ServerContext*, const pb::ConnectorRef*,
                          pb::ConnectorOffsets*) override;
  grpc::Status AlterOffsets(grpc::ServerContext*, const pb::AlterOffsetsRequest*,
                            pb::AlterOffsetsResponse*) override;
  grpc::Status ResetOffsets(grpc::ServerContext*, const pb::ConnectorRef*,
                            pb::AlterOffsetsResponse*) override;
  grpc::Status GetConnectorTopics(grpc::ServerContext*, const pb::ConnectorRef*,
                                  pb::ConnectorTopics*) override;
  grpc::Status ResetConnectorTopics(grpc::ServerContext*, const pb::ConnectorRef*,
                                    pb::ConnectorTopics*) override;
  grpc::Status Watch(grpc::ServerContext*, const pb::WatchRequest*,
                     grpc::ServerWriter<pb::WatchEvent>*) override;

 private:
  herder::Herder* const herder_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace sluice::admin

#endif  // SLUICE_RUNTIME_ADMIN_ADMIN_SERVICE_H_
