// Every column type decoded from bytes laid out as the MySQL/MariaDB docs describe them.
#include "sluice/binlog/column_decoder.h"

#include <cstring>
#include <deque>

#include "binlog_builder.h"
#include "gtest/gtest.h"

namespace sluice::binlog {
namespace {

using testing::Bytes;

ColumnInfo Column(ColumnType type, uint16_t metadata = 0, bool is_unsigned = false) {
  ColumnInfo c;
  c.type = type;
  c.raw_metadata = metadata;
  c.is_unsigned = is_unsigned;
  EXPECT_TRUE(ResolveColumnMetadata(c).ok());
  return c;
}

// Decodes `input` fully: the value must consume exactly all of it. Values are views, so the
// bytes are kept alive for the whole test binary.
ColumnValue DecodeAll(const ColumnInfo& c, const Bytes& input) {
  static std::deque<Bytes>* kept = new std::deque<Bytes>;
  const Bytes& bytes = kept->emplace_back(input);
  const uint8_t* p = bytes.span().data();
  const uint8_t* end = p + bytes.size();
  ColumnValue v;
  absl::Status s = DecodeColumnValue(c, &p, end, &v);
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(p, end) << "value did not consume all its bytes";
  return v;
}

absl::Status DecodeError(const ColumnInfo& c, const Bytes& bytes) {
  const uint8_t* p = bytes.span().data();
  ColumnValue v;
  return DecodeColumnValue(c, &p, p + bytes.size(), &v);
}

TEST(ColumnDecoder, IntegersSignedAndUnsigned) {
  EXPECT_EQ(DecodeAll(Column(ColumnType::kTiny), Bytes{0x80}).i64(), -128);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kTiny, 0, true), Bytes{0xff}).u64(), 255u);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kShort), Bytes{0x00, 0x80}).i64(), -32768);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kShort, 0, true), Bytes{0xff, 0xff}).u64(), 65535u);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kInt24), Bytes{0xff, 0xff, 0xff}).i64(), -1);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kInt24), Bytes{0x00, 0x00, 0x80}).i64(), -8388608);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kInt24, 0, true), Bytes{0xff, 0xff, 0xff}).u64(),
            16777215u);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kLong), Bytes().U32(0x80000000)).i64(), INT32_MIN);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kLong, 0, true), Bytes().U32(0xffffffff)).u64(),
            4294967295u);
  ColumnValue big = DecodeAll(Column(ColumnType::kLongLong), Bytes().U64(0x8000000000000000));
  EXPECT_EQ(big.kind(), ValueKind::kSigned);
  EXPECT_EQ(big.i64(), INT64_MIN);
  ColumnValue ubig = DecodeAll(Column(ColumnType::kLongLong, 0, true), Bytes().U64(UINT64_MAX));
  EXPECT_EQ(ubig.kind(), ValueKind::kUnsigned);
  EXPECT_EQ(ubig.u64(), UINT64_MAX);
}

TEST(ColumnDecoder, FloatAndDouble) {
  float f = -1.5f;
  uint32_t fbits;
  std::memcpy(&fbits, &f, 4);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kFloat, 4), Bytes().U32(fbits)).f32(), -1.5f);
  double d = 3.141592653589793;
  uint64_t dbits;
  std::memcpy(&dbits, &d, 8);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kDouble, 8), Bytes().U64(dbits)).f64(), d);
}

TEST(ColumnDecoder, NewDecimalPositiveNegativeAndZero) {
  // DECIMAL(12,2): 1 leading digit (1 byte), one 9-digit group (4 bytes), 2 fraction digits.
  ColumnInfo c = Column(ColumnType::kNewDecimal, /*precision*/ 12 | (/*scale*/ 2 << 8));
  ColumnValue pos = DecodeAll(c, Bytes{0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x0c});
  ASSERT_EQ(pos.kind(), ValueKind::kDecimal);
  EXPECT_EQ(pos.decimal().ToString(), "1234567890.12");
  ColumnValue neg = DecodeAll(c, Bytes{0x7e, 0xf2, 0x04, 0xc7, 0x2d, 0xf3});
  EXPECT_EQ(neg.decimal().ToString(), "-1234567890.12");
  int64_t unscaled = 0;
  ASSERT_TRUE(neg.decimal().ToUnscaledInt64(&unscaled));
  EXPECT_EQ(unscaled, -123456789012);
  ColumnValue zero = DecodeAll(c, Bytes{0x80, 0, 0, 0, 0, 0});
  EXPECT_EQ(zero.decimal().ToString(), "0.00");
}

TEST(ColumnDecoder, NewDecimalWithBadDigitGroupIsAnError) {
  ColumnInfo c = Column(ColumnType::kNewDecimal, 12 | (2 << 8));
  // Fraction byte 0x64 = 100 cannot be two digits.
  EXPECT_FALSE(DecodeError(c, Bytes{0x80, 0, 0, 0, 0, 0x64}).ok());
}

TEST(ColumnDecoder, ObsoleteDecimalIsRefusedClearly) {
  absl::Status s = DecodeError(Column(ColumnType::kDecimal, 0x0a05), Bytes{0x31});
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(s.message().find("DECIMAL"), std::string::npos);
}

TEST(ColumnDecoder, YearIncludingZero) {
  EXPECT_EQ(DecodeAll(Column(ColumnType::kYear), Bytes{124}).i64(), 2024);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kYear), Bytes{0}).i64(), 0);
  EXPECT_EQ(DecodeAll(Column(ColumnType::kYear), Bytes{255}).i64(), 2155);
}

TEST(ColumnDecoder, DateAndZeroDate) {
  Date d = DecodeAll(Column(ColumnType::kDate), Bytes{0x5d, 0xd0, 0x0f}).date();
  EXPECT_EQ(d.year, 2024);
  EXPECT_EQ(d.month, 2);
  EXPECT_EQ(d.day, 29);
  EXPECT_TRUE(DecodeAll(Column(ColumnType::kDate), Bytes{0, 0, 0}).date().is_zero());
}

TEST(ColumnDecoder, Time2WholeSecondsPositiveAndNegative) {
  TimeValue t = DecodeAll(Column(ColumnType::kTime2, 0), Bytes{0x80, 0xc8, 0xb8}).time();
  EXPECT_FALSE(t.negative);
  EXPECT_EQ(t.hours, 12);
  EXPECT_EQ(t.minutes, 34);
  EXPECT_EQ(t.seconds, 56);
  TimeValue n = DecodeAll(Column(ColumnType::kTime2, 0), Bytes{0x7f, 0x37, 0x48}).time();
  EXPECT_TRUE(n.negative);
  EXPECT_EQ(n.ToMicros(), -((12 * 3600 + 34 * 60 + 56) * int64_t{1000000}));
}

TEST(ColumnDecoder, Time2RangeLimits) {
  TimeValue max = DecodeAll(Column(ColumnType::kTime2, 0), Bytes{0xb4, 0x6e, 0xfb}).time();
  EXPECT_EQ(max.hours, 838);
  EXPECT_EQ(max.minutes, 59);
  EXPECT_EQ(max.seconds, 59);
  TimeValue min = DecodeAll(Column(ColumnType::kTime2, 0), Bytes{0x4b, 0x91, 0x05}).time();
  EXPECT_TRUE(min.negative);
  EXPECT_EQ(min.hours, 838);
}

TEST(ColumnDecoder, Time2NegativeWithFractionEveryWidth) {
  // -00:00:01.5 at fsp 2 (1 fraction byte, two's complement borrow from the integer part),
  // and at fsp 6 (the whole 6 bytes are one offset number).
  TimeValue t2 =
      DecodeAll(Column(ColumnType::kTime2, 2), Bytes().BE(0x800000 - 2, 3).U8(206)).time();
  EXPECT_EQ(t2.ToMicros(), -1500000);
  TimeValue t4 =
      DecodeAll(Column(ColumnType::kTime2, 4), Bytes().BE(0x800000 - 2, 3).BE(0x10000 - 5000, 2))
          .time();
  EXPECT_EQ(t4.ToMicros(), -1500000);
  TimeValue t6 =
      DecodeAll(Column(ColumnType::kTime2, 6), Bytes{0x7f, 0xff, 0xfe, 0xf8, 0x5e, 0xe0}).time();
  EXPECT_EQ(t6.ToMicros(), -1500000);
  TimeValue p6 = DecodeAll(Column(ColumnType::kTime2, 6),
                           Bytes().BE(0x800000000000 + (uint64_t{1} << 24) + 500000, 6))
                     .time();
  EXPECT_EQ(p6.ToMicros(), 1500000);
}

TEST(ColumnDecoder, OldTimeFormatNegative) {
  TimeValue t =
      DecodeAll(Column(ColumnType::kTime), Bytes().LE(static_cast<uint32_t>(-123456), 3)).time();
  EXPECT_TRUE(t.negative);
  EXPECT_EQ(t.hours, 12);
  EXPECT_EQ(t.minutes, 34);
  EXPECT_EQ(t.seconds, 56);
}

TEST(ColumnDecoder, DateTime2AllFractionWidths) {
  Bytes base{0x99, 0xb2, 0xba, 0xdb, 0x47};  // 2024-02-29 13:45:07
  DateTime d0 = DecodeAll(Column(ColumnType::kDateTime2, 0), base).datetime();
  EXPECT_EQ(d0.year, 2024);
  EXPECT_EQ(d0.month, 2);
  EXPECT_EQ(d0.day, 29);
  EXPECT_EQ(d0.hour, 13);
  EXPECT_EQ(d0.minute, 45);
  EXPECT_EQ(d0.second, 7);
  EXPECT_EQ(d0.micros, 0u);
  struct Case {
    int fsp;
    Bytes frac;
    uint32_t micros;
  };
  for (const Case& k :
       {Case{1, Bytes{50}, 500000}, Case{2, Bytes{12}, 120000},
        Case{3, Bytes().BE(1230, 2), 123000}, Case{4, Bytes().BE(1234, 2), 123400},
        Case{5, Bytes().BE(123450, 3), 123450}, Case{6, Bytes().BE(999999, 3), 999999}}) {
    Bytes b = base;
    b.Append(k.frac);
    ColumnValue v = DecodeAll(Column(ColumnType::kDateTime2, k.fsp), b);
    EXPECT_EQ(v.datetime().micros, k.micros) << "fsp " << k.fsp;
    EXPECT_EQ(v.fsp(), static_cast<uint32_t>(k.fsp));
  }
}

TEST(ColumnDecoder, DateTime2ZeroDate) {
  EXPECT_TRUE(
      DecodeAll(Column(ColumnType::kDateTime2, 0), Bytes{0x80, 0, 0, 0, 0}).datetime().is_zero());
}

TEST(ColumnDecoder, OldDateTimeFormat) {
  DateTime d = DecodeAll(Column(ColumnType::kDateTime), Bytes().U64(20240229134507ull)).datetime();
  EXPECT_EQ(d.year, 2024);
  EXPECT_EQ(d.day, 29);
  EXPECT_EQ(d.second, 7);
  EXPECT_TRUE(DecodeAll(Column(ColumnType::kDateTime), Bytes().U64(0)).datetime().is_zero());
}

TEST(ColumnDecoder, TimestampOldAndNew) {
  Timestamp t = DecodeAll(Column(ColumnType::kTimestamp), Bytes().U32(1700000000)).timestamp();
  EXPECT_EQ(t.seconds, 1700000000u);
  Timestamp t3 =
      DecodeAll(Column(ColumnType::kTimestamp2, 3), Bytes{0x65, 0x53, 0xf1, 0x00}.BE(1230, 2))
          .timestamp();
  EXPECT_EQ(t3.seconds, 1700000000u);
  EXPECT_EQ(t3.micros, 123000u);
  Timestamp zero = DecodeAll(Column(ColumnType::kTimestamp2, 6), Bytes().Zeros(7)).timestamp();
  EXPECT_EQ(zero.seconds, 0u);
}

TEST(ColumnDecoder, VarcharOneAndTwoByteLengths) {
  ColumnValue s = DecodeAll(Column(ColumnType::kVarchar, 60), Bytes().U8(5).Str("héll"));
  EXPECT_EQ(s.kind(), ValueKind::kString);
  EXPECT_EQ(s.string(), "héll");
  std::string big(300, 'x');
  ColumnValue l = DecodeAll(Column(ColumnType::kVarchar, 1000), Bytes().U16(300).Str(big));
  EXPECT_EQ(l.string(), big);
  ColumnValue empty = DecodeAll(Column(ColumnType::kVarchar, 10), Bytes{0});
  EXPECT_EQ(empty.string(), "");
}

TEST(ColumnDecoder, CharShortAndLongerThan255Bytes) {
  // CHAR(60) utf8mb3: real type STRING (0xfe), length 180.
  ColumnValue s =
      DecodeAll(Column(ColumnType::kString, 0xfe | (180 << 8)), Bytes().U8(3).Str("abc"));
  EXPECT_EQ(s.string(), "abc");
  // CHAR(255) utf8mb4 = 1020 bytes: 1020 = 0x3fc; the high bits 0x300 are folded, inverted,
  // into bits 4-5 of the type byte: 0xfe ^ (0x30 & (0x300 >> 4)) = 0xce.
  ColumnInfo wide = Column(ColumnType::kString, 0xce | (0xfc << 8));
  EXPECT_EQ(wide.real_type, ColumnType::kString);
  EXPECT_EQ(wide.max_length, 1020u);
  ColumnValue w = DecodeAll(wide, Bytes().U16(2).Str("hi"));
  EXPECT_EQ(w.string(), "hi");
}

TEST(ColumnDecoder, EnumAndSetFromStringMetadata) {
  ColumnInfo e = Column(ColumnType::kString, 0xf7 | (1 << 8));  // ENUM, 1 byte
  EXPECT_EQ(e.real_type, ColumnType::kEnum);
  ColumnValue ev = DecodeAll(e, Bytes{3});
  EXPECT_EQ(ev.kind(), ValueKind::kEnum);
  EXPECT_EQ(ev.u64(), 3u);
  ColumnInfo e2 = Column(ColumnType::kString, 0xf7 | (2 << 8));  // ENUM with > 255 values
  EXPECT_EQ(DecodeAll(e2, Bytes().U16(300)).u64(), 300u);
  ColumnInfo s = Column(ColumnType::kString, 0xf8 | (8 << 8));  // SET of 64 members
  ColumnValue sv = DecodeAll(s, Bytes().U64(0x8000000000000001ull));
  EXPECT_EQ(sv.kind(), ValueKind::kSet);
  EXPECT_EQ(sv.u64(), 0x8000000000000001ull);
}

TEST(ColumnDecoder, BitWidths) {
  ColumnInfo b1 = Column(ColumnType::kBit, 1);  // BIT(1): 1 bit, 0 whole bytes
  EXPECT_EQ(b1.bit_length, 1);
  ColumnValue v1 = DecodeAll(b1, Bytes{1});
  EXPECT_EQ(v1.kind(), ValueKind::kBit);
  EXPECT_EQ(v1.bit_length(), 1u);
  ColumnInfo b12 = Column(ColumnType::kBit, 4 | (1 << 8));  // BIT(12)
  ColumnValue v12 = DecodeAll(b12, Bytes{0x0a, 0xbc});
  EXPECT_EQ(v12.bytes().size(), 2u);
  EXPECT_EQ(v12.bytes()[0], 0x0a);
  ColumnInfo b64 = Column(ColumnType::kBit, 0 | (8 << 8));
  EXPECT_EQ(DecodeAll(b64, Bytes().Zeros(8)).bytes().size(), 8u);
}

TEST(ColumnDecoder, BlobAndTextEveryPrefixWidth) {
  for (int prefix = 1; prefix <= 4; ++prefix) {
    ColumnValue v = DecodeAll(Column(ColumnType::kBlob, prefix),
                              Bytes().LE(3, prefix).Str(std::string_view("a\0b", 3)));
    EXPECT_EQ(v.kind(), ValueKind::kString);
    EXPECT_EQ(v.bytes().size(), 3u) << "prefix " << prefix;
  }
  std::string text(70000, 'z');  // > 64 KB: MEDIUMTEXT, 3-byte prefix
  EXPECT_EQ(DecodeAll(Column(ColumnType::kBlob, 3), Bytes().U24(text.size()).Str(text)).string(),
            text);
}

TEST(ColumnDecoder, JsonKeepsBinaryBytes) {
  ColumnValue v = DecodeAll(Column(ColumnType::kJson, 4), Bytes().U32(2).U8(0x04).U8(0x01));
  EXPECT_EQ(v.kind(), ValueKind::kJson);
  EXPECT_EQ(v.bytes().size(), 2u);
}

TEST(ColumnDecoder, GeometrySplitsSridFromWkb) {
  Bytes wkb;
  wkb.U8(1).U32(1);  // little-endian POINT
  uint64_t x, y;
  double dx = 1.5, dy = -2;
  std::memcpy(&x, &dx, 8);
  std::memcpy(&y, &dy, 8);
  wkb.U64(x).U64(y);
  ColumnValue v = DecodeAll(Column(ColumnType::kGeometry, 4),
                            Bytes().U32(4 + wkb.size()).U32(4326).Append(wkb));
  EXPECT_EQ(v.kind(), ValueKind::kGeometry);
  EXPECT_EQ(v.srid(), 4326u);
  EXPECT_EQ(v.bytes().size(), 21u);
  EXPECT_EQ(v.bytes()[0], 1);
}

TEST(ColumnDecoder, TruncatedValuesAreErrorsNotReads) {
  EXPECT_FALSE(DecodeError(Column(ColumnType::kLongLong), Bytes{1, 2, 3}).ok());
  EXPECT_FALSE(DecodeError(Column(ColumnType::kVarchar, 60), Bytes().U8(10).Str("abc")).ok());
  EXPECT_FALSE(DecodeError(Column(ColumnType::kBlob, 4), Bytes().U32(0xffffffff)).ok());
  EXPECT_FALSE(DecodeError(Column(ColumnType::kDateTime2, 6), Bytes{0x99, 0xb2}).ok());
  absl::Status s = DecodeError(Column(ColumnType::kLong), Bytes{1});
  EXPECT_NE(s.message().find("needs 4"), std::string::npos) << s;
}

TEST(ColumnDecoder, ImpossibleMetadataIsAnError) {
  ColumnInfo c;
  c.type = ColumnType::kBit;
  c.raw_metadata = 9;  // 9 leftover bits
  EXPECT_FALSE(ResolveColumnMetadata(c).ok());
  c.type = ColumnType::kDateTime2;
  c.raw_metadata = 7;
  EXPECT_FALSE(ResolveColumnMetadata(c).ok());
  ColumnInfo blob = Column(ColumnType::kBlob, 0);
  EXPECT_FALSE(DecodeError(blob, Bytes{0}).ok());
}

}  // namespace
}  // namespace sluice::binlog
