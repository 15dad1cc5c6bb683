// The herder tick's metrics: every `interval`, a sample per running task (records sent, the rate
// since the last sample, bytes in flight, its progress report) and, for each connector whose
// committed offsets moved, its offsets, all published to Watch subscribers.
//
// Threads: not thread-safe; the herder thread owns it.
#ifndef SLUICE_RUNTIME_HERDER_TASK_METRICS_H_
#define SLUICE_RUNTIME_HERDER_TASK_METRICS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "runtime/herder/config_state.h"
#include "runtime/herder/herder_types.h"
#include "runtime/herder/watch.h"
#include "runtime/worker/worker_control.h"

namespace sluice::herder {

class TaskMetrics {
 public:
  // `worker` and `watchers` must outlive this.
  TaskMetrics(worker::WorkerControl* worker, Watchers* watchers, std::string worker_id,
              absl::Duration interval)
      : worker_(worker),
        watchers_(watchers),
        worker_id_(std::move(worker_id)),
        interval_(interval) {}

  // Publishes the samples of every connector in `configs` when `interval` has passed since the
  // last ones; otherwise does nothing.
  void MaybeSample(const ConfigState& configs, absl::Time now);

 private:
  void SampleTasks(const std::string& name, size_t task_count, absl::Time now);
  void PublishProgress(const std::string& name);

  worker::WorkerControl* const worker_;
  Watchers* const watchers_;
  const std::string worker_id_;
  const absl::Duration interval_;

  struct Sample {
    int64_t records = 0;
    absl::Time at;
  };
  std::map<std::pair<std::string, int>, Sample> samples_;
  absl::Time last_metrics_ = absl::InfinitePast();
  std::map<std::string, std::vector<PartitionOffset>> last_progress_;  // as last published
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_TASK_METRICS_H_
