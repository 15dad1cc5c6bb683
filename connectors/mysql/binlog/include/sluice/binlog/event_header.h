// The 19-byte header that starts every v4 binlog event.
#ifndef SLUICE_BINLOG_EVENT_HEADER_H_
#define SLUICE_BINLOG_EVENT_HEADER_H_

#include <cstdint>
#include <span>

#include "absl/status/statusor.h"
#include "sluice/binlog/event_type.h"

namespace sluice::binlog {

inline constexpr size_t kEventHeaderSize = 19;
inline constexpr size_t kChecksumSize = 4;

// Header flags worth knowing about (LOG_EVENT_*_F).
inline constexpr uint16_t kFlagBinlogInUse = 0x01;  // on the FDE of a file not closed cleanly
inline constexpr uint16_t kFlagArtificial = 0x20;   // made up by the server for the dump stream
inline constexpr uint16_t kFlagRelayLog = 0x40;
// LOG_EVENT_IGNORABLE_F: a reader that does not know the event's type may skip it.
inline constexpr uint16_t kFlagIgnorable = 0x80;

struct EventHeader {
  uint32_t timestamp = 0;  // seconds since the epoch, when the statement began
  EventType type = EventType::kUnknown;
  uint32_t server_id = 0;
  uint32_t event_size = 0;  // header + data + checksum
  uint32_t log_pos = 0;     // position just past this event in the server's file; 0 = artificial
  uint16_t flags = 0;
};

// Reads the header from the first 19 bytes of `event`. Checks only what the header alone can
// prove: that 19 bytes exist and event_size is at least 19.
absl::StatusOr<EventHeader> ParseEventHeader(std::span<const uint8_t> event);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_EVENT_HEADER_H_
