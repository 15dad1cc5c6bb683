// The gRPC admin service: translates each RPC into a herder call and the herder's answer back.
// absl::Status codes map one to one onto gRPC codes, so errors pass through unchanged.
// Every RPC is first admitted (Admit): the bearer token when one is configured, then the herder
// when the worker has finished starting.
//
// Threads: gRPC's; every herder call is safe from any thread.
#ifndef SLUICE_RUNTIME_ADMIN_ADMIN_SERVICE_H_
#define SLUICE_RUNTIME_ADMIN_ADMIN_SERVICE_H_

#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "grpcpp/security/credentials.h"
#include "runtime/herder/herder.h"
#include "sluice/admin/v1/admin.grpc.pb.h"

namespace sluice::admin {

namespace pb = ::sluice::admin::v1;

// The REST API's `forward` query parameter, as gRPC metadata between workers: "true" = the
// target may forward once more (a leader change under way), "false" = it may not.
inline constexpr char kForwardMetadataKey[] = "sluice-forward";

class AdminService final : public pb::Admin::Service {
 public:
  // `token`: the bearer token every call must carry; empty, none is asked for.
  // `peer_credentials`: how this worker reaches another worker's admin listener, to forward a
  // request the herder answers RequestTargetError (a cluster's follower); null = not forwarded
  // (the caller gets ABORTED, retry).
  explicit AdminService(std::string token,
                        std::shared_ptr<grpc::ChannelCredentials> peer_credentials = nullptr)
      : token_(std::move(token)), peer_credentials_(std::move(peer_credentials)) {}

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
  grpc::Status PutTaskConfigs(grpc::ServerContext*, const pb::PutTaskConfigsRequest*,
                              pb::PutTaskConfigsResponse*) override;
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

  // The reply to a herder error: a RequestTargetError (a cluster's follower asked what the leader
  // or the connector's worker performs) is that worker's reply to the same RPC (`method` of its
  // stub), sent with the caller's `authorization` and the hop bound of the REST API's `forward`
  // parameter (metadata `sluice-forward`; docs/cluster.md); any other error as its gRPC status.
  template <typename Request, typename Reply>
  grpc::Status Fail(const absl::Status& status, grpc::ServerContext* context,
                    const Request& request, Reply* reply,
                    grpc::Status (pb::Admin::Stub::*method)(grpc::ClientContext*, const Request&,
                                                            Reply*)) const;
  template <typename Request>
  grpc::Status StatusReply(const absl::StatusOr<herder::ConnectorStatusInfo>& status,
                           grpc::ServerContext* context, const Request& request,
                           pb::ConnectorStatus* reply,
                           grpc::Status (pb::Admin::Stub::*method)(grpc::ClientContext*,
                                                                   const Request&,
                                                                   pb::ConnectorStatus*)) const;

  const std::string token_;
  const std::shared_ptr<grpc::ChannelCredentials> peer_credentials_;
  // Written once by Serve before serving_ is set; read only after Admit saw serving_ set.
  herder::Herder* herder_ = nullptr;
  std::atomic<bool> serving_{false};
  std::atomic<bool> shutting_down_{false};
};

}  // namespace sluice::admin

#endif  // SLUICE_RUNTIME_ADMIN_ADMIN_SERVICE_H_
