// The events inside a MySQL TRANSACTION_PAYLOAD_EVENT (binlog_transaction_compression=ON),
// read one at a time and decompressed as they are read, so a transaction of any size passes
// through in memory bounded by its largest event (DESIGN.md: bounded memory).
#ifndef SLUICE_BINLOG_TRANSACTION_PAYLOAD_H_
#define SLUICE_BINLOG_TRANSACTION_PAYLOAD_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "sluice/binlog/events.h"

namespace sluice::binlog {

class PayloadReader {
 public:
  // `payload` views the bytes of its event: they must outlive the reader. Inner events larger
  // than `max_event_size` are refused (ResourceExhausted).
  explicit PayloadReader(const TransactionPayloadEvent& payload,
                         uint64_t max_event_size = uint64_t{1} << 30);
  ~PayloadReader();
  PayloadReader(const PayloadReader&) = delete;
  PayloadReader& operator=(const PayloadReader&) = delete;

  // The next inner event, whole (header first, no checksum), in a buffer of its own that the
  // decoded Event can keep (BinlogDecoder::DecodeEmbedded). False after the last event; an
  // error when the payload is corrupt, truncated, or does not add up to its stated size.
  absl::StatusOr<bool> Next(std::shared_ptr<const std::vector<uint8_t>>* event);

 private:
  // Produces exactly `n` bytes into `dst`; *got says how many arrived before the data ended.
  absl::Status Read(uint8_t* dst, size_t n, size_t* got);

  const TransactionPayloadEvent& payload_;
  const uint64_t max_event_size_;
  void* zstd_ = nullptr;  // ZSTD_DCtx, kept out of this header
  size_t input_pos_ = 0;
  uint64_t produced_ = 0;
  bool failed_ = false;
};

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_TRANSACTION_PAYLOAD_H_
