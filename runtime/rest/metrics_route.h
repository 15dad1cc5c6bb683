// GET /metrics on the REST listener: Prometheus's text format (runtime/metrics) of the herder's
// figures and the process's own, built at each scrape. Reading the figures is one herder call;
// the tasks' counters are atomics they keep anyway, so a scrape costs the hot path nothing.
//
// Threads: any (the herder's Figures is).
#ifndef SLUICE_RUNTIME_REST_METRICS_ROUTE_H_
#define SLUICE_RUNTIME_REST_METRICS_ROUTE_H_

#include "runtime/herder/herder.h"
#include "runtime/rest/rest_router.h"

namespace sluice::rest {

RestResponse RouteMetrics(herder::Herder& herder, const RestRequest& request);

}  // namespace sluice::rest

#endif  // SLUICE_RUNTIME_REST_METRICS_ROUTE_H_
