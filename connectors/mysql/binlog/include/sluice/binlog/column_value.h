// One decoded column of one row image: typed, not text, so the event builder never re-parses.
//
// Ownership: strings, blobs, JSON, geometry, BIT and DECIMAL values are views into the event's
// bytes (no copy); they stay valid as long as the Event (or the buffer the caller passed to
// the decoder) does. A ColumnValue is 24 bytes and trivially copyable: decoding a row performs
// no heap allocation.
#ifndef SLUICE_BINLOG_COLUMN_VALUE_H_
#define SLUICE_BINLOG_COLUMN_VALUE_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "sluice/binlog/decimal.h"

namespace sluice::binlog {

enum class ValueKind : uint8_t {
  kAbsent,     // column not in this image (binlog_row_image=MINIMAL/NOBLOB)
  kNull,       // SQL NULL
  kSigned,     // TINY..LONGLONG signed; i64
  kUnsigned,   // TINY..LONGLONG unsigned; u64
  kFloat,      // f32
  kDouble,     // f64
  kDecimal,    // NEWDECIMAL; decimal()
  kYear,       // i64: 1901..2155, or 0 for the zero year
  kDate,       // date
  kTime,       // time (may be negative, hours up to 838)
  kDateTime,   // datetime: wall clock, no zone
  kTimestamp,  // timestamp: seconds since the epoch UTC + micros
  kString,     // CHAR/VARCHAR/TEXT/BINARY/VARBINARY/BLOB bytes; charset from the table map
  kEnum,       // u64: 1-based index into the column's ENUM values, 0 = the '' error value
  kSet,        // u64: bit i set = value i of the column's SET values is a member
  kBit,        // bytes(): big-endian, bit_length() bits
  kJson,       // bytes(): MySQL binary JSON (see json_binary.h); MariaDB JSON arrives as kString
  kGeometry,   // bytes(): WKB; srid()
  kJsonDiff,   // bytes(): MySQL partial JSON update (PARTIAL_UPDATE_ROWS); see json_diff.h
};

struct Date {
  uint16_t year;  // 0 for zero dates
  uint8_t month;  // 0..12 (0 in zero dates)
  uint8_t day;    // 0..31
  bool is_zero() const { return year == 0 && month == 0 && day == 0; }
};

struct TimeValue {
  bool negative;
  uint16_t hours;  // 0..838
  uint8_t minutes, seconds;
  uint32_t micros;
  // Signed microseconds (Debezium's MicroTime).
  int64_t ToMicros() const {
    int64_t us = ((int64_t{hours} * 60 + minutes) * 60 + seconds) * 1000000 + micros;
    return negative ? -us : us;
  }
};

struct DateTime {
  uint16_t year;
  uint8_t month, day, hour, minute, second;
  uint32_t micros;
  bool is_zero() const { return year == 0 && month == 0 && day == 0; }
};

struct Timestamp {
  uint32_t seconds;  // 0 = the zero timestamp '0000-00-00 00:00:00'
  uint32_t micros;
};

class ColumnValue {
 public:
  ValueKind kind() const { return kind_; }
  bool is_null() const { return kind_ == ValueKind::kNull; }
  bool is_present() const { return kind_ != ValueKind::kAbsent; }

  int64_t i64() const { return u_.i64; }
  uint64_t u64() const { return u_.u64; }
  float f32() const { return u_.f32; }
  double f64() const { return u_.f64; }
  Date date() const { return u_.date; }
  TimeValue time() const { return u_.time; }
  DateTime datetime() const { return u_.datetime; }
  Timestamp timestamp() const { return u_.timestamp; }
  std::span<const uint8_t> bytes() const { return {u_.bytes.data, u_.bytes.size}; }
  std::string_view string() const {
    return {reinterpret_cast<const char*>(u_.bytes.data), u_.bytes.size};
  }
  DecimalView decimal() const {
    return DecimalView(u_.bytes.data, static_cast<uint8_t>(extra_ >> 8),
                       static_cast<uint8_t>(extra_));
  }
  uint32_t srid() const { return extra_; }        // kGeometry
  uint32_t bit_length() const { return extra_; }  // kBit
  // fractional-second digits declared for the column (kTime, kDateTime, kTimestamp)
  uint32_t fsp() const { return extra_; }

  // Constructors used by the decoder (and by tests that build expected values).
  static ColumnValue Absent() { return ColumnValue(ValueKind::kAbsent); }
  static ColumnValue Null() { return ColumnValue(ValueKind::kNull); }
  static ColumnValue Signed(int64_t v) {
    ColumnValue c(ValueKind::kSigned);
    c.u_.i64 = v;
    return c;
  }
  static ColumnValue Unsigned(uint64_t v) {
    ColumnValue c(ValueKind::kUnsigned);
    c.u_.u64 = v;
    return c;
  }
  static ColumnValue Float(float v) {
    ColumnValue c(ValueKind::kFloat);
    c.u_.f32 = v;
    return c;
  }
  static ColumnValue Double(double v) {
    ColumnValue c(ValueKind::kDouble);
    c.u_.f64 = v;
    return c;
  }
  static ColumnValue Year(int64_t v) {
    ColumnValue c(ValueKind::kYear);
    c.u_.i64 = v;
    return c;
  }
  static ColumnValue Enum(uint64_t v) {
    ColumnValue c(ValueKind::kEnum);
    c.u_.u64 = v;
    return c;
  }
  static ColumnValue Set(uint64_t v) {
    ColumnValue c(ValueKind::kSet);
    c.u_.u64 = v;
    return c;
  }
  static ColumnValue OfDate(Date v) {
    ColumnValue c(ValueKind::kDate);
    c.u_.date = v;
    return c;
  }
  static ColumnValue OfTime(TimeValue v, uint32_t fsp) {
    ColumnValue c(ValueKind::kTime);
    c.u_.time = v;
    c.extra_ = fsp;
    return c;
  }
  static ColumnValue OfDateTime(DateTime v, uint32_t fsp) {
    ColumnValue c(ValueKind::kDateTime);
    c.u_.datetime = v;
    c.extra_ = fsp;
    return c;
  }
  static ColumnValue OfTimestamp(Timestamp v, uint32_t fsp) {
    ColumnValue c(ValueKind::kTimestamp);
    c.u_.timestamp = v;
    c.extra_ = fsp;
    return c;
  }
  static ColumnValue Bytes(ValueKind kind, const uint8_t* data, uint32_t size, uint32_t extra = 0) {
    ColumnValue c(kind);
    c.u_.bytes = {data, size};
    c.extra_ = extra;
    return c;
  }
  static ColumnValue Decimal(const uint8_t* data, uint32_t size, uint8_t precision, uint8_t scale) {
    return Bytes(ValueKind::kDecimal, data, size, (uint32_t{precision} << 8) | scale);
  }

  ColumnValue() = default;

 private:
  explicit ColumnValue(ValueKind kind) : kind_(kind) {}

  ValueKind kind_ = ValueKind::kAbsent;
  uint32_t extra_ = 0;
  union {
    int64_t i64;
    uint64_t u64;
    float f32;
    double f64;
    Date date;
    TimeValue time;
    DateTime datetime;
    Timestamp timestamp;
    struct {
      const uint8_t* data;
      uint32_t size;
    } bytes;
  } u_{};
};

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_COLUMN_VALUE_H_
