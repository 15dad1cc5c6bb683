// Kafka Connect's `/admin/loggers` (KIP-495, with KIP-976's `last_modified` and `scope`) as the
// herder's logger calls, the same ones `sluice loggers` reaches through the gRPC admin API:
//   GET /admin/loggers             200 {"<logger>":{"level":"INFO","last_modified":null|ms},...}
//   GET /admin/loggers/{name}      200 {"level":...,"last_modified":...}; 404 unknown logger
//   PUT /admin/loggers/{name}      body {"level":"DEBUG"}, `?scope=worker` (default): 200 the
//                                  names set, sorted; `?scope=cluster`: 204 (one worker: this one)
// Errors as Kafka Connect answers them: no `level` 400, a level log4j does not know 404.
//
// Threads: any (the herder's logger calls are).
#ifndef SLUICE_RUNTIME_REST_LOGGERS_ROUTE_H_
#define SLUICE_RUNTIME_REST_LOGGERS_ROUTE_H_

#include <string>
#include <vector>

#include "runtime/herder/herder.h"
#include "runtime/rest/rest_router.h"

namespace sluice::rest {

// `path` is the request's path split at '/', starting with "admin", "loggers".
RestResponse RouteLoggers(herder::Herder& herder, const RestRequest& request,
                          const std::vector<std::string>& path);

}  // namespace sluice::rest

#endif  // SLUICE_RUNTIME_REST_LOGGERS_ROUTE_H_
