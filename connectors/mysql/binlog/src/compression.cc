#include "compression.h"

#include <zlib.h>

#include "absl/strings/str_cat.h"
#include "byte_reader.h"

namespace sluice::binlog::internal {

absl::StatusOr<std::vector<uint8_t>> UncompressMariaDbRecord(std::span<const uint8_t> record,
                                                             uint64_t max_size) {
  if (record.empty()) return absl::DataLossError("compressed record is empty");
  uint8_t header = record[0];
  if ((header & 0x80) == 0) return absl::DataLossError("compressed record lacks its marker bit");
  int algorithm = (header >> 4) & 0x7;
  if (algorithm != 0) {
    return absl::UnimplementedError(
        absl::StrCat("compression algorithm ", algorithm, " is unknown (only zlib, 0, exists)"));
  }
  size_t length_bytes = header & 0x7;
  if (length_bytes < 1 || length_bytes > 4) {
    return absl::DataLossError(
        absl::StrCat("compressed record length of ", length_bytes, " bytes is impossible"));
  }
  if (record.size() < 1 + length_bytes) return absl::DataLossError("compressed record truncated");
  uint64_t size = LoadBE(record.data() + 1, length_bytes);
  if (size > max_size) {
    return absl::ResourceExhaustedError(
        absl::StrCat("compressed record claims ", size, " bytes, more than the limit ", max_size));
  }
  std::vector<uint8_t> out(size);
  uLongf out_len = static_cast<uLongf>(size);
  std::span<const uint8_t> body = record.subspan(1 + length_bytes);
  int rc = uncompress(out.data(), &out_len, body.data(), static_cast<uLong>(body.size()));
  if (rc != Z_OK || out_len != size) {
    return absl::DataLossError(absl::StrCat("zlib could not uncompress the record (code ", rc,
                                            ", got ", out_len, " of ", size, " bytes)"));
  }
  return out;
}

}  // namespace sluice::binlog::internal
