#include "sluice/binlog/column_decoder.h"

#include <cstring>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "byte_reader.h"

namespace sluice::binlog {
namespace {

using internal::LoadBE;
using internal::LoadLE;

// Cold path: kept out of line so the decode switch stays small.
ABSL_ATTRIBUTE_NOINLINE absl::Status Truncated(const ColumnInfo& c, size_t need, size_t have) {
  return absl::DataLossError(absl::StrCat(ColumnTypeName(c.real_type), " value needs ", need,
                                          " byte(s), ", have, " remain"));
}

ABSL_ATTRIBUTE_NOINLINE absl::Status Invalid(const ColumnInfo& c, std::string_view what) {
  return absl::DataLossError(
      absl::StrCat(ColumnTypeName(c.real_type), " value: ", std::string(what)));
}

int64_t SignExtend(uint64_t v, int bits) {
  uint64_t m = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ m) - m);
}

// Fractional seconds of TIME2/DATETIME2/TIMESTAMP2: (fsp + 1) / 2 big-endian bytes holding
// hundredths, ten-thousandths or millionths.
inline int FracBytes(int fsp) { return (fsp + 1) / 2; }

absl::Status DecodeTime2(const ColumnInfo& c, const uint8_t* p, ColumnValue* out) {
  // 1 sign bit (set = non-negative), 1 unused, 10 hour, 6 minute, 6 second bits, offset by
  // 0x800000; then the fraction. Negative values are stored so that the whole packed number
  // (integer part << 24 | fraction) is the two's complement of the positive one.
  int64_t packed;
  int64_t intpart = static_cast<int64_t>(LoadBE(p, 3)) - 0x800000;
  switch (c.fsp) {
    case 0:
      packed = intpart * (int64_t{1} << 24);
      break;
    case 1:
    case 2: {
      int64_t frac = p[3];
      if (intpart < 0 && frac != 0) {
        intpart++;
        frac -= 0x100;
      }
      packed = intpart * (int64_t{1} << 24) + frac * 10000;
      break;
    }
    case 3:
    case 4: {
      int64_t frac = static_cast<int64_t>(LoadBE(p + 3, 2));
      if (intpart < 0 && frac != 0) {
        intpart++;
        frac -= 0x10000;
      }
      packed = intpart * (int64_t{1} << 24) + frac * 100;
      break;
    }
    default:
      packed = static_cast<int64_t>(LoadBE(p, 6)) - 0x800000000000;
      break;
  }
  TimeValue t{};
  t.negative = packed < 0;
  uint64_t mag = t.negative ? 0 - static_cast<uint64_t>(packed) : static_cast<uint64_t>(packed);
  uint64_t hms = mag >> 24;
  t.micros = static_cast<uint32_t>(mag & 0xffffff);
  t.hours = static_cast<uint16_t>((hms >> 12) & 0x3ff);
  t.minutes = static_cast<uint8_t>((hms >> 6) & 0x3f);
  t.seconds = static_cast<uint8_t>(hms & 0x3f);
  if (t.micros > 999999 || t.minutes > 59 || t.seconds > 59) return Invalid(c, "bad TIME2 fields");
  *out = ColumnValue::OfTime(t, c.fsp);
  return absl::OkStatus();
}

absl::Status DecodeDateTime2(const ColumnInfo& c, const uint8_t* p, ColumnValue* out) {
  // 1 sign bit, 17 bits year*13+month, 5 day, 5 hour, 6 minute, 6 second; offset 0x8000000000.
  int64_t intpart = static_cast<int64_t>(LoadBE(p, 5)) - 0x8000000000;
  uint32_t micros = 0;
  const uint8_t* f = p + 5;
  switch (FracBytes(c.fsp)) {
    case 1:
      micros = f[0] * 10000u;
      break;
    case 2:
      micros = static_cast<uint32_t>(LoadBE(f, 2)) * 100u;
      break;
    case 3:
      micros = static_cast<uint32_t>(LoadBE(f, 3));
      break;
    default:
      break;
  }
  if (intpart < 0) return Invalid(c, "negative DATETIME2");
  if (micros > 999999) return Invalid(c, "fraction out of range");
  uint64_t ymd = static_cast<uint64_t>(intpart) >> 17;
  uint64_t hms = static_cast<uint64_t>(intpart) & 0x1ffff;
  uint64_t ym = ymd >> 5;
  DateTime d{};
  d.year = static_cast<uint16_t>(ym / 13);
  d.month = static_cast<uint8_t>(ym % 13);
  d.day = static_cast<uint8_t>(ymd & 0x1f);
  d.hour = static_cast<uint8_t>(hms >> 12);
  d.minute = static_cast<uint8_t>((hms >> 6) & 0x3f);
  d.second = static_cast<uint8_t>(hms & 0x3f);
  d.micros = micros;
  if (d.year > 9999 || d.hour > 23 || d.minute > 59 || d.second > 59) {
    return Invalid(c, "bad DATETIME2 fields");
  }
  *out = ColumnValue::OfDateTime(d, c.fsp);
  return absl::OkStatus();
}

// Length-prefixed bytes: `prefix` bytes of little-endian length, then the data.
inline absl::Status ReadPrefixed(const ColumnInfo& c, int prefix, const uint8_t*& p,
                                 const uint8_t* end, const uint8_t** data, uint32_t* size) {
  size_t have = static_cast<size_t>(end - p);
  if (ABSL_PREDICT_FALSE(have < static_cast<size_t>(prefix))) return Truncated(c, prefix, have);
  uint64_t n = LoadLE(p, prefix);
  p += prefix;
  have -= prefix;
  if (ABSL_PREDICT_FALSE(n > have)) return Truncated(c, n, have);
  *data = p;
  *size = static_cast<uint32_t>(n);
  p += n;
  return absl::OkStatus();
}

}  // namespace

absl::Status DecodeColumnValue(const ColumnInfo& c, const uint8_t** pos, const uint8_t* end,
                               ColumnValue* out) {
  const uint8_t* p = *pos;
  const size_t have = static_cast<size_t>(end - p);
  auto need = [&](size_t n) -> bool { return ABSL_PREDICT_TRUE(have >= n); };
  size_t used = 0;

  switch (c.real_type) {
    case ColumnType::kTiny:
      if (!need(1)) return Truncated(c, 1, have);
      *out = c.is_unsigned ? ColumnValue::Unsigned(p[0]) : ColumnValue::Signed(SignExtend(p[0], 8));
      used = 1;
      break;
    case ColumnType::kShort:
      if (!need(2)) return Truncated(c, 2, have);
      *out = c.is_unsigned ? ColumnValue::Unsigned(LoadLE(p, 2))
                           : ColumnValue::Signed(SignExtend(LoadLE(p, 2), 16));
      used = 2;
      break;
    case ColumnType::kInt24:
      if (!need(3)) return Truncated(c, 3, have);
      *out = c.is_unsigned ? ColumnValue::Unsigned(LoadLE(p, 3))
                           : ColumnValue::Signed(SignExtend(LoadLE(p, 3), 24));
      used = 3;
      break;
    case ColumnType::kLong:
      if (!need(4)) return Truncated(c, 4, have);
      *out = c.is_unsigned ? ColumnValue::Unsigned(LoadLE(p, 4))
                           : ColumnValue::Signed(SignExtend(LoadLE(p, 4), 32));
      used = 4;
      break;
    case ColumnType::kLongLong: {
      if (!need(8)) return Truncated(c, 8, have);
      uint64_t v;
      std::memcpy(&v, p, 8);  // little-endian host
      *out =
          c.is_unsigned ? ColumnValue::Unsigned(v) : ColumnValue::Signed(static_cast<int64_t>(v));
      used = 8;
      break;
    }
    case ColumnType::kFloat: {
      if (!need(4)) return Truncated(c, 4, have);
      float f;
      std::memcpy(&f, p, 4);
      *out = ColumnValue::Float(f);
      used = 4;
      break;
    }
    case ColumnType::kDouble: {
      if (!need(8)) return Truncated(c, 8, have);
      double d;
      std::memcpy(&d, p, 8);
      *out = ColumnValue::Double(d);
      used = 8;
      break;
    }
    case ColumnType::kNewDecimal: {
      size_t n = DecimalBinarySize(c.precision, c.scale);
      if (n == 0) {
        return Invalid(c, absl::StrCat("DECIMAL(", c.precision, ",", c.scale,
                                       ") is not a valid precision/scale"));
      }
      if (!need(n)) return Truncated(c, n, have);
      if (absl::Status s = ValidateDecimal(p, c.precision, c.scale); !s.ok()) return s;
      *out = ColumnValue::Decimal(p, static_cast<uint32_t>(n), c.precision, c.scale);
      used = n;
      break;
    }
    case ColumnType::kDecimal:
      return absl::UnimplementedError(
          "the pre-MySQL-5.0 DECIMAL type is not supported; run ALTER TABLE ... FORCE on the "
          "table to convert it to the current DECIMAL format");
    case ColumnType::kYear:
      if (!need(1)) return Truncated(c, 1, have);
      *out = ColumnValue::Year(p[0] == 0 ? 0 : 1900 + p[0]);
      used = 1;
      break;
    case ColumnType::kDate:
    case ColumnType::kNewDate: {
      if (!need(3)) return Truncated(c, 3, have);
      uint32_t v = static_cast<uint32_t>(LoadLE(p, 3));
      *out = ColumnValue::OfDate(Date{static_cast<uint16_t>(v >> 9),
                                      static_cast<uint8_t>((v >> 5) & 0xf),
                                      static_cast<uint8_t>(v & 0x1f)});
      used = 3;
      break;
    }
    case ColumnType::kTime: {
      // Old format: a signed integer hhmmss.
      if (!need(3)) return Truncated(c, 3, have);
      int64_t v = SignExtend(LoadLE(p, 3), 24);
      TimeValue t{};
      t.negative = v < 0;
      uint64_t m = static_cast<uint64_t>(v < 0 ? -v : v);
      t.hours = static_cast<uint16_t>(m / 10000);
      t.minutes = static_cast<uint8_t>(m / 100 % 100);
      t.seconds = static_cast<uint8_t>(m % 100);
      if (t.minutes > 59 || t.seconds > 59) return Invalid(c, "bad TIME fields");
      *out = ColumnValue::OfTime(t, 0);
      used = 3;
      break;
    }
    case ColumnType::kTime2: {
      size_t n = 3 + FracBytes(c.fsp);
      if (!need(n)) return Truncated(c, n, have);
      if (absl::Status s = DecodeTime2(c, p, out); !s.ok()) return s;
      used = n;
      break;
    }
    case ColumnType::kDateTime: {
      // Old format: the decimal digits YYYYMMDDhhmmss in a uint64.
      if (!need(8)) return Truncated(c, 8, have);
      uint64_t v = LoadLE(p, 8);
      uint64_t date = v / 1000000, time = v % 1000000;
      DateTime d{};
      d.year = static_cast<uint16_t>(date / 10000 % 10000);
      d.month = static_cast<uint8_t>(date / 100 % 100);
      d.day = static_cast<uint8_t>(date % 100);
      d.hour = static_cast<uint8_t>(time / 10000);
      d.minute = static_cast<uint8_t>(time / 100 % 100);
      d.second = static_cast<uint8_t>(time % 100);
      if (d.month > 12 || d.day > 31 || d.hour > 23 || d.minute > 59 || d.second > 59) {
        return Invalid(c, "bad DATETIME fields");
      }
      *out = ColumnValue::OfDateTime(d, 0);
      used = 8;
      break;
    }
    case ColumnType::kDateTime2: {
      size_t n = 5 + FracBytes(c.fsp);
      if (!need(n)) return Truncated(c, n, have);
      if (absl::Status s = DecodeDateTime2(c, p, out); !s.ok()) return s;
      used = n;
      break;
    }
    case ColumnType::kTimestamp:
      if (!need(4)) return Truncated(c, 4, have);
      *out = ColumnValue::OfTimestamp(Timestamp{static_cast<uint32_t>(LoadLE(p, 4)), 0}, 0);
      used = 4;
      break;
    case ColumnType::kTimestamp2: {
      size_t n = 4 + FracBytes(c.fsp);
      if (!need(n)) return Truncated(c, n, have);
      uint32_t micros = 0;
      switch (FracBytes(c.fsp)) {
        case 1:
          micros = p[4] * 10000u;
          break;
        case 2:
          micros = static_cast<uint32_t>(LoadBE(p + 4, 2)) * 100u;
          break;
        case 3:
          micros = static_cast<uint32_t>(LoadBE(p + 4, 3));
          break;
        default:
          break;
      }
      if (micros > 999999) return Invalid(c, "fraction out of range");
      *out =
          ColumnValue::OfTimestamp(Timestamp{static_cast<uint32_t>(LoadBE(p, 4)), micros}, c.fsp);
      used = n;
      break;
    }
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
    case ColumnType::kString: {
      const uint8_t* q = p;
      const uint8_t* data = nullptr;
      uint32_t size = 0;
      if (absl::Status s = ReadPrefixed(c, c.max_length > 255 ? 2 : 1, q, end, &data, &size);
          !s.ok()) {
        return s;
      }
      *out = ColumnValue::Bytes(ValueKind::kString, data, size);
      used = static_cast<size_t>(q - p);
      break;
    }
    case ColumnType::kEnum:
    case ColumnType::kSet: {
      size_t n = c.length_bytes;
      bool is_enum = c.real_type == ColumnType::kEnum;
      if (is_enum ? (n < 1 || n > 2) : (n < 1 || n > 8)) {
        return Invalid(c, absl::StrCat("value size ", n, " is impossible"));
      }
      if (!need(n)) return Truncated(c, n, have);
      uint64_t v = LoadLE(p, n);
      *out = is_enum ? ColumnValue::Enum(v) : ColumnValue::Set(v);
      used = n;
      break;
    }
    case ColumnType::kBit: {
      size_t n = (c.bit_length + 7) / 8;
      if (n == 0 || n > 8) return Invalid(c, "BIT width out of range");
      if (!need(n)) return Truncated(c, n, have);
      *out = ColumnValue::Bytes(ValueKind::kBit, p, static_cast<uint32_t>(n), c.bit_length);
      used = n;
      break;
    }
    case ColumnType::kBlob:
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kJson:
    case ColumnType::kVector:
    case ColumnType::kGeometry: {
      int prefix = c.length_bytes;
      if (prefix < 1 || prefix > 4) {
        return Invalid(c, absl::StrCat("length prefix of ", prefix, " bytes is impossible"));
      }
      const uint8_t* q = p;
      const uint8_t* data = nullptr;
      uint32_t size = 0;
      if (absl::Status s = ReadPrefixed(c, prefix, q, end, &data, &size); !s.ok()) return s;
      if (c.real_type == ColumnType::kGeometry) {
        // MySQL's internal geometry: a 4-byte little-endian SRID, then standard WKB.
        if (size < 4) return Invalid(c, "GEOMETRY shorter than its 4-byte SRID");
        *out = ColumnValue::Bytes(ValueKind::kGeometry, data + 4, size - 4,
                                  static_cast<uint32_t>(LoadLE(data, 4)));
      } else {
        *out = ColumnValue::Bytes(
            c.real_type == ColumnType::kJson ? ValueKind::kJson : ValueKind::kString, data, size);
      }
      used = static_cast<size_t>(q - p);
      break;
    }
    case ColumnType::kNull:
      *out = ColumnValue::Null();
      break;
    default:
      return absl::UnimplementedError(
          absl::StrCat("column type ", ColumnTypeName(c.real_type), " cannot be decoded"));
  }
  *pos = p + used;
  return absl::OkStatus();
}

}  // namespace sluice::binlog
