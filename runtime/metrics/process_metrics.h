// The worker process's own figures under the names every Prometheus client library uses
// (process_cpu_seconds_total, process_resident_memory_bytes, process_open_fds, ...), read from
// /proc/self at scrape time.
#ifndef SLUICE_RUNTIME_METRICS_PROCESS_METRICS_H_
#define SLUICE_RUNTIME_METRICS_PROCESS_METRICS_H_

#include "runtime/metrics/prometheus_text.h"

namespace sluice::metrics {

// Appends what /proc answered; a figure /proc does not give is left out.
void AppendProcessMetrics(PrometheusText& out);

}  // namespace sluice::metrics

#endif  // SLUICE_RUNTIME_METRICS_PROCESS_METRICS_H_
