#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_BATCH_BUDGET_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_BATCH_BUDGET_H_

// How much one poll hands over to the worker: at most max.batch.size records and about
// max.queue.size.in.bytes bytes. The bytes are the rows' size at the source (the binlog row
// image, or the snapshot row's text), plus a fixed allowance per record for its envelope: an
// estimate that costs nothing per field, close enough to bound memory whatever a transaction's
// size or a row's width. The worker bounds what it holds beyond that (producer.buffer.memory).
//
// Thread: the task thread.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "connectors/mysql/connector/config.h"
#include "sluice/connector.h"

namespace sluice::mysql {

class BatchBudget {
 public:
  // max.queue.size.in.bytes=0 (Debezium's "no byte bound") still bounds a hand-over here.
  static constexpr int64_t kDefaultBytes = int64_t{64} << 20;
  // Per record: the source block, envelope and key, which the row's own size does not count.
  static constexpr int64_t kRecordOverhead = 256;

  explicit BatchBudget(const ConnectorConfig& config)
      : max_records_(config.max_batch_size),
        max_bytes_(config.max_queue_size_in_bytes > 0 ? config.max_queue_size_in_bytes
                                                      : kDefaultBytes) {}

  // A new poll: its batch starts empty.
  void Reset() {
    bytes_ = 0;
    records_ = 0;
  }
  // One row (or record) of `bytes` at the source was appended, as `records` records.
  void Add(size_t bytes, size_t records = 1) {
    bytes_ += static_cast<int64_t>(bytes) + kRecordOverhead * static_cast<int64_t>(records);
    records_ += static_cast<int64_t>(records);
    peak_bytes_ = std::max(peak_bytes_, bytes_);
    peak_records_ = std::max(peak_records_, records_);
  }
  // True when the batch may take no more: either bound reached.
  bool Full(const sluice_host_api* api, const sluice_batch* batch) const {
    return bytes_ >= max_bytes_ || api->batch_size(batch) >= static_cast<size_t>(max_records_);
  }

  int64_t max_bytes() const { return max_bytes_; }
  int64_t bytes() const { return bytes_; }
  // The largest hand-over so far (bytes as estimated; records counted here).
  int64_t peak_bytes() const { return peak_bytes_; }
  int64_t peak_records() const { return peak_records_; }
  // Records this poll's batch still has room for.
  int64_t room_records() const { return max_records_ > records_ ? max_records_ - records_ : 0; }

 private:
  int64_t max_records_;
  int64_t max_bytes_;
  int64_t bytes_ = 0, records_ = 0;
  int64_t peak_bytes_ = 0, peak_records_ = 0;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_BATCH_BUDGET_H_
