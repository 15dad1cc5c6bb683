#include "connectors/mysql/connector/transaction_metadata.h"

#include <algorithm>

namespace sluice::mysql {
namespace {

// java.lang.String.hashCode of `text` (UTF-8): over its UTF-16 code units.
uint32_t JavaStringHash(const std::string& text) {
  uint32_t hash = 0;
  auto add = [&hash](uint32_t unit) { hash = hash * 31 + unit; };
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    uint32_t point = byte;
    size_t length = 1;
    if (byte >= 0xF0) {
      point = byte & 0x07;
      length = 4;
    } else if (byte >= 0xE0) {
      point = byte & 0x0F;
      length = 3;
    } else if (byte >= 0xC0) {
      point = byte & 0x1F;
      length = 2;
    }
    for (size_t k = 1; k < length && i + k < text.size(); ++k) {
      point = (point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    i += length;
    if (point >= 0x10000) {
      point -= 0x10000;
      add(0xD800 + (point >> 10));
      add(0xDC00 + (point & 0x3FF));
    } else {
      add(point);
    }
  }
  return hash;
}

}  // namespace

std::vector<std::pair<std::string, int64_t>> JavaHashMapOrder(
    std::vector<std::pair<std::string, int64_t>> entries, size_t* capacity) {
  // HashMap doubles its table when a put makes it more than 3/4 full.
  while (entries.size() > *capacity / 4 * 3) *capacity *= 2;
  const size_t mask = *capacity - 1;
  auto bucket = [mask](const std::string& key) {
    const uint32_t hash = JavaStringHash(key);
    return (hash ^ (hash >> 16)) & mask;
  };
  // By bucket; within one, in insertion order (a resize keeps the relative order of a bucket's
  // keys).
  std::stable_sort(entries.begin(), entries.end(), [&bucket](const auto& a, const auto& b) {
    return bucket(a.first) < bucket(b.first);
  });
  return entries;
}

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

void TransactionMetadata::Count(const std::string& name, int events) {
  info_.total_order = events_count_ + 1;
  events_count_ += events;
  int64_t order = 0;
  for (auto& [collection, count] : collections_) {
    if (collection == name) {
      order = count + 1;
      count += events;
    }
  }
  if (order == 0) {
    collections_.emplace_back(name, events);
    order = 1;
  }
  info_.data_collection_order = order;
}

absl::Status TransactionMetadata::End(sluice_batch* batch, int64_t ts_ms,
                                      const OffsetState& offset) {
  if (!begun_) return absl::OkStatus();
  begun_ = false;
  return events_.End(batch, info_.id, events_count_,
                     JavaHashMapOrder(collections_, &capacity_), ts_ms, offset);
}

}  // namespace sluice::mysql
