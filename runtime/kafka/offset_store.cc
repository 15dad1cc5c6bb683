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
  // Either way a read is all-or-nothing: what it visits is gathered apart and applied only once
  // the end is reached, so a read that fails half-way (the broker gone after some records came)
  // changes nothing, and Get never sees part of a read. Applying as the records came would also
  // have been sound (each key lives in one partition, read in order, so a key's value is only
  // ever one the topic held), but then a failed read would leave the table ahead of the last
  // read that succeeded and behind the topic, which a caller told "failed" would not expect.
  // After a failure the kept reader is dropped: it has visited records that were not applied,
  // so the next read is a whole read (a new reader from the beginning), which re-reads them and
  // skips nothing.
  struct Read {
    std::optional<std::string> key, value;
  };
  std::vector<Read> read;
  auto gather = [&](std::optional<absl::string_view> key, std::optional<absl::string_view> value) {
    read.push_back(Read{key.has_value() ? std::optional<std::string>(*key) : std::nullopt,
                        value.has_value() ? std::optional<std::string>(*value) : std::nullopt});
  };
  const bool whole = reader_ == nullptr;
  if (whole) {
    absl::StatusOr<std::unique_ptr<TopicReader>> reader = log_->OpenReader(timeout);
    if (!reader.ok()) return reader.status();
    reader_ = *std::move(reader);
  }
  if (absl::Status s = reader_->ReadToEnd(gather, deadline - absl::Now()); !s.ok()) {
    reader_ = nullptr;
    return s;
  }
  // A whole read replaces what this store knew; a kept reader's adds what was written since the
  // last read on top of it (this store's own writes included: the topic's order decides, as a
  // whole read would).
  absl::MutexLock lock(&mu_);
  if (whole) {
    table_ = offsets::OffsetTable();
    skipped_ = 0;
  }
  for (const Read& r : read) {
    if (!table_.Apply(r.key, r.value)) ++skipped_;
  }
  return absl::OkStatus();
}

}  // namespace sluice::kafka
