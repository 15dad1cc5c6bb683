#include "runtime/admin/admin_server.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "runtime/admin/admin_token.h"
#include "runtime/admin/listener_exposure.h"
#include "runtime/admin/tls_files.h"

namespace sluice::admin {
namespace {

// Why gRPC could not listen on `listener`: binds a socket there the way gRPC does (SO_REUSEADDR,
// no SO_REUSEPORT) and names the errno. gRPC's own failure says only that no port was added.
std::string WhyNotListening(const std::string& listener) {
  const auto [host, port] = SplitListener(listener);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints,
                                   &found);
      rc != 0) {
    return absl::StrCat("the host `", host, "` does not resolve: ", ::gai_strerror(rc));
  }
  int error = 0;
  for (addrinfo* a = found; a != nullptr && error == 0; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 1) != 0) error = errno;
    ::close(fd);
  }
  ::freeaddrinfo(found);
  switch (error) {
    case 0:
      return "the address is free, but gRPC could not start a listener on it (its own error line "
             "above says why)";
    case EADDRINUSE:
      return absl::StrCat("port ", port,
                          " is already in use by another process (another worker?); ports are "
                          "never shared, give each worker its own");
    case EADDRNOTAVAIL:
      return absl::StrCat("`", host, "` is not an address of this host");
    case EACCES:
      return absl::StrCat("port ", port, " needs privileges this process lacks");
    default:
      return std::strerror(error);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<AdminServer>> AdminServer::Start(const config::WorkerConfig& config,
                                                                const LogSink& log) {
  if (absl::Status s = CheckListenerExposure(config, log); !s.ok()) return s;
  std::unique_ptr<AdminServer> server(new AdminServer());
  std::string token;
  if (!config.admin_token_file.empty()) {
    absl::StatusOr<std::string> read = ReadAdminToken(config.admin_token_file);
    if (!read.ok()) return read.status();
    token = *std::move(read);
    server->token_required_ = true;
  }
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (!config.admin_ssl_certificate.empty()) {
    absl::StatusOr<TlsFiles> files = LoadTlsFiles(config);
    if (!files.ok()) return files.status();
    grpc::SslServerCredentialsOptions options;
    options.pem_key_cert_pairs.push_back({files->private_key, files->certificate_chain});
    if (!files->client_ca.empty()) {
      options.pem_root_certs = files->client_ca;
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
  server->service_ = std::make_unique<AdminService>(std::move(token));
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default on Linux: a second worker on the same port then listens as
  // well and the kernel spreads calls between the two at random.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(config.admin_listener, credentials, &server->port_);
  builder.RegisterService(server->service_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("admin API: cannot listen on ",
                                               config.admin_listener, ": ",
                                               WhyNotListening(config.admin_listener),
                                               "; choose another with `sluice.admin.listener`"));
  }
  server->server_->GetHealthCheckService()->SetServingStatus(false);
  return server;
}

void AdminServer::Serve(herder::Herder* herder) {
  service_->Serve(herder);
  server_->GetHealthCheckService()->SetServingStatus(true);
}

AdminServer::~AdminServer() {
  if (service_ != nullptr) service_->Shutdown();
  if (server_ != nullptr)
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
}

}  // namespace sluice::admin
