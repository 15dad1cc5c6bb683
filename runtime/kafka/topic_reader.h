// One topic read forward (Kafka Connect's KafkaBasedLog consumer): a consumer assigned to every
// partition from the beginning, whose ReadToEnd visits the records from where the last read
// stopped up to the end offsets the topic has when called. A reader kept between reads costs only
// what is new: one ListOffsets request when nothing is, where a fresh one reads the whole topic.
// The offsets store keeps one, so the commit guard's read before every commit
// (worker::GuardedOffsetWriter) does not read the offsets topic from the beginning each time;
// CompactedTopic::ReadToEnd opens one per read.
//
// A reader kept between reads fetches in the background (`kept`: at most two fetch requests a
// second while nothing is written), so a read mostly finds the new records already fetched.
// Partitions added to the topic after Open are not read.
//
// Threads: one call at a time; the owner serialises them.
#ifndef SLUICE_RUNTIME_KAFKA_TOPIC_READER_H_
#define SLUICE_RUNTIME_KAFKA_TOPIC_READER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "runtime/kafka/handles.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::kafka {

struct TopicReaderOptions {
  std::string bootstrap_servers;
  std::string topic;
  std::map<std::string, std::string> consumer_overrides;  // `consumer.*`
  std::string client_id;                                  // the consumer's client.id and group.id
  bool kept = false;  // read more than once: see above
};

class TopicReader {
 public:
  // The consumer, its partitions (one metadata request) assigned from the beginning.
  // NotFound without the topic; Unavailable for what may pass by itself.
  static absl::StatusOr<std::unique_ptr<TopicReader>> Open(const TopicReaderOptions& options,
                                                           absl::Duration timeout);
  ~TopicReader();
  TopicReader(const TopicReader&) = delete;
  TopicReader& operator=(const TopicReader&) = delete;

  // Calls `visit` for every record after the last one visited (the first call: from the
  // beginning) up to the end offsets the topic has when called, in offset order per partition
  // (TopicLog::ReadToEnd's promises, from where the last read stopped). On error what was visited
  // stays visited; the next call continues after it. DeadlineExceeded when the end is not reached
  // within `timeout`.
  absl::Status ReadToEnd(const TopicLog::Visitor& visit, absl::Duration timeout);

 private:
  TopicReader(std::string topic, KafkaHandle consumer, KafkaHandle lister, int partitions);

  const std::string topic_;
  KafkaHandle consumer_;
  KafkaHandle lister_;  // a kept reader's: asks for the end offsets (Open says why); else null
  const int partitions_;
  TopicPartitionListHandle all_;  // every partition
  std::vector<int64_t> next_;     // per partition: the offset after the last record (or EOF) seen
};

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_TOPIC_READER_H_
