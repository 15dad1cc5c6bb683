// Decompression of MariaDB's compressed events (zlib). MySQL's transaction payloads are
// decompressed incrementally by PayloadReader (transaction_payload.h).
#ifndef SLUICE_BINLOG_SRC_COMPRESSION_H_
#define SLUICE_BINLOG_SRC_COMPRESSION_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"

namespace sluice::binlog::internal {

// A MariaDB compressed record: one header byte (bit 7 set; bits 4-6 algorithm, 0 = zlib;
// bits 0-2 = how many bytes of length follow), the uncompressed length big-endian, zlib data.
absl::StatusOr<std::vector<uint8_t>> UncompressMariaDbRecord(std::span<const uint8_t> record,
                                                             uint64_t max_size);

}  // namespace sluice::binlog::internal

#endif  // SLUICE_BINLOG_SRC_COMPRESSION_H_
