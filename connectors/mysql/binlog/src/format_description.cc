#include "sluice/binlog/format_description.h"

#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "byte_reader.h"

namespace sluice::binlog {
namespace {

constexpr size_t kServerVersionLength = 50;

bool HasChecksumAlgorithmByte(const FormatDescription& fd) {
  if (fd.flavor == ServerFlavor::kMariaDB) return fd.version >= ServerVersion{5, 3, 0};
  return fd.version >= ServerVersion{5, 6, 1};
}

}  // namespace

ServerVersion ParseServerVersion(std::string_view text) {
  int parts[3] = {0, 0, 0};
  size_t i = 0;
  for (int part = 0; part < 3; ++part) {
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      parts[part] = parts[part] * 10 + (text[i] - '0');
      if (parts[part] > 100000) parts[part] = 100000;  // garbage stays bounded
      ++i;
    }
    if (i >= text.size() || text[i] != '.') break;
    ++i;
  }
  return {parts[0], parts[1], parts[2]};
}

FormatDescription FormatDescription::Default() {
  FormatDescription fd;
  auto set = [&fd](EventType t, uint8_t n) { fd.post_header_lengths[static_cast<uint8_t>(t)] = n; };
  set(EventType::kQuery, 13);
  set(EventType::kRotate, 8);
  set(EventType::kFormatDescription, 84);
  set(EventType::kTableMap, 8);
  set(EventType::kWriteRowsV1, 8);
  set(EventType::kUpdateRowsV1, 8);
  set(EventType::kDeleteRowsV1, 8);
  set(EventType::kWriteRowsV2, 10);
  set(EventType::kUpdateRowsV2, 10);
  set(EventType::kDeleteRowsV2, 10);
  set(EventType::kPartialUpdateRows, 10);
  set(EventType::kIncident, 2);
  set(EventType::kGtid, 42);
  set(EventType::kAnonymousGtid, 42);
  set(EventType::kMariaAnnotateRows, 0);
  set(EventType::kMariaBinlogCheckpoint, 4);
  set(EventType::kMariaGtid, 19);
  set(EventType::kMariaGtidList, 4);
  set(EventType::kMariaQueryCompressed, 13);
  set(EventType::kMariaWriteRowsCompressedV1, 8);
  set(EventType::kMariaUpdateRowsCompressedV1, 8);
  set(EventType::kMariaDeleteRowsCompressedV1, 8);
  set(EventType::kMariaWriteRowsCompressed, 10);
  set(EventType::kMariaUpdateRowsCompressed, 10);
  set(EventType::kMariaDeleteRowsCompressed, 10);
  return fd;
}

absl::StatusOr<FormatDescription> ParseFormatDescription(std::span<const uint8_t> data) {
  internal::ByteReader r(data);
  FormatDescription fd;
  fd.binlog_version = r.U16("binlog version");
  std::string_view version = r.String(kServerVersionLength, "server version");
  fd.create_timestamp = r.U32("create timestamp");
  fd.common_header_length = r.U8("common header length");
  if (!r.ok()) return r.status();
  if (fd.binlog_version != 4) {
    return absl::UnimplementedError(absl::StrCat("binlog version ", fd.binlog_version,
                                                 " is not supported; only v4 (MySQL 5.0+) is"));
  }
  if (fd.common_header_length < 19) {
    return absl::DataLossError(
        absl::StrCat("common header length ", fd.common_header_length, " is smaller than 19"));
  }
  fd.server_version = std::string(version.substr(0, version.find('\0')));
  fd.version = ParseServerVersion(fd.server_version);
  fd.flavor = absl::StrContains(fd.server_version, "MariaDB") ? ServerFlavor::kMariaDB
                                                              : ServerFlavor::kMySQL;
  std::span<const uint8_t> lengths = r.Rest();
  if (HasChecksumAlgorithmByte(fd)) {
    // The array is followed by the algorithm byte and a 4-byte checksum slot (present even
    // when the algorithm is OFF).
    if (lengths.size() < 1 + 4) {
      return absl::DataLossError("truncated: no room for the checksum algorithm byte");
    }
    uint8_t alg = lengths[lengths.size() - 5];
    switch (alg) {
      case 0:
        fd.checksum = ChecksumAlgorithm::kOff;
        break;
      case 1:
        fd.checksum = ChecksumAlgorithm::kCrc32;
        break;
      case 255:
        fd.checksum = ChecksumAlgorithm::kUndefined;
        break;
      default:
        return absl::DataLossError(absl::StrCat("unknown checksum algorithm ", alg));
    }
    lengths = lengths.first(lengths.size() - 5);
  }
  // Entry i describes event type i + 1.
  for (size_t i = 0; i < lengths.size() && i + 1 < fd.post_header_lengths.size(); ++i) {
    fd.post_header_lengths[i + 1] = lengths[i];
  }
  return fd;
}

}  // namespace sluice::binlog
