// The statuses of connectors and tasks as this worker writes them to the status topic (Kafka
// Connect's StatusBackingStore role), and each connector's active topics (the topics its tasks
// wrote to, kept in the same topic). Every status change is written, then published to Watch
// subscribers. StatusOf adds what the worker knows now: each running task's progress report and
// the connector's committed offsets.
//
// A status write that fails is logged, not returned: the status is kept and published all the
// same, and the next change of that status writes it again (Kafka Connect does the same).
//
// Threads: not thread-safe; the herder thread owns it.
#ifndef SLUICE_RUNTIME_HERDER_STATUS_WRITER_H_
#define SLUICE_RUNTIME_HERDER_STATUS_WRITER_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "runtime/herder/connect_records.h"
#include "runtime/herder/herder_types.h"
#include "runtime/herder/secret_scrubber.h"
#include "runtime/herder/watch.h"
#include "runtime/kafka/topic_log.h"
#include "runtime/plugin/host_context.h"
#include "runtime/worker/worker_control.h"

namespace sluice::herder {

class StatusWriter {
 public:
  // `worker`, `scrubber` and `watchers` must outlive this. Traces are scrubbed of resolved
  // secrets before they are kept or written.
  StatusWriter(std::unique_ptr<kafka::TopicLog> log, worker::WorkerControl* worker,
               std::shared_ptr<const SecretScrubber> scrubber, Watchers* watchers,
               std::string worker_id, LogSink log_sink);

  // Reads the active topics back from the topic (Unavailable retried until `timeout`). The
  // statuses themselves are not read: this worker writes them anew as it starts each connector.
  absl::Status Restore(absl::Duration timeout);

  // Cluster mode: applies the status topic's records (every worker's, this one's included, in the
  // topic's order), so StatusOf answers for the whole cluster; a change is published to Watch.
  void Follow(const std::vector<kafka::KeyedRecord>& records);

  // The generation written in every status from now on (Kafka Connect's `generation`): in a
  // cluster the assignment's epoch the writer runs the connector in (Kafka Connect writes its
  // group generation, which librdkafka does not expose; docs/cluster.md); 0 for a single worker.
  void SetGeneration(int32_t generation) { generation_ = generation; }

  // Writes and publishes the status when it differs from the one kept (or another worker's).
  void SetConnectorState(const std::string& name, State state, std::string trace = "");
  void SetTaskState(const std::string& name, int task, State state, std::string trace = "");
  // Tombstones every task status of `name`, and its connector status when `connector_too`.
  void RemoveStatuses(const std::string& name, bool connector_too);

  // Writes the topics `name`'s running tasks have written to that are not known yet. A task's
  // topics are known only while it exists: call this before stopping one.
  void NoteTopics(const std::string& name);
  // What the tick does for each connector: notes its new topics, and marks FAILED, with its
  // error, each of its `task_count` tasks that the worker saw fail.
  void Refresh(const std::string& name, size_t task_count);
  std::vector<std::string> Topics(const std::string& name) const;
  // Tombstones the active-topic records of `name` (Kafka Connect's topics reset). Unavailable
  // when the topic did not take them.
  absl::Status ResetTopics(const std::string& name);

  ConnectorStatusInfo StatusOf(const std::string& name) const;

 private:
  StatusValue ValueOf(State state, const std::string& trace) const;
  void Write(const std::vector<kafka::KeyedRecord>& records, const std::string& what);

  const std::unique_ptr<kafka::TopicLog> log_;
  worker::WorkerControl* const worker_;
  const std::shared_ptr<const SecretScrubber> scrubber_;
  Watchers* const watchers_;
  const std::string worker_id_;
  const LogSink log_sink_;
  int32_t generation_ = 0;

  std::map<std::string, StatusValue> connector_status_;
  std::map<std::string, std::map<int, StatusValue>> task_status_;
  std::map<std::string, std::set<std::string>> topics_;
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_STATUS_WRITER_H_
