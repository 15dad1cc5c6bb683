// The offsets topic as the worker, its tasks and the herder use it (Kafka Connect's
// OffsetBackingStore): read it to the end, the committed offsets of a connector, write, reset.
// KafkaOffsetBackingStore (over kafka::OffsetStore) in production; an in-memory store in the
// unit tests of the task loop and the herder.
#ifndef SLUICE_RUNTIME_WORKER_OFFSET_BACKING_STORE_H_
#define SLUICE_RUNTIME_WORKER_OFFSET_BACKING_STORE_H_

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "runtime/kafka/offset_store.h"
#include "runtime/offsets/offset_writer.h"
#include "runtime/offsets/source_offset.h"
#include "runtime/offsets/submitted_records.h"

namespace sluice::worker {

// Threads: every method may be called from any thread.
class OffsetBackingStore : public offsets::OffsetWriter {
 public:
  // Reads the whole offsets topic again, so offsets committed elsewhere (another worker, an
  // alter) are known. DeadlineExceeded when the end is not reached within `timeout`.
  virtual absl::Status ReadToEnd(absl::Duration timeout) = 0;

  // Every partition with a stored offset for `connector`, as last read or written.
  virtual std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> OffsetsFor(
      absl::string_view connector) const = 0;

  // Writes a tombstone for (connector, partition): the connector starts that partition over.
  virtual absl::Status Reset(absl::string_view connector, const offsets::SourcePartition& partition,
                             absl::Duration timeout) = 0;

  // offsets::OffsetWriter::Write: stores `offsets` for `connector`, waiting for Kafka.
};

// The offsets topic itself: every call goes to kafka::OffsetStore.
class KafkaOffsetBackingStore final : public OffsetBackingStore {
 public:
  explicit KafkaOffsetBackingStore(std::unique_ptr<kafka::OffsetStore> store)
      : store_(std::move(store)) {}

  absl::Status ReadToEnd(absl::Duration timeout) override { return store_->ReadToEnd(timeout); }
  std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> OffsetsFor(
      absl::string_view connector) const override {
    return store_->OffsetsFor(connector);
  }
  absl::Status Reset(absl::string_view connector, const offsets::SourcePartition& partition,
                     absl::Duration timeout) override {
    return store_->Reset(connector, partition, timeout);
  }
  absl::Status Write(absl::string_view connector,
                     absl::Span<const offsets::CommittableOffset> offsets,
                     absl::Duration timeout) override {
    return store_->Write(connector, offsets, timeout);
  }

 private:
  const std::unique_ptr<kafka::OffsetStore> store_;
};

// Another store's writes, each allowed only while `fence` answers OK (a cluster worker's lease,
// docs/cluster.md): a worker that lost its membership cannot commit an offset for a task it may no
// longer own, even on the way out. Reads pass through. The fence's error is returned as it is.
class FencedOffsetBackingStore final : public OffsetBackingStore {
 public:
  FencedOffsetBackingStore(std::unique_ptr<OffsetBackingStore> store,
                           std::function<absl::Status()> fence)
      : store_(std::move(store)), fence_(std::move(fence)) {}

  absl::Status ReadToEnd(absl::Duration timeout) override { return store_->ReadToEnd(timeout); }
  std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> OffsetsFor(
      absl::string_view connector) const override {
    return store_->OffsetsFor(connector);
  }
  absl::Status Reset(absl::string_view connector, const offsets::SourcePartition& partition,
                     absl::Duration timeout) override {
    if (absl::Status s = fence_(); !s.ok()) return s;
    return store_->Reset(connector, partition, timeout);
  }
  absl::Status Write(absl::string_view connector,
                     absl::Span<const offsets::CommittableOffset> offsets,
                     absl::Duration timeout) override {
    if (absl::Status s = fence_(); !s.ok()) return s;
    return store_->Write(connector, offsets, timeout);
  }

 private:
  const std::unique_ptr<OffsetBackingStore> store_;
  const std::function<absl::Status()> fence_;
};

// A connector with its own `offsets.storage.topic` (Kafka Connect's ConnectorOffsetBackingStore):
// its offsets are written to its own topic; read from it and from the worker's, its own winning
// for a partition both hold, so a connector that moves to a topic of its own resumes where it was.
// Both stores outlive this one.
class ConnectorOffsetBackingStore final : public OffsetBackingStore {
 public:
  ConnectorOffsetBackingStore(OffsetBackingStore* own, OffsetBackingStore* worker)
      : own_(own), worker_(worker) {}

  absl::Status ReadToEnd(absl::Duration timeout) override {
    if (absl::Status status = own_->ReadToEnd(timeout); !status.ok()) return status;
    return worker_->ReadToEnd(timeout);
  }
  std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> OffsetsFor(
      absl::string_view connector) const override {
    std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> offsets =
        own_->OffsetsFor(connector);
    const size_t own = offsets.size();
    for (auto& [partition, offset] : worker_->OffsetsFor(connector)) {
      bool shadowed = false;
      for (size_t i = 0; i < own && !shadowed; ++i) shadowed = offsets[i].first == partition;
      if (!shadowed) offsets.emplace_back(std::move(partition), std::move(offset));
    }
    return offsets;
  }
  // A reset forgets the partition in both, or the worker's would be found again.
  absl::Status Reset(absl::string_view connector, const offsets::SourcePartition& partition,
                     absl::Duration timeout) override {
    if (absl::Status status = own_->Reset(connector, partition, timeout); !status.ok()) {
      return status;
    }
    return worker_->Reset(connector, partition, timeout);
  }
  absl::Status Write(absl::string_view connector,
                     absl::Span<const offsets::CommittableOffset> offsets,
                     absl::Duration timeout) override {
    return own_->Write(connector, offsets, timeout);
  }

 private:
  OffsetBackingStore* const own_;
  OffsetBackingStore* const worker_;
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_OFFSET_BACKING_STORE_H_
