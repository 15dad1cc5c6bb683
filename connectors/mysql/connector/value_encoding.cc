#include "connectors/mysql/connector/value_encoding.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace sluice::mysql {
namespace {

void Base64(const uint8_t* data, size_t size, bool url_safe, std::string& out) {
  static const char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* alphabet = url_safe ? kUrl : kStd;
  out.clear();
  size_t i = 0;
  for (; i + 2 < size; i += 3) {
    uint32_t n = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(alphabet[(n >> 6) & 63]);
    out.push_back(alphabet[n & 63]);
  }
  if (i < size) {
    uint32_t n = uint32_t{data[i]} << 16;
    if (i + 1 < size) n |= uint32_t{data[i + 1]} << 8;
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < size ? alphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
}

}  // namespace

// Latin-1 bytes to UTF-8.
absl::string_view Latin1ToUtf8(absl::string_view in, std::string& out) {
  out.clear();
  for (unsigned char c : in) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

sluice_datum BinaryDatum(const uint8_t* data, size_t size, const ColumnDef& def, Scratch& scratch) {
  switch (def.binary_mode) {
    case BinaryMode::kBytes:
      return sluice_datum_bytes(data, size);
    case BinaryMode::kBase64:
    case BinaryMode::kBase64UrlSafe:
      Base64(data, size, def.binary_mode == BinaryMode::kBase64UrlSafe, scratch.text);
      return sluice_datum_string(scratch.text.data(), scratch.text.size());
    case BinaryMode::kHex: {
      static const char kHex[] = "0123456789abcdef";
      scratch.text.clear();
      for (size_t i = 0; i < size; ++i) {
        scratch.text.push_back(kHex[data[i] >> 4]);
        scratch.text.push_back(kHex[data[i] & 15]);
      }
      return sluice_datum_string(scratch.text.data(), scratch.text.size());
    }
  }
  return sluice_datum_bytes(data, size);
}

// BIT values: big-endian in the server, little-endian (Debezium's Bits) in the event.
sluice_datum BitsDatum(const uint8_t* data, size_t size, const ColumnDef& def, Scratch& scratch) {
  const size_t width = (def.bit_length + 7) / 8;
  scratch.bytes.assign(width, 0);
  for (size_t i = 0; i < size && i < width; ++i) scratch.bytes[i] = data[size - 1 - i];
  return sluice_datum_bytes(scratch.bytes.data(), scratch.bytes.size());
}

sluice_datum TextDatum(absl::string_view text, Scratch& scratch) {
  scratch.text.assign(text.data(), text.size());
  return sluice_datum_string(scratch.text.data(), scratch.text.size());
}

sluice_datum ZeroTemporal(const ColumnDef& def, Scratch& scratch) {
  // As Debezium: null, which a required field with a default replaces with the default.
  if (def.optional || def.default_value.has_value()) return sluice_datum_null();
  if (def.kind == FieldKind::kZonedTimestamp) return TextDatum("1970-01-01T00:00:00Z", scratch);
  return sluice_datum_int(0);
}

sluice_datum DateTimeDatum(int64_t micros, const ColumnDef& def) {
  if (def.kind == FieldKind::kMicroTimestamp) return sluice_datum_int(micros);
  // Milliseconds, rounding toward negative infinity like Java's Math.floorDiv.
  int64_t ms = micros / 1000;
  if (micros % 1000 < 0) --ms;
  return sluice_datum_int(ms);
}

sluice_datum TimeDatum(int64_t micros, const ColumnDef& def) {
  if (def.kind == FieldKind::kConnectTime) return sluice_datum_int(micros / 1000);
  return sluice_datum_int(micros);
}

absl::Status Unsupported(const ColumnDef& def, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("column `", def.name, "`: cannot convert ", what, " to its event field"));
}

std::string ZonedTimestampText(int64_t epoch_seconds, uint32_t micros, unsigned fsp) {
  int64_t days = epoch_seconds / 86400;
  int64_t rest = epoch_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  // civil_from_days
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t year = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  year += month <= 2;
  char buffer[64];
  int n = std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02uT%02d:%02d:%02d",
                        static_cast<long long>(year), month, day, static_cast<int>(rest / 3600),
                        static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  std::string text(buffer, static_cast<size_t>(n));
  if (fsp > 0) {
    char fraction[8];
    std::snprintf(fraction, sizeof(fraction), "%06u", micros % 1000000);
    text.push_back('.');
    text.append(fraction, std::min<unsigned>(fsp, 6));
  }
  text.push_back('Z');
  return text;
}

size_t UnsignedToTwosComplement(uint64_t value, uint8_t out[9]) {
  uint8_t be[9];
  be[0] = 0;
  for (int i = 0; i < 8; ++i) be[8 - i] = static_cast<uint8_t>(value >> (8 * i));
  // Drop leading bytes while the next byte's sign bit keeps the value positive.
  size_t start = 0;
  while (start < 8 && be[start] == 0 && (be[start + 1] & 0x80) == 0) ++start;
  std::copy(be + start, be + 9, out);
  return 9 - start;
}

bool DecimalTextToUnscaled(absl::string_view text, unsigned scale, std::vector<uint8_t>* out) {
  bool negative = false;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  // Magnitude as little-endian base-256 digits.
  std::vector<uint8_t> magnitude;
  auto add_digit = [&](unsigned digit) {
    unsigned carry = digit;
    for (uint8_t& byte : magnitude) {
      unsigned v = byte * 10u + carry;
      byte = static_cast<uint8_t>(v & 0xFF);
      carry = v >> 8;
    }
    while (carry > 0) {
      magnitude.push_back(static_cast<uint8_t>(carry & 0xFF));
      carry >>= 8;
    }
  };
  unsigned fraction_digits = 0;
  bool in_fraction = false, any = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (in_fraction) return false;
      in_fraction = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    any = true;
    if (in_fraction) {
      if (fraction_digits == scale) continue;  // the server never sends more than the scale
      ++fraction_digits;
    }
    add_digit(static_cast<unsigned>(c - '0'));
  }
  if (!any) return false;
  for (; fraction_digits < scale; ++fraction_digits) add_digit(0);
  // To big-endian two's complement with one spare sign byte, then minimal.
  while (!magnitude.empty() && magnitude.back() == 0) magnitude.pop_back();
  const size_t n = magnitude.size();
  std::vector<uint8_t> be(n + 1, 0);
  for (size_t k = 0; k < n; ++k) be[k + 1] = magnitude[n - 1 - k];
  if (negative) {
    bool carry = true;
    for (size_t k = be.size(); k-- > 0;) {
      uint8_t inverted = static_cast<uint8_t>(~be[k]);
      if (carry) {
        inverted = static_cast<uint8_t>(inverted + 1);
        carry = inverted == 0;
      }
      be[k] = inverted;
    }
  }
  const uint8_t filler = negative ? 0xFF : 0x00;
  size_t first = 0;
  while (first + 1 < be.size() && be[first] == filler &&
         ((be[first + 1] & 0x80) != 0) == negative) {
    ++first;
  }
  out->assign(be.begin() + static_cast<std::ptrdiff_t>(first), be.end());
  return true;
}

bool PointCoordinates(absl::Span<const uint8_t> wkb, double* x, double* y) {
  if (wkb.size() < 21) return false;
  const bool little = wkb[0] == 1;
  auto read32 = [&](size_t at) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      v |= uint32_t{wkb[at + (little ? i : 3 - i)]} << (8 * i);
    }
    return v;
  };
  auto read_double = [&](size_t at) {
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) {
      bits |= uint64_t{wkb[at + (little ? i : 7 - i)]} << (8 * i);
    }
    double value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  };
  if (read32(1) != 1) return false;  // wkbPoint
  *x = read_double(5);
  *y = read_double(13);
  return true;
}

}  // namespace sluice::mysql
