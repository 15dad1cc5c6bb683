// Kafka Connect's forwarding of a request to the worker that performs it, REST to REST: a
// request the herder answered RequestTargetError (herder_types.h: a write only the cluster's
// leader performs, a restart only the connector's worker) is sent, as it came (method, path,
// query, body, the caller's Authorization header), to that worker's REST API, and its status
// code and body are the answer. The `forward` query parameter bounds the hops as Kafka Connect's
// does: a request without it goes on with `forward=true` (the target may still forward once,
// after a leader change), one with `forward=true` goes on with `forward=false`, and one with
// `forward=false` is not forwarded again: 409, a rebalance got in the way (docs/cluster.md).
// A target nothing listens on any more (it left the cluster) is a 409 too: retry; any other
// failure to reach it is Kafka Connect's 500 "IO Error trying to forward REST request".
//
// Threads: Forward from any thread (one HTTP client per call); immutable after construction.
#ifndef SLUICE_RUNTIME_REST_REQUEST_FORWARDER_H_
#define SLUICE_RUNTIME_REST_REQUEST_FORWARDER_H_

#include <string>

#include "absl/time/time.h"
#include "runtime/config/worker_config.h"
#include "runtime/rest/rest_router.h"

namespace sluice::rest {

// Kafka Connect's words for a request that found no target within its hops.
inline constexpr char kConflictingOperationMessage[] =
    "Cannot complete request because of a conflicting operation (e.g. worker rebalance)";

class RequestForwarder {
 public:
  // The target is reached with this worker's scheme (`listeners`, or rest.advertised.listener):
  // https trusts `listeners.https.ssl.truststore.location` and, when the listeners ask for
  // client certificates, presents this worker's keystore, as Kafka Connect's REST client does.
  explicit RequestForwarder(const config::WorkerConfig& config,
                           absl::Duration timeout = absl::Seconds(90));

  // `worker_id`: the target's advertised host:port.
  RestResponse Forward(const RestRequest& request, const std::string& worker_id) const;

 private:
  std::string scheme_;
  std::string truststore_;
  std::string keystore_;  // empty: no client certificate
  absl::Duration timeout_;
};

}  // namespace sluice::rest

#endif  // SLUICE_RUNTIME_REST_REQUEST_FORWARDER_H_
