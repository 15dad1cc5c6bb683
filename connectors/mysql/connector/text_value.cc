#include "connectors/mysql/connector/text_value.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sluice/binlog/temporal.h"

namespace sluice::mysql {
namespace {

sluice_datum DecimalFromText(absl::string_view text, const ColumnDef& def, Scratch& scratch,
                             bool* ok) {
  *ok = true;
  switch (def.kind) {
    case FieldKind::kDecimalDouble: {
      scratch.text.assign(text.data(), text.size());
      return sluice_datum_float(std::strtod(scratch.text.c_str(), nullptr));
    }
    case FieldKind::kDecimalString:
      return TextDatum(text, scratch);
    default:
      *ok = DecimalTextToUnscaled(text, def.scale, &scratch.bytes);
      return sluice_datum_bytes(scratch.bytes.data(), scratch.bytes.size());
  }
}

// Reads the unsigned numbers at the start of `text`, separated by `separators` in order ("-- ::"
// for "2018-06-20 06:37:03"), as sscanf("%u-%u-%u %u:%u:%u") would for the server's canonical
// text, without its cost (sscanf was 6% of a snapshot's CPU, perf). What follows the last number
// (a fraction) is left to the caller. False when a number is missing or a separator differs.
template <size_t N>
bool ReadNumbers(absl::string_view text, absl::string_view separators, unsigned (&out)[N]) {
  static_assert(N > 0);
  size_t i = 0;
  for (size_t n = 0; n < N; ++n) {
    if (n > 0) {
      if (n - 1 >= separators.size() || i >= text.size() || text[i] != separators[n - 1]) {
        return false;
      }
      ++i;
    }
    const size_t start = i;
    unsigned value = 0;
    // Nine digits at most: no overflow, and more than any date or time field has.
    while (i < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[i])) &&
           i - start < 9) {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    if (i == start) return false;
    out[n] = value;
  }
  return true;
}

}  // namespace

absl::StatusOr<sluice_datum> DatumFromText(absl::string_view text, bool is_null,
                                           const ColumnDef& def, Scratch& scratch) {
  if (is_null) return sluice_datum_null();
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  switch (def.kind) {
    case FieldKind::kInt16:
    case FieldKind::kInt32:
    case FieldKind::kInt64:
    case FieldKind::kYear: {
      int64_t v = 0;
      uint64_t u = 0;
      if (absl::SimpleAtoi(text, &v)) return sluice_datum_int(v);
      if (absl::SimpleAtoi(text, &u)) return sluice_datum_int(static_cast<int64_t>(u));
      break;
    }
    case FieldKind::kUnsignedBigintDecimal: {
      uint64_t u = 0;
      if (!absl::SimpleAtoi(text, &u)) break;
      uint8_t buffer[9];
      const size_t n = UnsignedToTwosComplement(u, buffer);
      scratch.bytes.assign(buffer, buffer + n);
      return sluice_datum_bytes(scratch.bytes.data(), scratch.bytes.size());
    }
    case FieldKind::kFloat32:
    case FieldKind::kFloat64: {
      scratch.text.assign(text.data(), text.size());
      if (def.kind == FieldKind::kFloat32) {
        return sluice_datum_float(std::strtof(scratch.text.c_str(), nullptr));
      }
      return sluice_datum_float(std::strtod(scratch.text.c_str(), nullptr));
    }
    case FieldKind::kDecimal:
    case FieldKind::kDecimalDouble:
    case FieldKind::kDecimalString: {
      bool ok = false;
      sluice_datum datum = DecimalFromText(text, def, scratch, &ok);
      if (ok) return datum;
      break;
    }
    case FieldKind::kText:
    case FieldKind::kEnum:
    case FieldKind::kSet:
    case FieldKind::kJson:
      return sluice_datum_string(text.data(), text.size());
    case FieldKind::kBinary:
      return BinaryDatum(data, text.size(), def, scratch);
    case FieldKind::kFloatVector:
      // The text protocol sends a VECTOR as its stored bytes, as the binlog does.
      return sluice_datum_bytes(data, text.size());
    case FieldKind::kBits:
      return BitsDatum(data, text.size(), def, scratch);
    case FieldKind::kBitBoolean: {
      bool any = false;
      for (unsigned char c : text) any = any || c != 0;
      return sluice_datum_boolean(any);
    }
    case FieldKind::kDate:
    case FieldKind::kConnectDate: {
      unsigned ymd[3];
      if (!ReadNumbers(text, "--", ymd)) break;
      const auto [y, m, d] = ymd;
      if (m == 0 || d == 0) return ZeroTemporal(def, scratch);
      return sluice_datum_int(binlog::DaysSinceEpoch(static_cast<int>(y), m, d));
    }
    case FieldKind::kMicroTime:
    case FieldKind::kConnectTime: {
      bool negative = !text.empty() && text[0] == '-';
      if (negative) text.remove_prefix(1);
      unsigned hms[3];
      if (!ReadNumbers(text, "::", hms)) break;
      const auto [h, mi, s] = hms;
      int64_t micros = ((int64_t{h} * 60 + mi) * 60 + s) * 1000000;
      size_t dot = text.find('.');
      if (dot != absl::string_view::npos) {
        int64_t fraction = 0;
        int digits = 0;
        for (size_t i = dot + 1; i < text.size() && digits < 6; ++i, ++digits) {
          fraction = fraction * 10 + (text[i] - '0');
        }
        for (; digits < 6; ++digits) fraction *= 10;
        micros += fraction;
      }
      return TimeDatum(negative ? -micros : micros, def);
    }
    case FieldKind::kTimestampMs:
    case FieldKind::kMicroTimestamp:
    case FieldKind::kConnectTimestamp:
    case FieldKind::kZonedTimestamp: {
      unsigned fields[6];
      if (!ReadNumbers(text, "-- ::", fields)) break;
      const auto [y, mo, d, h, mi, s] = fields;
      if (mo == 0 || d == 0) return ZeroTemporal(def, scratch);
      uint32_t micros = 0;
      size_t dot = text.find('.');
      if (dot != absl::string_view::npos) {
        int digits = 0;
        for (size_t i = dot + 1; i < text.size() && digits < 6; ++i, ++digits) {
          micros = micros * 10 + static_cast<uint32_t>(text[i] - '0');
        }
        for (; digits < 6; ++digits) micros *= 10;
      }
      const int64_t days = binlog::DaysSinceEpoch(static_cast<int>(y), mo, d);
      const int64_t seconds = ((days * 24 + h) * 60 + mi) * 60 + s;
      if (def.kind == FieldKind::kZonedTimestamp) {
        // The snapshot session runs with time_zone '+00:00': the text is already UTC.
        scratch.text = ZonedTimestampText(seconds, micros, def.fsp);
        return sluice_datum_string(scratch.text.data(), scratch.text.size());
      }
      return DateTimeDatum(seconds * 1000000 + micros, def);
    }
    case FieldKind::kGeometry:
    case FieldKind::kPoint:
      break;
  }
  return Unsupported(def, absl::StrCat("the text '", text.substr(0, 40), "'"));
}

absl::StatusOr<std::optional<sluice_datum>> DefaultDatum(const ColumnDef& def, Scratch& scratch) {
  if (!def.default_value.has_value()) return std::nullopt;
  absl::string_view text = *def.default_value;
  switch (def.kind) {
    case FieldKind::kBinary:
    case FieldKind::kJson:
    case FieldKind::kGeometry:
    case FieldKind::kPoint:
    case FieldKind::kFloatVector:
      return std::nullopt;
    case FieldKind::kBits:
    case FieldKind::kBitBoolean: {
      // b'101' (or a number): the bits as the text protocol would return them, big-endian.
      uint64_t bits = 0;
      if (absl::StartsWithIgnoreCase(text, "b'") && absl::EndsWith(text, "'")) {
        for (char c : text.substr(2, text.size() - 3)) bits = (bits << 1) | (c == '1' ? 1 : 0);
      } else if (!absl::SimpleAtoi(text, &bits)) {
        return std::nullopt;
      }
      std::string raw((def.bit_length + 7) / 8, '\0');
      for (size_t i = 0; i < raw.size(); ++i) {
        raw[raw.size() - 1 - i] = static_cast<char>((bits >> (8 * i)) & 0xFF);
      }
      Scratch bytes;
      absl::StatusOr<sluice_datum> datum = DatumFromText(raw, false, def, bytes);
      if (!datum.ok()) return datum.status();
      scratch.bytes = std::move(bytes.bytes);
      if (datum->kind == SLUICE_DATUM_BYTES) {
        *datum = sluice_datum_bytes(scratch.bytes.data(), scratch.bytes.size());
      }
      return *datum;
    }
    default:
      break;
  }
  absl::StatusOr<sluice_datum> datum = DatumFromText(text, false, def, scratch);
  if (!datum.ok()) return datum.status();
  if (datum->kind == SLUICE_DATUM_NULL) return std::nullopt;  // a zero date
  return *datum;
}

}  // namespace sluice::mysql
