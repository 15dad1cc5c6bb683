// A NEWDECIMAL value, read straight from its binlog bytes. Any precision (up to 65 digits) and
// scale (up to 30); the row decoder has already checked every digit group, so nothing here fails.
//
// Storage: the integer and fraction digits are packed in groups of nine decimal digits into
// four big-endian bytes, a shorter leading (integer) / trailing (fraction) group in 1-4 bytes;
// the top bit of the first byte is flipped, and a negative value has every byte inverted.
#ifndef SLUICE_BINLOG_DECIMAL_H_
#define SLUICE_BINLOG_DECIMAL_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "absl/status/status.h"

namespace sluice::binlog {

// Bytes a DECIMAL(precision, scale) value occupies, or 0 when precision/scale are invalid
// (precision 1..65, scale <= precision and <= 30).
size_t DecimalBinarySize(int precision, int scale);

// Checks the digit groups of a binary decimal of the given size; used by the row decoder so
// every DecimalView it hands out is well-formed.
absl::Status ValidateDecimal(const uint8_t* data, int precision, int scale);

class DecimalView {
 public:
  DecimalView() = default;
  DecimalView(const uint8_t* data, uint8_t precision, uint8_t scale)
      : data_(data), precision_(precision), scale_(scale) {}

  int precision() const { return precision_; }
  int scale() const { return scale_; }
  bool negative() const { return (data_[0] & 0x80) == 0; }
  std::span<const uint8_t> raw() const { return {data_, DecimalBinarySize(precision_, scale_)}; }

  // Plain decimal text: "-1234.50" (scale digits always shown, no exponent, "0.00" for zero).
  std::string ToString() const;
  // Writes the same text to `out` (at least kMaxTextSize bytes); returns its length.
  static constexpr size_t kMaxTextSize = 68;  // sign, 65 digits, point, leading zero
  size_t Format(char* out) const;

  // The unscaled value (digits without the point) when it fits an int64.
  bool ToUnscaledInt64(int64_t* out) const;
  // The unscaled value as minimal big-endian two's complement (Java's BigInteger.toByteArray,
  // what Kafka Connect's Decimal carries). `out` needs kMaxUnscaledBytes; returns bytes used.
  static constexpr size_t kMaxUnscaledBytes = 28;  // 10^65 < 2^217
  size_t ToUnscaledTwosComplement(uint8_t* out) const;

 private:
  const uint8_t* data_ = nullptr;
  uint8_t precision_ = 0;
  uint8_t scale_ = 0;
};

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_DECIMAL_H_
