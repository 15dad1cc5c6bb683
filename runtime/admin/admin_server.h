// The gRPC server every worker runs: the admin service, standard health checking
// (grpc.health.v1.Health) and server reflection, on `sluice.admin.listener` (loopback by default),
// in plaintext, TLS, or mutual TLS as the worker properties say:
//   certificate + key            TLS
//   ... + client CA              mutual TLS: a client must present a certificate that CA signed,
//                                or the handshake fails and no RPC is served
#ifndef SLUICE_RUNTIME_ADMIN_ADMIN_SERVER_H_
#define SLUICE_RUNTIME_ADMIN_ADMIN_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/server.h"
#include "runtime/admin/admin_service.h"
#include "runtime/config/worker_config.h"
#include "runtime/herder/herder.h"

namespace sluice::admin {

class AdminServer {
 public:
  // Binds and starts serving. FailedPrecondition naming the file when a PEM file cannot be read,
  // Unavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<AdminServer>> Start(const config::WorkerConfig& config,
                                                            herder::Herder* herder);
  // Ends open streams and stops serving.
  ~AdminServer();

  // The port bound (the one asked for, or the one chosen for port 0).
  int port() const { return port_; }
  bool tls() const { return tls_; }

 private:
  AdminServer() = default;
  std::unique_ptr<AdminService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool tls_ = false;
};

}  // namespace sluice::admin

#endif  // SLUICE_RUNTIME_ADMIN_ADMIN_SERVER_H_
