// The gRPC admin service: translates each RPC into a herder call and the herder's answer back.
// absl::Status codes map one to one onto gRPC codes, so errors pass through unchanged.
// Every RPC is first admitted (Admit): the bearer token when one is configured, then the herder
// when the worker has finished starting.
//
// Threads: gRPC's; every herder call is safe from any thread.
#ifndef SLUICE_RUNTIME_ADMIN_ADMIN_SERVICE_H_
#define SLUICE_RUNTIME_ADMIN_ADMIN_SERVICE_H_

#include <atomic>
#include <string>
#include <utility>

#include "runtime/herder/herder.h"
#include "sluice/admin/v1/admin.grpc.pb.h"

namespace sluice::admin {

namespace pb = ::sluice::admin::v1;

class AdminService final : public pb::Admin::Service {
 public:
  // `token`: the bearer token every call must carry; empty, none is asked for.
  explicit AdminService(std::string token) : token_(std::move(token)) {}

  // Starts answering RPCs with `herder` (which must outlive this service); until then each
  // answers UNAVAILABLE, the worker is starting. Called once.
  void Serve(herder::Herder* herder) {
    herder_ = herder;
    serving_.store(true, std::memory_order_release);
  }

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
  grpc::Status GetTaskConfigs(grpc::ServerContext*, const pb::ConnectorRef*,
                              pb::TaskConfigs*) override;
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
  grpc::Status GetCluster(grpc::ServerContext*, const pb::GetClusterRequest*,
                          pb::ClusterInfo*) override;
  grpc::Status ListLoggers(grpc::ServerContext*, const pb::ListLoggersRequest*,
                           pb::ListLoggersResponse*) override;
  grpc::Status GetLogger(grpc::ServerContext*, const pb::LoggerRef*, pb::Logger*) override;
  grpc::Status SetLoggerLevel(grpc::ServerContext*, const pb::SetLoggerLevelRequest*,
                              pb::SetLoggerLevelResponse*) override;
  grpc::Status Watch(grpc::ServerContext*, const pb::WatchRequest*,
                     grpc::ServerWriter<pb::WatchEvent>*) override;

 private:
  // OK when the call may go on: its token matches (UNAUTHENTICATED otherwise) and the herder is
  // there (UNAVAILABLE otherwise). Every RPC calls it first, before it reads herder_.
  grpc::Status Admit(const grpc::ServerContext& context) const;

  const std::string token_;
  // Written once by Serve before serving_ is set; read only after Admit saw serving_ set.
  herder::Herder* herder_ = nullptr;
  std::atomic<bool> serving_{false};
  std::atomic<bool> shutting_down_{false};
};

}  // namespace sluice::admin

#endif  // SLUICE_RUNTIME_ADMIN_ADMIN_SERVICE_H_
