#include "sluice/binlog/event_header.h"

#include "absl/strings/str_cat.h"
#include "byte_reader.h"

namespace sluice::binlog {

absl::StatusOr<EventHeader> ParseEventHeader(std::span<const uint8_t> event) {
  internal::ByteReader r(event);
  EventHeader h;
  h.timestamp = r.U32("header timestamp");
  h.type = static_cast<EventType>(r.U8("header event type"));
  h.server_id = r.U32("header server id");
  h.event_size = r.U32("header event size");
  h.log_pos = r.U32("header log position");
  h.flags = r.U16("header flags");
  if (!r.ok()) return r.status();
  if (h.event_size < kEventHeaderSize) {
    return absl::DataLossError(
        absl::StrCat("event size ", h.event_size, " is smaller than the 19-byte header"));
  }
  return h;
}

}  // namespace sluice::binlog
