#include "sluice/binlog/decimal.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace sluice::binlog {
namespace {

constexpr int kDigitsPerGroup = 9;
constexpr int kBytesForDigits[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr uint32_t kPowersOfTen[10] = {1,      10,      100,      1000,      10000,
                                       100000, 1000000, 10000000, 100000000, 1000000000};

struct Layout {
  int int_partial_digits, int_full_groups, frac_full_groups, frac_partial_digits;
};

Layout LayoutOf(int precision, int scale) {
  int integer_digits = precision - scale;
  return {integer_digits % kDigitsPerGroup, integer_digits / kDigitsPerGroup,
          scale / kDigitsPerGroup, scale % kDigitsPerGroup};
}

// Calls fn(group_value, digits_in_group, is_fraction) for each group, most significant first.
// Values are raw: the caller validates them against 10^digits.
template <typename Fn>
void ForEachGroup(const uint8_t* data, int precision, int scale, Fn&& fn) {
  Layout l = LayoutOf(precision, scale);
  const uint8_t mask = (data[0] & 0x80) ? 0x00 : 0xff;
  bool first = true;
  auto read = [&](int nbytes) {
    uint32_t v = 0;
    for (int i = 0; i < nbytes; ++i) {
      uint8_t b = data[i] ^ mask;
      if (first) {
        b ^= 0x80;
        first = false;
      }
      v = (v << 8) | b;
    }
    data += nbytes;
    return v;
  };
  if (l.int_partial_digits > 0)
    fn(read(kBytesForDigits[l.int_partial_digits]), l.int_partial_digits, false);
  for (int i = 0; i < l.int_full_groups; ++i) fn(read(4), kDigitsPerGroup, false);
  for (int i = 0; i < l.frac_full_groups; ++i) fn(read(4), kDigitsPerGroup, true);
  if (l.frac_partial_digits > 0)
    fn(read(kBytesForDigits[l.frac_partial_digits]), l.frac_partial_digits, true);
}

// Little-endian 32-bit limbs; 8 of them hold 10^65.
struct BigUnsigned {
  uint32_t limb[8] = {};
  void MultiplyAdd(uint32_t mul, uint32_t add) {
    uint64_t carry = add;
    for (uint32_t& l : limb) {
      uint64_t v = uint64_t{l} * mul + carry;
      l = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
  }
  bool IsZero() const {
    for (uint32_t l : limb)
      if (l != 0) return false;
    return true;
  }
};

BigUnsigned Magnitude(const uint8_t* data, int precision, int scale) {
  BigUnsigned m;
  ForEachGroup(data, precision, scale,
               [&](uint32_t v, int digits, bool) { m.MultiplyAdd(kPowersOfTen[digits], v); });
  return m;
}

}  // namespace

size_t DecimalBinarySize(int precision, int scale) {
  if (precision < 1 || precision > 65 || scale < 0 || scale > 30 || scale > precision) return 0;
  Layout l = LayoutOf(precision, scale);
  return kBytesForDigits[l.int_partial_digits] + 4 * l.int_full_groups + 4 * l.frac_full_groups +
         kBytesForDigits[l.frac_partial_digits];
}

absl::Status ValidateDecimal(const uint8_t* data, int precision, int scale) {
  bool ok = true;
  ForEachGroup(data, precision, scale, [&](uint32_t v, int digits, bool) {
    if (v >= kPowersOfTen[digits]) ok = false;
  });
  if (!ok) {
    return absl::DataLossError(
        absl::StrCat("DECIMAL(", precision, ",", scale, ") value has a digit group out of range"));
  }
  return absl::OkStatus();
}

size_t DecimalView::Format(char* out) const {
  char* p = out;
  bool any_nonzero = false;
  ForEachGroup(data_, precision_, scale_, [&](uint32_t v, int, bool) { any_nonzero |= v != 0; });
  if (negative() && any_nonzero) *p++ = '-';
  bool wrote_integer_digit = false;
  bool wrote_point = false;
  ForEachGroup(data_, precision_, scale_, [&](uint32_t v, int digits, bool is_fraction) {
    if (!is_fraction) {
      if (!wrote_integer_digit && v == 0) return;  // leading zero group
      char tmp[9];
      for (int i = digits - 1; i >= 0; --i) {
        tmp[i] = static_cast<char>('0' + v % 10);
        v /= 10;
      }
      int start = 0;
      if (!wrote_integer_digit) {
        while (start < digits - 1 && tmp[start] == '0') ++start;
      }
      std::memcpy(p, tmp + start, digits - start);
      p += digits - start;
      wrote_integer_digit = true;
      return;
    }
    if (!wrote_point) {
      if (!wrote_integer_digit) *p++ = '0';
      *p++ = '.';
      wrote_point = true;
    }
    for (int i = digits - 1; i >= 0; --i) {
      p[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    p += digits;
  });
  if (!wrote_integer_digit && !wrote_point) *p++ = '0';
  return static_cast<size_t>(p - out);
}

std::string DecimalView::ToString() const {
  char buf[kMaxTextSize];
  return std::string(buf, Format(buf));
}

bool DecimalView::ToUnscaledInt64(int64_t* out) const {
  BigUnsigned m = Magnitude(data_, precision_, scale_);
  for (int i = 2; i < 8; ++i)
    if (m.limb[i] != 0) return false;
  uint64_t mag = (uint64_t{m.limb[1]} << 32) | m.limb[0];
  if (negative()) {
    if (mag > uint64_t{1} << 63) return false;
    *out = static_cast<int64_t>(~mag + 1);
  } else {
    if (mag > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(mag);
  }
  return true;
}

size_t DecimalView::ToUnscaledTwosComplement(uint8_t* out) const {
  BigUnsigned m = Magnitude(data_, precision_, scale_);
  uint8_t be[32];
  for (int i = 0; i < 8; ++i) {
    uint32_t l = m.limb[7 - i];
    be[4 * i] = static_cast<uint8_t>(l >> 24);
    be[4 * i + 1] = static_cast<uint8_t>(l >> 16);
    be[4 * i + 2] = static_cast<uint8_t>(l >> 8);
    be[4 * i + 3] = static_cast<uint8_t>(l);
  }
  if (negative() && !m.IsZero()) {
    // Two's complement: invert and add one.
    int carry = 1;
    for (int i = 31; i >= 0; --i) {
      int v = static_cast<uint8_t>(~be[i]) + carry;
      be[i] = static_cast<uint8_t>(v);
      carry = v >> 8;
    }
  }
  // Drop leading bytes that only repeat the sign.
  int start = 0;
  while (start < 31) {
    bool redundant_zero = be[start] == 0x00 && (be[start + 1] & 0x80) == 0;
    bool redundant_ones = be[start] == 0xff && (be[start + 1] & 0x80) != 0;
    if (!redundant_zero && !redundant_ones) break;
    ++start;
  }
  size_t n = 32 - start;
  std::memcpy(out, be + start, n);
  return n;
}

}  // namespace sluice::binlog
