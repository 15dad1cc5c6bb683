// An offsets topic in memory (worker::OffsetBackingStore), for the unit tests of the task loop
// and the herder: what was written, per connector, and every write in order.
#ifndef SLUICE_TESTS_UNIT_WORKER_IN_MEMORY_OFFSETS_H_
#define SLUICE_TESTS_UNIT_WORKER_IN_MEMORY_OFFSETS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "runtime/worker/offset_backing_store.h"

namespace sluice::testing {

class InMemoryOffsets : public worker::OffsetBackingStore {
 public:
  absl::Status ReadToEnd(absl::Duration) override { return absl::OkStatus(); }

  std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> OffsetsFor(
      absl::string_view connector) const override {
    absl::MutexLock lock(&mu_);
    auto it = stored_.find(std::string(connector));
    if (it == stored_.end()) return {};
    return it->second;
  }

  absl::Status Reset(absl::string_view connector, const offsets::SourcePartition& partition,
                     absl::Duration) override {
    absl::MutexLock lock(&mu_);
    std::erase_if(stored_[std::string(connector)],
                  [&](const auto& entry) { return entry.first == partition; });
    return absl::OkStatus();
  }

  absl::Status Write(absl::string_view connector,
                     absl::Span<const offsets::CommittableOffset> offsets,
                     absl::Duration) override {
    absl::MutexLock lock(&mu_);
    if (!write_error_.ok()) return write_error_;
    for (const offsets::CommittableOffset& o : offsets) Store(std::string(connector), o);
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
    for (auto& [p, o] : OffsetsFor(connector)) {
      if (p == partition) return o;
    }
    return std::nullopt;
  }
  size_t write_count() const {
    absl::MutexLock lock(&mu_);
    return writes_.size();
  }

 private:
  void Store(const std::string& connector, offsets::CommittableOffset o)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto& entries = stored_[connector];
    for (auto& [p, offset] : entries) {
      if (p == o.partition) {
        offset = std::move(o.offset);
        return;
      }
    }
    entries.emplace_back(std::move(o.partition), std::move(o.offset));
  }

  mutable absl::Mutex mu_;
  std::map<std::string, std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>>>
      stored_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<offsets::CommittableOffset>> writes_ ABSL_GUARDED_BY(mu_);
  absl::Status write_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_UNIT_WORKER_IN_MEMORY_OFFSETS_H_
