#include "runtime/herder/task_metrics.h"

namespace sluice::herder {

void TaskMetrics::MaybeSample(const ConfigState& configs, absl::Time now) {
  if (now - last_metrics_ < interval_) return;
  last_metrics_ = now;
  for (const auto& [name, entry] : configs.connectors()) SampleTasks(name, entry.tasks.size(), now);
  // Progress: a connector's committed offsets, published when they moved.
  for (const auto& [name, entry] : configs.connectors()) PublishProgress(name);
}

void TaskMetrics::SampleTasks(const std::string& name, size_t task_count, absl::Time now) {
  for (size_t i = 0; i < task_count; ++i) {
    const int id = static_cast<int>(i);
    const worker::TaskView* task = worker_->Task(name, id);
    if (task == nullptr) continue;
    Sample& last = samples_[{name, id}];
    const int64_t records = task->records_sent();
    WatchEvent event{WatchEvent::Kind::kTaskMetrics, name, id, State::kRunning, "", worker_id_};
    event.records_sent = records;
    event.in_flight_bytes = task->in_flight_bytes();
    event.progress = task->progress();
    if (last.at != absl::Time() && now > last.at && records >= last.records) {
      event.records_per_second =
          static_cast<double>(records - last.records) / absl::ToDoubleSeconds(now - last.at);
    }
    last = {records, now};
    watchers_->Publish(event);
  }
}

void TaskMetrics::PublishProgress(const std::string& name) {
  std::vector<PartitionOffset> offsets;
  for (auto& [partition, offset] : worker_->offset_store().OffsetsFor(name)) {
    offsets.push_back({std::move(partition), std::move(offset)});
  }
  std::vector<PartitionOffset>& last = last_progress_[name];
  if (last == offsets) return;
  last = offsets;
  WatchEvent event{WatchEvent::Kind::kConnectorProgress, name, -1, State::kRunning, "", worker_id_};
  event.offsets = std::move(offsets);
  for (const worker::TaskView* task : worker_->Tasks(name)) {
    const std::optional<plugin::TaskProgress> progress = task->progress();
    if (progress && progress->phase == plugin::TaskPhase::kSnapshot) event.snapshot_running = true;
  }
  watchers_->Publish(event);
}

}  // namespace sluice::herder
