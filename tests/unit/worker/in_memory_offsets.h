// An offsets topic in memory (worker::OffsetBackingStore), for the unit tests of the task loop
// and the herder: the topic's content in an offsets::OffsetTable (so lookups follow the real rule),
// and every write in order.
#ifndef SLUICE_TESTS_UNIT_WORKER_IN_MEMORY_OFFSETS_H_
#define SLUICE_TESTS_UNIT_WORKER_IN_MEMORY_OFFSETS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "runtime/offsets/offset_codec.h"
#include "runtime/offsets/offset_table.h"
#include "runtime/worker/offset_backing_store.h"

namespace sluice::testing {

class InMemoryOffsets : public worker::OffsetBackingStore {
 public:
  absl::Status ReadToEnd(absl::Duration) override { return absl::OkStatus(); }

  std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> OffsetsFor(
      absl::string_view connector) const override {
    absl::MutexLock lock(&mu_);
    return table_.OffsetsFor(connector);
  }

  absl::Status Reset(absl::string_view connector, const offsets::SourcePartition& partition,
                     absl::Duration) override {
    absl::MutexLock lock(&mu_);
    table_.Apply(offsets::EncodeOffsetKey(connector, partition).value(), std::nullopt);
    return absl::OkStatus();
  }

  absl::Status Write(absl::string_view connector,
                     absl::Span<const offsets::CommittableOffset> offsets,
                     absl::Duration) override {
    absl::MutexLock lock(&mu_);
    if (!write_error_.ok()) return write_error_;
    for (const offsets::CommittableOffset& o : offsets) Store(connector, o);
    writes_.emplace_back(offsets.begin(), offsets.end());
    return absl::OkStatus();
  }

  // For tests: an offset committed before the task starts.
  void Put(const std::string& connector, offsets::SourcePartition partition,
           offsets::SourceOffset offset) {
    absl::MutexLock lock(&mu_);
    Store(connector, {std::move(partition), std::move(offset)});
  }
  // Every later Write fails with `error` (OK = they succeed again).
  void FailWrites(absl::Status error) {
    absl::MutexLock lock(&mu_);
    write_error_ = std::move(error);
  }
  std::optional<offsets::SourceOffset> Get(const std::string& connector,
                                           const offsets::SourcePartition& partition) const {
    absl::MutexLock lock(&mu_);
    return table_.Get(connector, partition);
  }
  size_t write_count() const {
    absl::MutexLock lock(&mu_);
    return writes_.size();
  }
  // Every offset written, in order.
  std::vector<offsets::CommittableOffset> written() const {
    absl::MutexLock lock(&mu_);
    std::vector<offsets::CommittableOffset> all;
    for (const auto& write : writes_) all.insert(all.end(), write.begin(), write.end());
    return all;
  }

 private:
  // As the offsets topic holds it: the bytes kafka::OffsetStore would write, looked up by
  // offsets::OffsetTable's rule.
  void Store(absl::string_view connector, const offsets::CommittableOffset& o)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    table_.Apply(offsets::EncodeOffsetKey(connector, o.partition).value(),
                 offsets::EncodeOffsetValue(o.offset).value());
  }

  mutable absl::Mutex mu_;
  offsets::OffsetTable table_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<offsets::CommittableOffset>> writes_ ABSL_GUARDED_BY(mu_);
  absl::Status write_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_UNIT_WORKER_IN_MEMORY_OFFSETS_H_
