#include "runtime/admin/admin_server.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace sluice::admin {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, absl::string_view key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(absl::StrCat("`", key, "`: cannot read `", path, "`"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<std::unique_ptr<AdminServer>> AdminServer::Start(const config::WorkerConfig& config,
                                                                herder::Herder* herder) {
  std::unique_ptr<AdminServer> server(new AdminServer());
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (!config.admin_ssl_certificate.empty()) {
    absl::StatusOr<std::string> cert =
        ReadPem(config.admin_ssl_certificate, "sluice.admin.ssl.certificate.location");
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key =
        ReadPem(config.admin_ssl_key, "sluice.admin.ssl.key.location");
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions options;
    options.pem_key_cert_pairs.push_back({*key, *cert});
    if (!config.admin_ssl_client_ca.empty()) {
      absl::StatusOr<std::string> ca =
          ReadPem(config.admin_ssl_client_ca, "sluice.admin.ssl.client.ca.location");
      if (!ca.ok()) return ca.status();
      options.pem_root_certs = *ca;
      options.client_certificate_request =
          GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials = grpc::SslServerCredentials(options);
    server->tls_ = true;
  } else {
    credentials = grpc::InsecureServerCredentials();
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  server->service_ = std::make_unique<AdminService>(herder);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.admin_listener, credentials, &server->port_);
  builder.RegisterService(server->service_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("admin API: cannot listen on `",
                                               config.admin_listener,
                                               "` (sluice.admin.listener); is the port in use?"));
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  return server;
}

AdminServer::~AdminServer() {
  if (service_ != nullptr) service_->Shutdown();
  if (server_ != nullptr)
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
}

}  // namespace sluice::admin
