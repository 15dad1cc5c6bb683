// A compacted topic followed as it grows: one consumer that stays open (no group, assign() from
// the beginning), so a worker sees what the other workers write within a poll, without reading
// the whole topic again each time. A cluster worker follows two: the config topic (connector
// configs, target states, task configs, restart requests, the leader's assignment,
// acknowledgements) and the status topic (every worker's connector and task statuses).
//
// Threads: not thread-safe; the herder thread owns it.
#ifndef SLUICE_RUNTIME_CLUSTER_TOPIC_TAIL_H_
#define SLUICE_RUNTIME_CLUSTER_TOPIC_TAIL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/kafka/handles.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::cluster {

class TopicTail {
 public:
  static absl::StatusOr<std::unique_ptr<TopicTail>> Create(
      const std::string& bootstrap_servers, const std::string& topic,
      const std::map<std::string, std::string>& consumer_overrides, const std::string& client_id);

  // The records that arrived since the last call, in order, waiting at most `wait` for the first.
  std::vector<kafka::KeyedRecord> Poll(absl::Duration wait);
  // The records up to the end every partition has now. DeadlineExceeded after `timeout`, or the
  // end offsets' error; what a failed call read is kept and returned first by the next call.
  absl::StatusOr<std::vector<kafka::KeyedRecord>> CatchUp(absl::Duration timeout);
  // `arrived` is called on one of librdkafka's threads when something arrives for the next Poll
  // (a record, or an error it reports), so the caller need not wait for its next poll; it must
  // only note the call and return, and call nothing of this tail. nullptr stops the calls.
  void OnArrival(std::function<void()> arrived);

  ~TopicTail();

 private:
  explicit TopicTail(std::string topic) : topic_(std::move(topic)) {}
  // Appends what one poll returned; false when it returned nothing.
  bool PollOnce(int timeout_ms, std::vector<kafka::KeyedRecord>& out);
  // Moves next_offset_ up to the consumer's position, which passes transaction control records.
  void AdvanceToPosition();
  static void Arrived(rd_kafka_t* rk, void* opaque);

  const std::string topic_;
  kafka::KafkaHandle consumer_;
  kafka::QueueHandle queue_;  // the consumer's queue, watched for OnArrival; before consumer_ goes
  absl::Mutex arrived_mu_;
  std::function<void()> arrived_ ABSL_GUARDED_BY(arrived_mu_);
  std::map<int32_t, int64_t> next_offset_;  // per partition: the offset after the last seen
  std::vector<kafka::KeyedRecord> unreturned_;  // read by a CatchUp that failed
};

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_TOPIC_TAIL_H_
