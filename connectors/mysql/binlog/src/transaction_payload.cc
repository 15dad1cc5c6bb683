// MySQL TRANSACTION_PAYLOAD_EVENT: a transaction's events, zstd-compressed.
#include "absl/strings/str_cat.h"
#include "byte_reader.h"
#include "compression.h"
#include "event_parsers.h"

namespace sluice::binlog {

namespace internal {

absl::StatusOr<TransactionPayloadEvent> ParseTransactionPayload(std::span<const uint8_t> data,
                                                                uint64_t max_size) {
  ByteReader r(data);
  TransactionPayloadEvent e;
  bool have_size = false, have_type = false;
  // Header fields: (type, length, value) triples of length-encoded integers, ended by type 0.
  while (r.ok()) {
    uint64_t type = r.PackedInt("payload field type");
    if (!r.ok() || type == 0) break;
    uint64_t length = r.PackedInt("payload field length");
    ByteReader value(r.Bytes(length, "payload field value"));
    if (!r.ok()) break;
    switch (type) {
      case 1:
        e.payload_size = value.PackedInt("payload size");
        have_size = true;
        break;
      case 2:
        e.compression_type = value.PackedInt("compression type");
        have_type = true;
        break;
      case 3:
        e.uncompressed_size = value.PackedInt("uncompressed size");
        break;
      default:
        break;  // newer field; its length lets us skip it
    }
    if (!value.ok()) return value.status();
  }
  if (!r.ok()) return r.status();
  if (!have_size || !have_type) {
    return absl::DataLossError("payload header lacks its size or compression type");
  }
  std::span<const uint8_t> payload = r.Rest();
  if (payload.size() != e.payload_size) {
    return absl::DataLossError(
        absl::StrCat("payload is ", payload.size(), " bytes, header says ", e.payload_size));
  }
  std::vector<uint8_t> events;
  if (e.compression_type == 0) {
    auto out = ZstdDecompress(payload, e.uncompressed_size, max_size);
    if (!out.ok()) return out.status();
    events = *std::move(out);
  } else if (e.compression_type == 255) {
    events.assign(payload.begin(), payload.end());
  } else {
    return absl::UnimplementedError(absl::StrCat("payload compression type ", e.compression_type,
                                                 " is unknown (0 = zstd, 255 = none)"));
  }
  e.events = std::make_shared<const std::vector<uint8_t>>(std::move(events));
  return e;
}

}  // namespace internal
}  // namespace sluice::binlog
