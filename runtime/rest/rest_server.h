// The REST listener: Kafka Connect's `listeners=http://host:port` or `https://host:port` (with
// `listeners.https.ssl.*`, PEM stores), served by cpp-httplib
// (docs/rest-api.md says why that library). Every request goes to RestRouter, the herder's REST
// face. Started before the herder so that a bad setting or a port in use stops the worker at
// once; until Serve, every request is answered 503, the worker is starting.
//
// Threads: httplib's accept thread (owned here) and its pool of request threads; Start, Serve
// and the destructor from the worker's main thread.
#ifndef SLUICE_RUNTIME_REST_REST_SERVER_H_
#define SLUICE_RUNTIME_REST_REST_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "runtime/common/log.h"
#include "runtime/config/worker_config.h"
#include "runtime/herder/herder.h"
#include "runtime/rest/request_forwarder.h"
#include "runtime/rest/rest_router.h"

namespace httplib {
class Server;
}

namespace sluice::rest {

class RestServer {
 public:
  // Null (and an INFO line saying so) when `listeners` is not set. Otherwise applies the admin
  // listener's exposure rule (runtime/admin/listener_exposure.h; the allow key is
  // `sluice.rest.insecure.listener.allowed`), binds without sharing the port with another process,
  // and starts answering 503 until Serve. FailedPrecondition for an exposed listener not allowed;
  // Unavailable naming the address and `listeners` when it cannot bind.
  static absl::StatusOr<std::unique_ptr<RestServer>> Start(const config::WorkerConfig& config,
                                                           const LogSink& log);
  // Stops accepting, finishes the requests in progress, joins the accept thread.
  ~RestServer();

  // Serves the REST API with `herder`, which must outlive this server. Called once.
  void Serve(herder::Herder* herder);

  // The port bound (the one asked for, or the one chosen for port 0).
  int port() const { return port_; }
  // `rest.advertised.*` applied to the listener: "http://host:port".
  const std::string& advertised_url() const { return advertised_url_; }
  // "host:port" of the advertised URL: the worker's id in a cluster and in statuses' worker_id,
  // as Kafka Connect's. A wildcard listener host without rest.advertised.host.name is replaced
  // by this host's name, as Kafka Connect does.
  const std::string& advertised_address() const { return advertised_address_; }

 private:
  explicit RestServer(std::unique_ptr<httplib::Server> http);

  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<RequestForwarder> forwarder_;  // a cluster follower's requests to their worker
  std::unique_ptr<RestRouter> router_;  // written once by Serve before serving_ is set
  std::atomic<bool> serving_{false};
  std::thread accept_thread_;
  int port_ = 0;
  std::string advertised_url_;
  std::string advertised_address_;
};

}  // namespace sluice::rest

#endif  // SLUICE_RUNTIME_REST_REST_SERVER_H_
