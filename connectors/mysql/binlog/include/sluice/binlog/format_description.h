// FORMAT_DESCRIPTION_EVENT: the first event of every binlog file. It says how long each event
// type's fixed part (post-header) is and whether events end in a CRC32, so it governs how every
// later event is read.
#ifndef SLUICE_BINLOG_FORMAT_DESCRIPTION_H_
#define SLUICE_BINLOG_FORMAT_DESCRIPTION_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "sluice/binlog/event_type.h"

namespace sluice::binlog {

enum class ChecksumAlgorithm : uint8_t { kOff = 0, kCrc32 = 1, kUndefined = 255 };

enum class ServerFlavor : uint8_t { kMySQL, kMariaDB };

struct ServerVersion {
  int major = 0, minor = 0, patch = 0;
  friend auto operator<=>(const ServerVersion&, const ServerVersion&) = default;
};

struct FormatDescription {
  uint16_t binlog_version = 4;
  std::string server_version;  // e.g. "10.11.6-MariaDB-log", "8.0.36"
  ServerVersion version;
  ServerFlavor flavor = ServerFlavor::kMySQL;
  uint32_t create_timestamp = 0;
  uint8_t common_header_length = 19;
  // Indexed by event type code; 0 where the server did not say.
  std::array<uint8_t, 256> post_header_lengths{};
  ChecksumAlgorithm checksum = ChecksumAlgorithm::kOff;

  uint8_t PostHeaderLength(EventType type) const {
    return post_header_lengths[static_cast<uint8_t>(type)];
  }

  // What to assume before any FORMAT_DESCRIPTION has been seen (the artificial ROTATE that
  // starts a dump stream comes first): the post-header lengths every v4 server uses.
  static FormatDescription Default();
};

// Parses the event data (everything after the common header, checksum included when the event
// carries one). Whether a checksum-algorithm byte is present is decided by the server version,
// as the servers do: MySQL from 5.6.1, MariaDB from 5.3.
absl::StatusOr<FormatDescription> ParseFormatDescription(std::span<const uint8_t> data);

// "10.11.6-MariaDB-log" -> {10, 11, 6}; missing parts read as 0.
ServerVersion ParseServerVersion(std::string_view text);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_FORMAT_DESCRIPTION_H_
