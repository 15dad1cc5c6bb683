#include "runtime/rest/rest_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "runtime/admin/admin_token.h"
#include "runtime/admin/listener_exposure.h"

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "dev"
#endif
#ifndef SLUICE_COMMIT
#define SLUICE_COMMIT ""
#endif

namespace sluice::rest {
namespace {

constexpr char kWho[] = "rest";
// Request threads: the herder answers one request at a time anyway; a few let a slow client
// not hold up the others.
constexpr size_t kRequestThreads = 4;

RestRequest FromHttplib(const httplib::Request& request, absl::string_view scheme) {
  RestRequest out;
  out.method = request.method;
  out.path = request.path;
  for (const auto& [key, value] : request.params) out.params.emplace(key, value);
  out.body = request.body;
  const std::string host = request.get_header_value("Host");
  if (!host.empty()) out.base_url = absl::StrCat(scheme, "://", host);
  out.authorization = request.get_header_value("Authorization");
  return out;
}

// A request that announces no body: neither Content-Length nor chunked. cpp-httplib answers such
// a POST, PUT or PATCH 400 before any handler sees it, but `curl -X POST .../restart` sends
// exactly that, and Kafka Connect takes it; these are answered before the body is read.
bool WithoutBody(const httplib::Request& request) {
  return !request.has_header("Content-Length") && !request.has_header("Transfer-Encoding");
}

// The port is never shared: httplib's default sets SO_REUSEPORT, which would let a second worker
// bind the same port and take half the requests. SO_REUSEADDR only lets a restarted worker bind
// while old connections linger in TIME_WAIT.
void ExclusiveSocketOptions(int socket) {
  int yes = 1;
  ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

// Whether the request carries `Authorization: Bearer <token>` (compared in constant time).
bool HasBearerToken(const httplib::Request& request, const std::string& token) {
  constexpr absl::string_view kScheme = "Bearer ";
  const std::string header = request.get_header_value("Authorization");
  if (!absl::StartsWith(header, kScheme)) return false;
  return admin::TokenMatches(absl::string_view(header).substr(kScheme.size()), token);
}

// Kafka Connect's error shape; never says anything of the token but where to configure it.
RestResponse UnauthorizedResponse() {
  RestResponse r;
  r.status = 401;
  r.body =
      R"({"error_code":401,"message":"this worker asks for a bearer token (sluice.admin.token.file): )"
      R"(send the header Authorization: Bearer <token>"})";
  return r;
}

admin::ExposedListener Exposure(const config::WorkerConfig& config) {
  admin::ExposedListener l;
  l.api = "REST API";
  l.listener = config.rest_listener;
  l.listener_key = "listeners";
  l.tls = config.rest_https;
  l.callers_identified =
      !config.admin_token_file.empty() || config.rest_ssl_client_auth_required;
  l.secure_advice =
      "serve it as https://host:port with `listeners.https.ssl.keystore.location` (PEM), and "
      "identify callers (`listeners.https.ssl.client.authentication=required` or "
      "sluice.admin.token.file)";
  l.identify_advice =
      "set listeners.https.ssl.client.authentication=required, or sluice.admin.token.file (the "
      "REST API then asks for the admin API's bearer token)";
  l.allow_key = "sluice.rest.insecure.listener.allowed";
  l.plaintext_allowed = config.rest_insecure_listener_allowed;
  return l;
}

}  // namespace

RestServer::RestServer(std::unique_ptr<httplib::Server> http) : http_(std::move(http)) {}

namespace {

// httplib's https server on the PEM keystore (key and chain in one file: OpenSSL reads the chain
// and the key from it separately), checking client certificates against the truststore when
// they are required.
absl::StatusOr<std::unique_ptr<httplib::Server>> NewHttpsServer(const config::WorkerConfig& config) {
  const char* truststore =
      config.rest_ssl_client_auth_required ? config.rest_ssl_truststore.c_str() : nullptr;
  const char* password =
      config.rest_ssl_key_password.empty() ? nullptr : config.rest_ssl_key_password.c_str();
  auto server = std::make_unique<httplib::SSLServer>(config.rest_ssl_keystore.c_str(),
                                                     config.rest_ssl_keystore.c_str(), truststore,
                                                     nullptr, password);
  if (!server->is_valid()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "REST API: cannot set up https from `listeners.https.ssl.keystore.location` ",
        config.rest_ssl_keystore,
        truststore != nullptr
            ? absl::StrCat(" and `listeners.https.ssl.truststore.location` ", truststore)
            : "",
        ": each must be a readable PEM file, the keystore holding the private key (its password "
        "in `listeners.https.ssl.key.password` when encrypted) and its certificate chain"));
  }
  return server;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RestServer>> RestServer::Start(const config::WorkerConfig& config,
                                                              const LogSink& log) {
  if (config.rest_listener.empty()) {
    log(LogLevel::kInfo, kWho,
        "no REST API: `listeners` is not set (e.g. listeners=http://127.0.0.1:8083 serves Kafka "
        "Connect's REST API)");
    return nullptr;
  }
  if (absl::Status s = admin::CheckListenerExposure(Exposure(config), log); !s.ok()) return s;
  const auto [host, port_text] = admin::SplitListener(config.rest_listener);
  const std::string bind_host = host.empty() ? "0.0.0.0" : host;
  int port = 0;
  if (!absl::SimpleAtoi(port_text, &port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("REST API: `listeners` has no port: http://", config.rest_listener));
  }

  if (port != 0 && admin::SplitListener(config.admin_listener).port == port_text) {
    return absl::FailedPreconditionError(absl::StrCat(
        "REST API: `listeners` http://", config.rest_listener, " and the gRPC admin API's "
        "`sluice.admin.listener` ", config.admin_listener, " use the same port ", port,
        "; move one of them (e.g. sluice.admin.listener=127.0.0.1:8084)"));
  }
  // The REST API is another door to the same herder: it asks for what the admin API asks for, or
  // it does not open. Client certificates cannot be checked without https, so a worker whose
  // admin API asks for them and not for a token serves no REST API rather than an open one.
  std::string token;
  if (!config.admin_token_file.empty()) {
    absl::StatusOr<std::string> read = admin::ReadAdminToken(config.admin_token_file);
    if (!read.ok()) return read.status();
    token = *std::move(read);
  } else if (!config.admin_ssl_client_ca.empty() && !config.rest_ssl_client_auth_required) {
    return absl::FailedPreconditionError(
        "REST API: the admin API asks for client certificates "
        "(sluice.admin.ssl.client.ca.location) and the REST API does not, so `listeners` would "
        "open a door without them; serve https with "
        "listeners.https.ssl.client.authentication=required, set sluice.admin.token.file (both "
        "APIs then ask for its bearer token), or remove `listeners`");
  }
  absl::StatusOr<std::unique_ptr<httplib::Server>> http_server =
      config.rest_https ? NewHttpsServer(config) : std::make_unique<httplib::Server>();
  if (!http_server.ok()) return http_server.status();
  std::unique_ptr<RestServer> server(new RestServer(*std::move(http_server)));
  server->forwarder_ = std::make_unique<RequestForwarder>(config);
  const std::string scheme = config.rest_https ? "https" : "http";
  httplib::Server& http = *server->http_;
  http.new_task_queue = [] { return new httplib::ThreadPool(kRequestThreads); };
  http.set_socket_options(ExclusiveSocketOptions);
  RestServer* self = server.get();
  auto handler = [self, token, scheme](const httplib::Request& request,
                                       httplib::Response& response) {
    RestResponse answer =
        !token.empty() && !HasBearerToken(request, token) ? UnauthorizedResponse()
        : self->serving_.load(std::memory_order_acquire)
            ? self->router_->Handle(FromHttplib(request, scheme))
            : StartingResponse(request.path);
    if (answer.status == 401) response.set_header("WWW-Authenticate", "Bearer");
    response.status = answer.status;
    if (!answer.location.empty()) response.set_header("Location", answer.location);
    if (!answer.body.empty()) {
      response.set_content(answer.body, answer.content_type.empty() ? "application/json"
                                                                    : answer.content_type);
    }
  };
  http.set_pre_routing_handler(
      [handler](const httplib::Request& request, httplib::Response& response) {
        if (!WithoutBody(request)) return httplib::Server::HandlerResponse::Unhandled;
        handler(request, response);
        return httplib::Server::HandlerResponse::Handled;
      });
  http.Get(".*", httplib::Server::Handler(handler));
  http.Delete(".*", httplib::Server::Handler(handler));
  http.Post(".*", httplib::Server::Handler(handler));
  http.Put(".*", httplib::Server::Handler(handler));
  http.Patch(".*", httplib::Server::Handler(handler));

  errno = 0;
  const bool bound = port == 0 ? (port = http.bind_to_any_port(bind_host)) > 0
                               : http.bind_to_port(bind_host, port);
  if (!bound) {
    const int error = errno;
    return absl::UnavailableError(absl::StrCat(
        "REST API: cannot listen on ", config.rest_listener,
        error == EADDRINUSE ? absl::StrCat(": port ", port, " is already in use")
                            : absl::StrCat(": ", error != 0 ? std::strerror(error) : "bind failed"),
        "; change `listeners` or stop what listens there"));
  }
  server->port_ = port;
  std::string advertised_host =
      !config.rest_advertised_host_name.empty() ? config.rest_advertised_host_name : bind_host;
  if (advertised_host == "0.0.0.0" || advertised_host == "::") {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0 && name[0] != '\0') advertised_host = name;
  }
  const int advertised_port =
      config.rest_advertised_port != 0 ? config.rest_advertised_port : port;
  server->advertised_address_ = absl::StrCat(advertised_host, ":", advertised_port);
  server->advertised_url_ = absl::StrCat(
      config.rest_advertised_listener.empty() ? scheme : config.rest_advertised_listener, "://",
      server->advertised_address_);
  server->accept_thread_ = std::thread([&http] { http.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so the destructor must not come before that.
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  log(LogLevel::kInfo, kWho,
      absl::StrCat("REST API on ", scheme, "://", bind_host, ":", port, " (",
                   config.rest_https ? "TLS" : "plaintext", ", ",
                   config.rest_ssl_client_auth_required ? "client certificates required, "
                                                        : "",
                   token.empty() ? "no token" : "bearer token required", "), "
                   "advertised as ", server->advertised_url_,
                   "; it answers once the worker has started"));
  return server;
}

RestServer::~RestServer() {
  http_->stop();
  if (accept_thread_.joinable()) accept_thread_.join();
}

void RestServer::Serve(herder::Herder* herder) {
  router_ = std::make_unique<RestRouter>(
      herder, ServerInfo{SLUICE_VERSION, SLUICE_COMMIT, herder->kafka_cluster_id()},
      forwarder_.get());
  serving_.store(true, std::memory_order_release);
}

}  // namespace sluice::rest
