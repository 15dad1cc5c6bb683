#include "runtime/herder/status_writer.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "runtime/herder/log_replay.h"

namespace sluice::herder {
namespace {

constexpr absl::Duration kWriteTimeout = absl::Seconds(30);

}  // namespace

StatusWriter::StatusWriter(std::unique_ptr<kafka::TopicLog> log, worker::WorkerControl* worker,
                           std::shared_ptr<const SecretScrubber> scrubber, Watchers* watchers,
                           std::string worker_id, LogSink log_sink)
    : log_(std::move(log)),
      worker_(worker),
      scrubber_(std::move(scrubber)),
      watchers_(watchers),
      worker_id_(std::move(worker_id)),
      log_sink_(std::move(log_sink)) {}

absl::Status StatusWriter::Restore(absl::Duration timeout) {
  absl::StatusOr<std::vector<kafka::KeyedRecord>> statuses = ReplayLog(*log_, timeout);
  if (!statuses.ok()) {
    return absl::Status(statuses.status().code(),
                        absl::StrCat("reading the status topic: ", statuses.status().message()));
  }
  for (const kafka::KeyedRecord& record : *statuses) {
    const StatusTopicKey key = ParseStatusTopicKey(record.key);
    if (key.kind != StatusTopicKey::Kind::kTopic) continue;
    if (record.value) {
      topics_[key.connector].insert(key.topic);
    } else {
      topics_[key.connector].erase(key.topic);
    }
  }
  return absl::OkStatus();
}

void StatusWriter::Follow(const std::vector<kafka::KeyedRecord>& records) {
  for (const kafka::KeyedRecord& record : records) {
    const StatusTopicKey key = ParseStatusTopicKey(record.key);
    switch (key.kind) {
      case StatusTopicKey::Kind::kTopic:
        if (record.value) {
          topics_[key.connector].insert(key.topic);
        } else {
          topics_[key.connector].erase(key.topic);
        }
        break;
      case StatusTopicKey::Kind::kConnector:
      case StatusTopicKey::Kind::kTask: {
        const bool connector = key.kind == StatusTopicKey::Kind::kConnector;
        if (!record.value) {
          if (connector) {
            connector_status_.erase(key.connector);
          } else if (auto it = task_status_.find(key.connector); it != task_status_.end()) {
            it->second.erase(key.task);
          }
          break;
        }
        absl::StatusOr<StatusValue> value = DecodeStatus(*record.value);
        if (!value.ok()) break;
        StatusValue& kept =
            connector ? connector_status_[key.connector] : task_status_[key.connector][key.task];
        const bool changed = kept.state != value->state || kept.trace != value->trace ||
                             kept.worker_id != value->worker_id;
        kept = *std::move(value);
        if (changed) {
          watchers_->Publish({connector ? WatchEvent::Kind::kConnectorStatus
                                        : WatchEvent::Kind::kTaskStatus,
                              key.connector, connector ? -1 : key.task, kept.state,
                              kept.trace.value_or(""), kept.worker_id});
        }
        break;
      }
      case StatusTopicKey::Kind::kUnknown:
        break;
    }
  }
}

StatusValue StatusWriter::ValueOf(State state, const std::string& trace) const {
  return StatusValue{
      state, trace.empty() ? std::nullopt : std::optional<std::string>(scrubber_->Scrub(trace)),
      worker_id_, generation_};
}

void StatusWriter::Write(const std::vector<kafka::KeyedRecord>& records, const std::string& what) {
  if (absl::Status s = log_->Write(records, kWriteTimeout); !s.ok()) {
    log_sink_(LogLevel::kWarn, "herder", absl::StrCat(what, ": ", s.message()));
  }
}

void StatusWriter::SetConnectorState(const std::string& name, State state, std::string trace) {
  const StatusValue value = ValueOf(state, trace);
  auto it = connector_status_.find(name);
  if (it != connector_status_.end() && it->second.state == value.state &&
      it->second.trace == value.trace && it->second.worker_id == value.worker_id)
    return;
  connector_status_[name] = value;
  Write({{ConnectorStatusKey(name), EncodeStatus(value)}},
        absl::StrCat("connector ", name, ": status not written"));
  watchers_->Publish(
      {WatchEvent::Kind::kConnectorStatus, name, -1, state, value.trace.value_or(""), worker_id_});
}

void StatusWriter::SetTaskState(const std::string& name, int task, State state, std::string trace) {
  const StatusValue value = ValueOf(state, trace);
  auto& tasks = task_status_[name];
  auto it = tasks.find(task);
  if (it != tasks.end() && it->second.state == value.state && it->second.trace == value.trace &&
      it->second.worker_id == value.worker_id)
    return;
  tasks[task] = value;
  Write({{TaskStatusKey(name, task), EncodeStatus(value)}},
        absl::StrCat("task ", name, "-", task, ": status not written"));
  watchers_->Publish(
      {WatchEvent::Kind::kTaskStatus, name, task, state, value.trace.value_or(""), worker_id_});
}

void StatusWriter::RemoveStatuses(const std::string& name, bool connector_too) {
  std::vector<kafka::KeyedRecord> tombstones;
  for (const auto& [task, value] : task_status_[name])
    tombstones.push_back({TaskStatusKey(name, task), std::nullopt});
  task_status_.erase(name);
  if (connector_too) {
    tombstones.push_back({ConnectorStatusKey(name), std::nullopt});
    connector_status_.erase(name);
  }
  if (tombstones.empty()) return;
  Write(tombstones, absl::StrCat("connector ", name, ": statuses not removed"));
}

void StatusWriter::NoteTopics(const std::string& name) {
  std::vector<kafka::KeyedRecord> new_topics;
  for (const worker::TaskView* task : worker_->Tasks(name)) {
    for (const std::string& topic : task->topics()) {
      if (topics_[name].insert(topic).second) {
        new_topics.push_back(
            {TopicStatusKey(topic, name),
             EncodeTopicStatus({topic, name, task->task_id(), absl::ToUnixMillis(absl::Now())})});
      }
    }
  }
  if (new_topics.empty()) return;
  Write(new_topics, absl::StrCat("connector ", name, ": active topics not written"));
}

void StatusWriter::Refresh(const std::string& name, size_t task_count) {
  NoteTopics(name);
  for (size_t i = 0; i < task_count; ++i) {
    const int id = static_cast<int>(i);
    const worker::TaskView* task = worker_->Task(name, id);
    if (task != nullptr && task->state() == worker::TaskState::kFailed) {
      SetTaskState(name, id, State::kFailed, std::string(task->failure().message()));
    }
  }
}

std::vector<std::string> StatusWriter::Topics(const std::string& name) const {
  const auto it = topics_.find(name);
  if (it == topics_.end()) return {};
  return std::vector<std::string>(it->second.begin(), it->second.end());
}

absl::Status StatusWriter::ResetTopics(const std::string& name) {
  std::vector<kafka::KeyedRecord> tombstones;
  for (const std::string& topic : topics_[name])
    tombstones.push_back({TopicStatusKey(topic, name), std::nullopt});
  if (tombstones.empty()) return absl::OkStatus();
  if (absl::Status s = log_->Write(tombstones, kWriteTimeout); !s.ok()) {
    return absl::UnavailableError(absl::StrCat("writing the status topic: ", s.message()));
  }
  topics_.erase(name);
  return absl::OkStatus();
}

ConnectorStatusInfo StatusWriter::StatusOf(const std::string& name) const {
  ConnectorStatusInfo out;
  out.name = name;
  if (auto it = connector_status_.find(name); it != connector_status_.end()) {
    out.state = it->second.state;
    out.trace = it->second.trace.value_or("");
    out.worker_id = it->second.worker_id;
  }
  if (auto it = task_status_.find(name); it != task_status_.end()) {
    for (const auto& [id, value] : it->second) {
      out.tasks.push_back({id, value.state, value.trace.value_or(""), value.worker_id});
      if (const worker::TaskView* task = worker_->Task(name, id); task != nullptr) {
        out.tasks.back().progress = task->progress();
      }
    }
  }
  for (auto& [partition, offset] : worker_->offset_store().OffsetsFor(name)) {
    out.offsets.push_back({std::move(partition), std::move(offset)});
  }
  return out;
}

}  // namespace sluice::herder
