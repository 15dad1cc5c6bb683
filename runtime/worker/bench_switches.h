// Test-only switches for scripts/bench, read from the worker's environment once per process, so
// that a benchmark can run the same build with and without a part and show what it costs or
// gains (docs/benchmarks.md):
//   SLUICE_BENCH_PER_RECORD_METRICS=off  no per-record metrics (the records polled and sent
//                                        counters, the commit-to-ack lag histogram):
//                                        `sluice-metrics-off`, "What metrics cost"
//   SLUICE_BENCH_SEND_STAGE=off          each poll's records converted and sent on the task
//                                        thread between polls, without the send stage
//                                        (send_stage.h): `sluice-serial`, "A true ceiling: the
//                                        pipeline"
//   SLUICE_BENCH_GROUP_COMMIT=off        exactly-once at the poll boundary without the group
//                                        commit: each poll its own transaction, as before it
//                                        (source_task.cc, kGroupCommitRecords):
//                                        `sluice-eos-ungrouped`, "Exactly-once: a transaction
//                                        per commit's time"
// They are no settings for production: a worker that has one set says so at start
// (WarnIfBenchSwitchesSet, which Worker::Create calls), and docs/metrics.md names them.
#ifndef SLUICE_RUNTIME_WORKER_BENCH_SWITCHES_H_
#define SLUICE_RUNTIME_WORKER_BENCH_SWITCHES_H_

#include "runtime/common/log.h"

namespace sluice::worker {

inline constexpr char kPerRecordMetricsSwitch[] = "SLUICE_BENCH_PER_RECORD_METRICS";
inline constexpr char kSendStageSwitch[] = "SLUICE_BENCH_SEND_STAGE";
inline constexpr char kGroupCommitSwitch[] = "SLUICE_BENCH_GROUP_COMMIT";

// Whether the environment holds `name` set to `off` (read on every call).
bool SwitchedOff(const char* name);

// Whether the tasks count per record: read once per process, on the first call (any thread);
// inline, as the tasks ask for every record.
inline bool PerRecordMetricsOn() {
  static const bool on = !SwitchedOff(kPerRecordMetricsSwitch);
  return on;
}

// Whether at-least-once tasks send through a send stage: read once per process.
inline bool SendStageOn() {
  static const bool on = !SwitchedOff(kSendStageSwitch);
  return on;
}

// Whether exactly-once tasks at the poll boundary gather the polls that come while a commit runs
// into the next transaction: read once per process.
inline bool GroupCommitOn() {
  static const bool on = !SwitchedOff(kGroupCommitSwitch);
  return on;
}

// Logs a WARN naming each switch that is set to `off`; nothing otherwise.
void WarnIfBenchSwitchesSet(const LogSink& log);

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_BENCH_SWITCHES_H_
