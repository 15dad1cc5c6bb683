// CRC32 event checksums (binlog_checksum=CRC32): zlib's CRC-32 of the whole event except its
// last four bytes, stored little-endian in those bytes.
#ifndef SLUICE_BINLOG_CHECKSUM_H_
#define SLUICE_BINLOG_CHECKSUM_H_

#include <cstdint>
#include <span>

#include "absl/status/status.h"

namespace sluice::binlog {

uint32_t Crc32(std::span<const uint8_t> bytes);

// OK when the last four bytes of `event` hold the CRC32 of the rest; DataLoss naming both
// values otherwise. A FORMAT_DESCRIPTION's checksum is computed with the "binlog in use" flag
// clear: the server sets that flag in the file after writing the event, and clears it again
// on a clean close, so `clear_in_use_flag` must be true for FORMAT_DESCRIPTION events.
absl::Status VerifyEventChecksum(std::span<const uint8_t> event, bool clear_in_use_flag = false);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_CHECKSUM_H_
