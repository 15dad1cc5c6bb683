// Events with a few fixed fields: ROTATE, XID, INCIDENT, BINLOG_CHECKPOINT, ROWS_QUERY,
// XA_PREPARE.
#include "absl/strings/str_cat.h"
#include "byte_reader.h"
#include "event_parsers.h"

namespace sluice::binlog {

namespace internal {

absl::StatusOr<RotateEvent> ParseRotate(std::span<const uint8_t> data,
                                        const FormatDescription& fd) {
  ByteReader r(data);
  RotateEvent e;
  uint8_t ph = fd.PostHeaderLength(EventType::kRotate);
  if (ph == 0) ph = 8;
  e.position = r.U64("rotate position");
  if (ph > 8) r.Skip(ph - 8, "rotate post-header");
  e.next_file = r.RestAsString();
  if (!r.ok()) return r.status();
  if (e.next_file.empty()) return absl::DataLossError("rotate names no file");
  return e;
}

absl::StatusOr<XidEvent> ParseXid(std::span<const uint8_t> data) {
  ByteReader r(data);
  XidEvent e{r.U64("xid")};
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<IncidentEvent> ParseIncident(std::span<const uint8_t> data) {
  ByteReader r(data);
  IncidentEvent e;
  e.incident = r.U16("incident type");
  if (!r.empty()) {
    uint8_t n = r.U8("message length");
    e.message = r.String(n, "message");
  }
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<BinlogCheckpointEvent> ParseBinlogCheckpoint(std::span<const uint8_t> data) {
  ByteReader r(data);
  uint32_t n = r.U32("file name length");
  BinlogCheckpointEvent e{r.String(n, "file name")};
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<RowsQueryEvent> ParseRowsQuery(std::span<const uint8_t> data) {
  ByteReader r(data);
  r.Skip(1,
         "length byte");  // a one-byte length that overflows for long queries; the rest is the text
  RowsQueryEvent e{r.RestAsString()};
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<XaPrepareEvent> ParseXaPrepare(std::span<const uint8_t> data) {
  constexpr uint32_t kMaxPartSize = 64;  // MAXGTRIDSIZE, MAXBQUALSIZE
  ByteReader r(data);
  XaPrepareEvent e;
  e.one_phase = r.U8("one phase flag") != 0;
  e.format_id = static_cast<int32_t>(r.U32("XID format id"));
  uint32_t gtrid = r.U32("gtrid length");
  uint32_t bqual = r.U32("bqual length");
  if (!r.ok()) return r.status();
  if (gtrid > kMaxPartSize || bqual > kMaxPartSize) {
    return absl::DataLossError(
        absl::StrCat("XID parts of ", gtrid, " and ", bqual, " bytes exceed 64"));
  }
  e.gtrid = r.String(gtrid, "gtrid");
  e.bqual = r.String(bqual, "bqual");
  if (!r.ok()) return r.status();
  return e;
}

}  // namespace internal
}  // namespace sluice::binlog
