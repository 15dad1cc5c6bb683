// Kafka Connect 4.x's REST resources (ConnectorsResource, ConnectorPluginsResource, RootResource)
// as calls of the one herder the gRPC admin service calls too: a request is routed by method and
// path, its body read (rest_json.h), the herder operation called, and its answer or error turned
// into Kafka Connect's status code and JSON. No HTTP library here: RestServer (rest_server.h)
// hands requests in, tests call Handle directly.
//
// Threads: Handle from any thread (the herder's operations are); the router is immutable.
#ifndef SLUICE_RUNTIME_REST_REST_ROUTER_H_
#define SLUICE_RUNTIME_REST_REST_ROUTER_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "runtime/herder/herder.h"

namespace sluice::rest {

struct RestRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded, without the query: "/connectors/orders/status"
  std::multimap<std::string, std::string> params;  // the query's, decoded
  std::string body;
  // "http://host:port" as the client addressed the worker (its Host header), for the Location
  // of a 201; empty = a relative Location.
  std::string base_url = {};
  // The caller's Authorization header, kept when the request is forwarded to the leader.
  std::string authorization = {};
};

struct RestResponse {
  int status = 200;
  std::string body;      // JSON; empty for 202/204 answers without a body
  std::string location;  // the Location header of a 201, else empty
  std::string content_type = "";  // empty: application/json
};

// What GET / reports.
struct ServerInfo {
  std::string version;
  std::string commit;
  std::optional<std::string> kafka_cluster_id;  // null until the worker knows it
};

// Kafka Connect's status code for a herder error: NotFound 404, AlreadyExists and
// FailedPrecondition 409 (conflicts with the connector's state), Aborted 409 (a cluster's
// rebalance under way, answered with kRebalanceMessage), InvalidArgument 400, anything else 500.
inline constexpr char kRebalanceMessage[] =
    "Cannot complete request momentarily due to stale configuration (typically caused by a "
    "concurrent config change)";
int HttpStatusOf(const absl::Status& status);

// The answer every request to `path` gets before the herder is there: 503, the worker is starting
// (GET /health's own shape for /health, an error elsewhere).
RestResponse StartingResponse(const std::string& path);

class RequestForwarder;

class RestRouter {
 public:
  // `herder` and `forwarder` must outlive the router. A request the herder answers
  // RequestTargetError (a cluster's follower) goes to the worker it names through `forwarder`,
  // whose answer is relayed; with a null forwarder it is answered 409 (retry).
  RestRouter(herder::Herder* herder, ServerInfo info, const RequestForwarder* forwarder = nullptr)
      : herder_(herder), info_(std::move(info)), forwarder_(forwarder) {}

  RestResponse Handle(const RestRequest& request) const;

 private:
  herder::Herder* const herder_;
  const ServerInfo info_;
  const RequestForwarder* const forwarder_;
};

}  // namespace sluice::rest

#endif  // SLUICE_RUNTIME_REST_REST_ROUTER_H_
