// The gRPC server every worker runs: the admin service, standard health checking
// (grpc.health.v1.Health) and server reflection, on `sluice.admin.listener` (loopback by default),
// in plaintext, TLS, or mutual TLS as the worker properties say:
//   certificate + key            TLS
//   ... + client CA              mutual TLS: a client must present a certificate that CA signed,
//                                or the handshake fails and no RPC is served
//   token file                   every Admin RPC must carry `authorization: Bearer <token>`
// Health and reflection answer without a token: they tell whether a worker is up and what the API
// looks like, nothing about its connectors.
#ifndef SLUICE_RUNTIME_ADMIN_ADMIN_SERVER_H_
#define SLUICE_RUNTIME_ADMIN_ADMIN_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/server.h"
#include "runtime/admin/admin_service.h"
#include "runtime/common/log.h"
#include "runtime/config/worker_config.h"
#include "runtime/herder/herder.h"

namespace sluice::admin {

class AdminServer {
 public:
  // Checks the admin settings before anything listens (listener_exposure.h: a plaintext listener
  // other hosts can reach is refused unless allowed by name; tls_files.h: the TLS files;
  // admin_token.h: the token file), then binds without sharing the port with another process
  // (gRPC's SO_REUSEPORT is off) and starts serving: health NOT_SERVING and every Admin RPC
  // UNAVAILABLE until Serve. FailedPrecondition naming the key and file for a bad setting or
  // file; Unavailable naming the address, the reason (e.g. the port is in use) and
  // `sluice.admin.listener` when it cannot bind. `log` gets the warnings of listener_exposure.h.
  static absl::StatusOr<std::unique_ptr<AdminServer>> Start(const config::WorkerConfig& config,
                                                            const LogSink& log);
  // Ends open streams and stops serving.
  ~AdminServer();

  // Serves the admin API with `herder`, which must outlive this server; health says SERVING.
  void Serve(herder::Herder* herder);

  // The port bound (the one asked for, or the one chosen for port 0).
  int port() const { return port_; }
  bool tls() const { return tls_; }
  bool token_required() const { return token_required_; }
  // The listener as other workers reach it: its host (this host's name for a wildcard) and the
  // port bound; published in a cluster for forwarding (docs/cluster.md).
  const std::string& advertised_address() const { return advertised_address_; }
  // How the herder (a cluster's follower) sends its connector instances' task configs to the
  // leader's admin listener, with this listener's credentials and token (task_configs_sender.h).
  herder::TaskConfigsSender task_configs_sender() const;

 private:
  AdminServer() = default;
  std::unique_ptr<AdminService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool tls_ = false;
  bool token_required_ = false;
  std::string advertised_address_;
  std::shared_ptr<grpc::ChannelCredentials> peer_credentials_;
  std::string token_;
};

}  // namespace sluice::admin

#endif  // SLUICE_RUNTIME_ADMIN_ADMIN_SERVER_H_
