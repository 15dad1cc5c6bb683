// A test-only switch: SLUICE_BENCH_PER_RECORD_METRICS=off in the worker's environment turns off
// the per-record metrics (the records polled and sent counters, the commit-to-ack lag histogram),
// so that scripts/bench can show what they cost (docs/benchmarks.md, "What metrics cost"). It is
// no setting for production: a worker that has it says so at start (WarnIfPerRecordMetricsOff,
// which Worker::Create calls), and docs/metrics.md names it.
#ifndef SLUICE_RUNTIME_WORKER_PER_RECORD_METRICS_H_
#define SLUICE_RUNTIME_WORKER_PER_RECORD_METRICS_H_

#include "runtime/common/log.h"

namespace sluice::worker {

inline constexpr char kPerRecordMetricsSwitch[] = "SLUICE_BENCH_PER_RECORD_METRICS";

// Whether the environment holds the switch set to `off` (read on every call).
bool PerRecordMetricsSwitchedOff();

// Whether the tasks count per record: read once per process, on the first call (any thread);
// inline, as the tasks ask for every record.
inline bool PerRecordMetricsOn() {
  static const bool on = !PerRecordMetricsSwitchedOff();
  return on;
}

// Logs a WARN naming the switch when it is set to `off`; nothing otherwise.
void WarnIfPerRecordMetricsOff(const LogSink& log);

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_PER_RECORD_METRICS_H_
