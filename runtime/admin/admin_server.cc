#include "runtime/admin/admin_server.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "runtime/admin/admin_token.h"
#include "runtime/admin/listener_exposure.h"
#include "runtime/admin/task_configs_sender.h"
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
  // How this worker reaches another worker's admin listener to forward a request to it (a
  // cluster's follower): the way its own is served, as every worker of a cluster serves it.
  std::shared_ptr<grpc::ChannelCredentials> peer_credentials;
  if (!config.admin_ssl_certificate.empty()) {
    absl::StatusOr<TlsFiles> files = LoadTlsFiles(config);
    if (!files.ok()) return files.status();
    grpc::SslServerCredentialsOptions options;
    options.pem_key_cert_pairs.push_back({files->private_key, files->certificate_chain});
    // The other worker's certificate is trusted when the client CA or this worker's own chain signed
    // it; with mutual TLS this worker presents its own certificate, which the client CA signed.
    grpc::SslCredentialsOptions to_leader;
    to_leader.pem_root_certs = absl::StrCat(files->client_ca, "\n", files->certificate_chain);
    if (!files->client_ca.empty()) {
      options.pem_root_certs = files->client_ca;
      options.client_certificate_request =
          GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
      to_leader.pem_private_key = files->private_key;
      to_leader.pem_cert_chain = files->certificate_chain;
    }
    credentials = grpc::SslServerCredentials(options);
    peer_credentials = grpc::SslCredentials(to_leader);
    server->tls_ = true;
  } else {
    credentials = grpc::InsecureServerCredentials();
    peer_credentials = grpc::InsecureChannelCredentials();
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  server->peer_credentials_ = peer_credentials;
  server->token_ = token;
  server->service_ = std::make_unique<AdminService>(std::move(token), peer_credentials);
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
  std::string host = SplitListener(config.admin_listener).host;
  if (host.empty() || host == "0.0.0.0" || host == "::") {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0 && name[0] != '\0') host = name;
  }
  server->advertised_address_ = absl::StrCat(
      host.find(':') != std::string::npos ? absl::StrCat("[", host, "]") : host, ":",
      server->port_);
  return server;
}

herder::TaskConfigsSender AdminServer::task_configs_sender() const {
  return MakeTaskConfigsSender(peer_credentials_, token_);
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
