#include "connectors/mysql/connector/transaction_metadata.h"

namespace sluice::mysql {

void TransactionMetadata::Reset() {
  begun_ = false;
  events_count_ = 0;
  collections_.clear();
}

absl::Status TransactionMetadata::Begin(sluice_batch* batch, std::string id, int64_t ts_ms,
                                        const OffsetState* begin_offset) {
  begun_ = true;
  info_.id = std::move(id);
  if (begin_offset == nullptr) return absl::OkStatus();
  return events_.Begin(batch, info_.id, ts_ms, *begin_offset);
}

void TransactionMetadata::Count(const std::string& name) {
  ++events_count_;
  int64_t order = 0;
  for (auto& [collection, count] : collections_) {
    if (collection == name) order = ++count;
  }
  if (order == 0) {
    collections_.emplace_back(name, 1);
    order = 1;
  }
  info_.total_order = events_count_;
  info_.data_collection_order = order;
}

absl::Status TransactionMetadata::End(sluice_batch* batch, int64_t ts_ms,
                                      const OffsetState& offset) {
  if (!begun_) return absl::OkStatus();
  begun_ = false;
  return events_.End(batch, info_.id, events_count_, collections_, ts_ms, offset);
}

}  // namespace sluice::mysql
