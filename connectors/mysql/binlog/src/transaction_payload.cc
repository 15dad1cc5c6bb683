// MySQL TRANSACTION_PAYLOAD_EVENT: a transaction's events, zstd-compressed.
#include "sluice/binlog/transaction_payload.h"

#include <zstd.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "byte_reader.h"
#include "event_parsers.h"
#include "sluice/binlog/event_header.h"

namespace sluice::binlog {

namespace internal {

absl::StatusOr<TransactionPayloadEvent> ParseTransactionPayload(std::span<const uint8_t> data) {
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
  if (e.compression_type != 0 && e.compression_type != 255) {
    return absl::UnimplementedError(absl::StrCat("payload compression type ", e.compression_type,
                                                 " is unknown (0 = zstd, 255 = none)"));
  }
  e.payload = payload;
  return e;
}

}  // namespace internal

PayloadReader::PayloadReader(const TransactionPayloadEvent& payload, uint64_t max_event_size)
    : payload_(payload), max_event_size_(max_event_size) {
  if (payload_.compression_type == 0) zstd_ = ZSTD_createDCtx();
}

PayloadReader::~PayloadReader() {
  if (zstd_ != nullptr) ZSTD_freeDCtx(static_cast<ZSTD_DCtx*>(zstd_));
}

absl::Status PayloadReader::Read(uint8_t* dst, size_t n, size_t* got) {
  *got = 0;
  const std::span<const uint8_t> in_bytes = payload_.payload;
  if (payload_.compression_type == 255) {
    size_t take = std::min(n, in_bytes.size() - input_pos_);
    std::memcpy(dst, in_bytes.data() + input_pos_, take);
    input_pos_ += take;
    *got = take;
    return absl::OkStatus();
  }
  if (zstd_ == nullptr) return absl::ResourceExhaustedError("could not create a zstd context");
  ZSTD_inBuffer in{in_bytes.data(), in_bytes.size(), input_pos_};
  ZSTD_outBuffer out{dst, n, 0};
  while (out.pos < n) {
    const size_t in_before = in.pos, out_before = out.pos;
    size_t rc = ZSTD_decompressStream(static_cast<ZSTD_DCtx*>(zstd_), &out, &in);
    if (ZSTD_isError(rc)) {
      return absl::DataLossError(absl::StrCat("zstd: ", ZSTD_getErrorName(rc)));
    }
    if (in.pos == in_before && out.pos == out_before) break;  // no more data
  }
  input_pos_ = in.pos;
  *got = out.pos;
  return absl::OkStatus();
}

absl::StatusOr<bool> PayloadReader::Next(std::shared_ptr<const std::vector<uint8_t>>* event) {
  if (failed_) return absl::FailedPreconditionError("payload reader already failed");
  auto fail = [this](absl::Status s) {
    failed_ = true;
    return s;
  };
  uint8_t header[kEventHeaderSize];
  size_t got = 0;
  if (absl::Status s = Read(header, sizeof(header), &got); !s.ok()) return fail(s);
  if (got == 0) {
    if (produced_ != payload_.uncompressed_size) {
      return fail(absl::DataLossError(absl::StrCat("payload holds ", produced_,
                                                   " bytes of events, its header says ",
                                                   payload_.uncompressed_size)));
    }
    return false;
  }
  if (got < sizeof(header)) {
    return fail(absl::DataLossError(
        absl::StrCat("payload ends inside an event header, at byte ", produced_ + got)));
  }
  const uint32_t size = static_cast<uint32_t>(internal::LoadLE(header + 9, 4));
  if (size < kEventHeaderSize || size > max_event_size_ ||
      produced_ + size > payload_.uncompressed_size) {
    return fail(absl::DataLossError(
        absl::StrCat("payload event at byte ", produced_, " claims an impossible size of ", size)));
  }
  auto buffer = std::make_shared<std::vector<uint8_t>>(size);
  std::memcpy(buffer->data(), header, sizeof(header));
  if (absl::Status s = Read(buffer->data() + sizeof(header), size - sizeof(header), &got);
      !s.ok()) {
    return fail(s);
  }
  if (got != size - sizeof(header)) {
    return fail(
        absl::DataLossError(absl::StrCat("payload ends inside the event at byte ", produced_)));
  }
  produced_ += size;
  *event = std::move(buffer);
  return true;
}

}  // namespace sluice::binlog
