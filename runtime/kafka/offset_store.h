// Source offsets in Kafka Connect's offsets topic (`offset.storage.topic`), byte-compatible with
// Kafka Connect's KafkaOffsetBackingStore: key `["<connector>",{partition}]`, value `{offset}`
// (runtime/offsets/offset_codec.h), a null value resets, keyed records partitioned by murmur2 as
// the Java producer partitions them. What it read is an offsets::OffsetTable, whose lookup rule
// (byte-exact keys, so a partition's fields count in order) is the store's.
//
// Threads: all methods may be called from any thread; writes are serialised.
#ifndef SLUICE_RUNTIME_KAFKA_OFFSET_STORE_H_
#define SLUICE_RUNTIME_KAFKA_OFFSET_STORE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "runtime/kafka/compacted_topic.h"
#include "runtime/offsets/offset_table.h"
#include "runtime/offsets/offset_writer.h"
#include "runtime/offsets/source_offset.h"
#include "runtime/offsets/submitted_records.h"

namespace sluice::kafka {

struct OffsetStoreOptions {
  std::string bootstrap_servers;
  std::string topic;                                      // offset.storage.topic
  std::map<std::string, std::string> producer_overrides;  // `producer.*`
  std::map<std::string, std::string> consumer_overrides;  // `consumer.*`
};

class OffsetStore : public offsets::OffsetWriter {
 public:
  static absl::StatusOr<std::unique_ptr<OffsetStore>> Create(const OffsetStoreOptions& options);
  ~OffsetStore() override;
  OffsetStore(const OffsetStore&) = delete;
  OffsetStore& operator=(const OffsetStore&) = delete;

  // Reads the topic to the end offsets it has when called: the last value per key wins, a null
  // value deletes. Records whose key or value is not in Kafka Connect's format are skipped and
  // counted (skipped_records()). The first read (and the first after a failed one) reads the
  // whole topic and replaces what this store knew; the reader is kept, and later reads add only
  // the records written since, so a read before every commit (the commit guard) costs one
  // ListOffsets request and the new records, not the topic. All or nothing: a read that fails
  // (half-way included) changes nothing this store knows, and the next read re-reads whatever it
  // had reached. DeadlineExceeded when the end is not reached within `timeout`.
  absl::Status ReadToEnd(absl::Duration timeout);

  // The last offset stored for (connector, partition), or nullopt (OffsetTable::Get).
  std::optional<offsets::SourceOffset> Get(absl::string_view connector,
                                           const offsets::SourcePartition& partition) const;

  // Every partition with a stored offset for `connector` (OffsetTable::OffsetsFor): what a task
  // receives when it starts.
  std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> OffsetsFor(
      absl::string_view connector) const;

  // Writes `offsets` for `connector` and waits until Kafka acknowledged all of them (acks=all).
  // Only then does Get reflect them. On error nothing is assumed written (some records may be;
  // a later write of the same keys supersedes them, as in Kafka Connect).
  absl::Status Write(absl::string_view connector,
                     absl::Span<const offsets::CommittableOffset> offsets,
                     absl::Duration timeout) override;

  // Writes a null value (tombstone) for (connector, partition): the connector starts over.
  absl::Status Reset(absl::string_view connector, const offsets::SourcePartition& partition,
                     absl::Duration timeout);

  int64_t skipped_records() const;

 private:
  explicit OffsetStore(std::unique_ptr<CompactedTopic> log) : log_(std::move(log)) {}

  const std::unique_ptr<CompactedTopic> log_;
  // One read at a time; the reader kept between reads (null before the first, and after one
  // failed: the next reads the whole topic again).
  absl::Mutex read_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  std::unique_ptr<TopicReader> reader_ ABSL_GUARDED_BY(read_mu_);
  mutable absl::Mutex mu_;
  offsets::OffsetTable table_ ABSL_GUARDED_BY(mu_);
  int64_t skipped_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_OFFSET_STORE_H_
