#include "runtime/kafka/offset_store.h"

#include <utility>
#include <vector>

#include "runtime/common/failpoint.h"
#include "runtime/offsets/offset_codec.h"

namespace sluice::kafka {

absl::StatusOr<std::unique_ptr<OffsetStore>> OffsetStore::Create(
    const OffsetStoreOptions& options) {
  if (options.topic.empty())
    return absl::InvalidArgumentError("offset store: no topic (offset.storage.topic)");
  absl::StatusOr<std::unique_ptr<CompactedTopic>> log = CompactedTopic::Create(
      CompactedTopicOptions{options.bootstrap_servers, options.topic, options.producer_overrides,
                            options.consumer_overrides, "sluice-offsets"});
  if (!log.ok()) return log.status();
  return std::unique_ptr<OffsetStore>(new OffsetStore(*std::move(log)));
}

OffsetStore::~OffsetStore() = default;

absl::Status OffsetStore::Write(absl::string_view connector,
                                absl::Span<const offsets::CommittableOffset> offsets,
                                absl::Duration timeout) {
  std::vector<KeyedRecord> records;
  records.reserve(offsets.size());
  for (const offsets::CommittableOffset& o : offsets) {
    absl::StatusOr<std::string> key = offsets::EncodeOffsetKey(connector, o.partition);
    if (!key.ok()) return key.status();
    absl::StatusOr<std::string> value = offsets::EncodeOffsetValue(o.offset);
    if (!value.ok()) return value.status();
    records.push_back(KeyedRecord{*std::move(key), *std::move(value)});
  }
  if (absl::Status s = log_->Write(records, timeout); !s.ok()) return s;
  // The offsets are in Kafka; the task has not heard so (nor acknowledged them to the plugin).
  SLUICE_FAILPOINT("offset_commit.after_write");
  absl::MutexLock lock(&mu_);
  for (const KeyedRecord& r : records) table_.Apply(r.key, r.value);
  return absl::OkStatus();
}

absl::Status OffsetStore::Reset(absl::string_view connector,
                                const offsets::SourcePartition& partition, absl::Duration timeout) {
  absl::StatusOr<std::string> key = offsets::EncodeOffsetKey(connector, partition);
  if (!key.ok()) return key.status();
  if (absl::Status s = log_->Write({KeyedRecord{*key, std::nullopt}}, timeout); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  table_.Apply(*key, std::nullopt);
  return absl::OkStatus();
}

std::optional<offsets::SourceOffset> OffsetStore::Get(
    absl::string_view connector, const offsets::SourcePartition& partition) const {
  absl::MutexLock lock(&mu_);
  return table_.Get(connector, partition);
}

std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> OffsetStore::OffsetsFor(
    absl::string_view connector) const {
  absl::MutexLock lock(&mu_);
  return table_.OffsetsFor(connector);
}

int64_t OffsetStore::skipped_records() const {
  absl::MutexLock lock(&mu_);
  return skipped_;
}

absl::Status OffsetStore::ReadToEnd(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock read_lock(&read_mu_);
  if (reader_ != nullptr) {
    // What was written since the last read, on top of what this store knows (its own writes
    // included: the topic's order decides, as a whole read would).
    absl::Status status = reader_->ReadToEnd(
        [&](std::optional<absl::string_view> key, std::optional<absl::string_view> value) {
          absl::MutexLock lock(&mu_);
          if (!table_.Apply(key, value)) ++skipped_;
        },
        timeout);
    if (!status.ok()) reader_ = nullptr;
    return status;
  }
  absl::StatusOr<std::unique_ptr<TopicReader>> reader = log_->OpenReader(timeout);
  if (!reader.ok()) return reader.status();
  offsets::OffsetTable table;
  int64_t skipped = 0;
  auto apply = [&](std::optional<absl::string_view> key, std::optional<absl::string_view> value) {
    if (!table.Apply(key, value)) ++skipped;
  };
  if (absl::Status s = (*reader)->ReadToEnd(apply, deadline - absl::Now()); !s.ok()) return s;
  reader_ = *std::move(reader);
  absl::MutexLock lock(&mu_);
  table_ = std::move(table);
  skipped_ = skipped;
  return absl::OkStatus();
}

}  // namespace sluice::kafka
