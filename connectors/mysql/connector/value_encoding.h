#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_VALUE_ENCODING_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_VALUE_ENCODING_H_

// Debezium's encodings of column values (FORMATS.md "Column types"), shared by the conversions
// from the binlog (binlog_value.h) and from snapshot text (text_value.h): binary.handling.mode,
// BIT as little-endian Bits, zero dates, DATETIME in milliseconds or microseconds, TIME, ISO-8601
// TIMESTAMP text, unscaled Decimal bytes, WKB points. Conversions write into a caller-owned
// Scratch that is reused row after row, so a warm converter allocates nothing.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "connectors/mysql/connector/column_def.h"
#include "sluice/connector.h"

namespace sluice::mysql {

// Buffers a conversion may write into; the datum's views point into them until the next call.
struct Scratch {
  std::string text;
  std::vector<uint8_t> bytes;
};

// Latin-1 bytes as UTF-8, written to `out`; the view is of `out`.
absl::string_view Latin1ToUtf8(absl::string_view in, std::string& out);
// Binary data as binary.handling.mode says (`def.binary_mode`): bytes, base64 or hex text.
sluice_datum BinaryDatum(const uint8_t* data, size_t size, const ColumnDef& def, Scratch& scratch);
// A BIT value: big-endian in the server, little-endian (Debezium's Bits) in the event.
sluice_datum BitsDatum(const uint8_t* data, size_t size, const ColumnDef& def, Scratch& scratch);
// `text` copied into the scratch.
sluice_datum TextDatum(absl::string_view text, Scratch& scratch);
// A zero date or datetime ('0000-00-00'): null as Debezium writes it, or the epoch for a required
// column without a default.
sluice_datum ZeroTemporal(const ColumnDef& def, Scratch& scratch);
// A DATETIME as `def.kind` says: microseconds, or milliseconds rounded toward negative infinity.
sluice_datum DateTimeDatum(int64_t micros, const ColumnDef& def);
// A TIME as `def.kind` says: microseconds, or Connect's milliseconds.
sluice_datum TimeDatum(int64_t micros, const ColumnDef& def);
// InvalidArgument: `what` does not convert to the column's field.
absl::Status Unsupported(const ColumnDef& def, absl::string_view what);

// The coordinates of a WKB point (either byte order); false when `wkb` is not a point.
bool PointCoordinates(absl::Span<const uint8_t> wkb, double* x, double* y);

// ---- pieces, exposed for tests ------------------------------------------------------------

// "2018-06-20T13:37:03Z", with `fsp` fraction digits when fsp > 0.
std::string ZonedTimestampText(int64_t epoch_seconds, uint32_t micros, unsigned fsp);
// Minimal big-endian two's complement of an unsigned 64-bit value (Java's BigInteger bytes).
size_t UnsignedToTwosComplement(uint64_t value, uint8_t out[9]);
// Decimal text ("-12.50") to the unscaled two's complement bytes at `scale`.
bool DecimalTextToUnscaled(absl::string_view text, unsigned scale, std::vector<uint8_t>* out);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_VALUE_ENCODING_H_
