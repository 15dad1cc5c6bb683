#include "sluice/binlog/checksum.h"

#include <zlib.h>

#include "absl/strings/str_cat.h"
#include "byte_reader.h"
#include "sluice/binlog/event_header.h"

namespace sluice::binlog {

uint32_t Crc32(std::span<const uint8_t> bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; feed large buffers in pieces.
  const uint8_t* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    uInt n = static_cast<uInt>(left > (1u << 30) ? (1u << 30) : left);
    crc = crc32(crc, p, n);
    p += n;
    left -= n;
  }
  return static_cast<uint32_t>(crc);
}

absl::Status VerifyEventChecksum(std::span<const uint8_t> event, bool clear_in_use_flag) {
  if (event.size() < 4) return absl::DataLossError("event too short to hold a checksum");
  uint32_t stored = static_cast<uint32_t>(internal::LoadLE(event.data() + event.size() - 4, 4));
  std::span<const uint8_t> covered = event.first(event.size() - 4);
  uint32_t computed;
  constexpr size_t kFlagsOffset = 17;  // low byte of the header's flags
  if (clear_in_use_flag && covered.size() > kFlagsOffset &&
      (covered[kFlagsOffset] & kFlagBinlogInUse)) {
    const uint8_t cleared = static_cast<uint8_t>(covered[kFlagsOffset] & ~kFlagBinlogInUse);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, covered.data(), kFlagsOffset);
    crc = crc32(crc, &cleared, 1);
    const std::span<const uint8_t> rest = covered.subspan(kFlagsOffset + 1);
    crc = crc32(crc, rest.data(), static_cast<uInt>(rest.size()));
    computed = static_cast<uint32_t>(crc);
  } else {
    computed = Crc32(covered);
  }
  if (stored != computed) {
    return absl::DataLossError(absl::StrCat("checksum mismatch: event says 0x", absl::Hex(stored),
                                            ", bytes give 0x", absl::Hex(computed)));
  }
  return absl::OkStatus();
}

}  // namespace sluice::binlog
