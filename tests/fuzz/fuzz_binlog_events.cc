// libFuzzer target: a stream of binlog events through BinlogDecoder, rows read and values
// converted. Input: one option byte (bit 0 MariaDB, bit 1 CRC32 on, bit 2 verify checksums,
// bit 3 the input brings its own FORMAT_DESCRIPTION), then events back to back.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "binlog_builder.h"
#include "fuzz_common.h"
#include "sluice/binlog/binlog_file.h"
#include "sluice/binlog/decoder.h"
#include "sluice/binlog/transaction_payload.h"

using namespace sluice::binlog;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t options = data[0];
  std::span<const uint8_t> stream(data + 1, size - 1);
  BinlogDecoder decoder(DecoderOptions{.verify_checksums = (options & 4) != 0,
                                       .initial_file = "fuzz.000001",
                                       .max_decompressed_size = 1 << 20});
  if ((options & 8) == 0) {
    std::vector<uint8_t> fde = testing::MakeFormatDescription(
        (options & 1) ? "10.11.6-MariaDB-log" : "8.0.36", (options & 2) != 0);
    if (!decoder.Decode(fde).ok()) __builtin_trap();
  }
  EventSplitter split(stream, "fuzz", /*expect_magic=*/false);
  RawEvent raw;
  while (true) {
    absl::StatusOr<bool> more = split.Next(&raw);
    if (!more.ok() || !*more) break;
    absl::StatusOr<Event> event = decoder.Decode(raw.bytes);
    if (!event.ok()) continue;
    if (const RowsEvent* rows = event->As<RowsEvent>()) fuzz::ReadAllRows(*rows);
    if (const auto* payload = event->As<TransactionPayloadEvent>()) {
      PayloadReader reader(*payload, /*max_event_size=*/1 << 20);
      std::shared_ptr<const std::vector<uint8_t>> inner;
      while (true) {
        absl::StatusOr<bool> more_inner = reader.Next(&inner);
        if (!more_inner.ok() || !*more_inner) break;
        absl::StatusOr<Event> e = decoder.DecodeEmbedded(inner, *event);
        if (e.ok()) {
          if (const RowsEvent* rows = e->As<RowsEvent>()) fuzz::ReadAllRows(*rows);
        }
      }
    }
  }
  return 0;
}
