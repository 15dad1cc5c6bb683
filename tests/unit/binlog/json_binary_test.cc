#include "sluice/binlog/json_binary.h"

#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "binlog_builder.h"
#include "sluice/binlog/json_diff.h"
#include "gtest/gtest.h"

namespace sluice::binlog {
namespace {

using testing::Bytes;

// A test-side encoder of MySQL's binary JSON, from the format description in the MySQL
// source documentation (json_binary.h): enough to build every value type.
struct J {
  uint8_t type;
  Bytes payload;                                   // scalar bytes (not for containers)
  std::vector<std::pair<std::string, J>> members;  // objects: key+value; arrays: "" + value
  bool object = false, array = false;
};

J Literal(uint8_t v) { return {0x04, Bytes{v}, {}, false, false}; }
J Int16(int16_t v) { return {0x05, Bytes().U16(static_cast<uint16_t>(v)), {}, false, false}; }
J Uint16(uint16_t v) { return {0x06, Bytes().U16(v), {}, false, false}; }
J Int32(int32_t v) { return {0x07, Bytes().U32(static_cast<uint32_t>(v)), {}, false, false}; }
J Uint32(uint32_t v) { return {0x08, Bytes().U32(v), {}, false, false}; }
J Int64(int64_t v) { return {0x09, Bytes().U64(static_cast<uint64_t>(v)), {}, false, false}; }
J Uint64(uint64_t v) { return {0x0a, Bytes().U64(v), {}, false, false}; }
J Double(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  return {0x0b, Bytes().U64(bits), {}, false, false};
}
Bytes VarLen(size_t n) {
  Bytes b;
  do {
    uint8_t byte = n & 0x7f;
    n >>= 7;
    b.U8(byte | (n ? 0x80 : 0));
  } while (n);
  return b;
}
J String(std::string_view s) { return {0x0c, VarLen(s.size()).Str(s), {}, false, false}; }
J Opaque(uint8_t field_type, const Bytes& data) {
  Bytes b;
  b.U8(field_type).Append(VarLen(data.size())).Append(data);
  return {0x0f, b, {}, false, false};
}
J Object(std::vector<std::pair<std::string, J>> m, bool large = false) {
  return {static_cast<uint8_t>(large ? 0x01 : 0x00), {}, std::move(m), true, false};
}
J Array(std::vector<J> v, bool large = false) {
  std::vector<std::pair<std::string, J>> m;
  for (auto& j : v) m.emplace_back("", std::move(j));
  return {static_cast<uint8_t>(large ? 0x03 : 0x02), {}, std::move(m), false, true};
}

bool Inlined(uint8_t type, bool large) {
  return type == 0x04 || type == 0x05 || type == 0x06 || (large && (type == 0x07 || type == 0x08));
}

Bytes EncodeBody(const J& j) {
  if (!j.object && !j.array) return j.payload;
  const bool large = j.type == 0x01 || j.type == 0x03;
  const int w = large ? 4 : 2;
  const size_t n = j.members.size();
  size_t header = 2 * w + n * (j.object ? w + 2 : 0) + n * (1 + w);
  Bytes keys, values;
  std::vector<size_t> key_off, val_off;
  size_t at = header;
  if (j.object) {
    for (auto& [k, v] : j.members) {
      key_off.push_back(at);
      keys.Str(k);
      at += k.size();
    }
  }
  for (auto& [k, v] : j.members) {
    if (Inlined(v.type, large)) {
      val_off.push_back(0);
      continue;
    }
    val_off.push_back(at);
    Bytes b = EncodeBody(v);
    values.Append(b);
    at += b.size();
  }
  Bytes out;
  out.LE(n, w).LE(at, w);
  if (j.object)
    for (size_t i = 0; i < n; ++i) out.LE(key_off[i], w).U16(j.members[i].first.size());
  for (size_t i = 0; i < n; ++i) {
    const J& v = j.members[i].second;
    out.U8(v.type);
    if (Inlined(v.type, large)) {
      Bytes inl = v.payload;
      inl.vec().resize(w, 0);
      out.Append(inl);
    } else {
      out.LE(val_off[i], w);
    }
  }
  out.Append(keys).Append(values);
  return out;
}

Bytes Doc(const J& j) {
  Bytes b;
  b.U8(j.type).Append(EncodeBody(j));
  return b;
}

std::string Text(const Bytes& doc) {
  std::string out;
  absl::Status s = AppendJsonBinaryAsText(doc.span(), &out);
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

TEST(JsonBinary, Scalars) {
  EXPECT_EQ(Text(Doc(Literal(0))), "null");
  EXPECT_EQ(Text(Doc(Literal(1))), "true");
  EXPECT_EQ(Text(Doc(Literal(2))), "false");
  EXPECT_EQ(Text(Doc(Int16(-32768))), "-32768");
  EXPECT_EQ(Text(Doc(Uint16(65535))), "65535");
  EXPECT_EQ(Text(Doc(Int32(-2147483647 - 1))), "-2147483648");
  EXPECT_EQ(Text(Doc(Uint32(4294967295u))), "4294967295");
  EXPECT_EQ(Text(Doc(Int64(INT64_MIN))), "-9223372036854775808");
  EXPECT_EQ(Text(Doc(Uint64(UINT64_MAX))), "18446744073709551615");
  EXPECT_EQ(Text(Doc(Double(2.5))), "2.5");
  EXPECT_EQ(Text(Doc(String("héllo"))), "\"héllo\"");
  EXPECT_EQ(Text(Bytes()), "null");
}

TEST(JsonBinary, StringsAreEscaped) {
  EXPECT_EQ(Text(Doc(String("a\"b\\c\n\x01"))), "\"a\\\"b\\\\c\\n\\u0001\"");
  // Every control character, 0x1A-0x1F included, and past the length a SIMD copy would take.
  EXPECT_EQ(
      Text(Doc(String(std::string(16, 'x') + "\x1a\x1b\x1c\x1d\x1e\x1f" + std::string(16, 'y')))),
      "\"" + std::string(16, 'x') + "\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f" +
          std::string(16, 'y') + "\"");
}

TEST(JsonBinary, LongStringUsesMultiByteLength) {
  std::string s(20000, 'q');
  EXPECT_EQ(Text(Doc(String(s))), "\"" + s + "\"");
}

TEST(JsonBinary, NestedObjectsAndArraysSmallAndLarge) {
  J doc = Object({{"a", Int16(1)},
                  {"b", Array({Literal(1), Literal(0), String("x"), Double(-0.5)})},
                  {"c", Object({{"d", Int64(5)}}, /*large=*/true)},
                  {"e", Array({Int32(7), Uint32(8)}, /*large=*/true)}});
  EXPECT_EQ(Text(Doc(doc)), R"({"a":1,"b":[true,null,"x",-0.5],"c":{"d":5},"e":[7,8]})");
  EXPECT_EQ(Text(Doc(Object({}))), "{}");
  EXPECT_EQ(Text(Doc(Array({}))), "[]");
}

TEST(JsonBinary, LargeDocument) {
  std::vector<J> items;
  for (int i = 0; i < 5000; ++i)
    items.push_back(Object({{"id", Int32(i)}, {"name", String("item")}}));
  std::string text = Text(Doc(Array(std::move(items), /*large=*/true)));
  EXPECT_EQ(text.substr(0, 30), R"([{"id":0,"name":"item"},{"id":)");
  EXPECT_EQ(text.back(), ']');
}

TEST(JsonBinary, OpaqueDecimalDateTimeAndOther) {
  // DECIMAL(5,2) 123.45: precision, scale, then the binary decimal.
  EXPECT_EQ(Text(Doc(Opaque(246, Bytes{5, 2, 0x80, 0x7b, 0x2d}))), "123.45");
  // Packed DATETIME 2024-02-29 13:45:07.5: ((ym<<5|day)<<17 | hms) << 24 | micros.
  int64_t ym = 2024 * 13 + 2;
  int64_t packed = ((((ym << 5) | 29) << 17) | ((13 << 12) | (45 << 6) | 7)) << 24 | 500000;
  EXPECT_EQ(Text(Doc(Opaque(12, Bytes().U64(static_cast<uint64_t>(packed))))),
            "\"2024-02-29 13:45:07.500000\"");
  EXPECT_EQ(Text(Doc(Opaque(10, Bytes().U64(static_cast<uint64_t>(((ym << 5) | 29) << 17 << 24))))),
            "\"2024-02-29\"");
  int64_t time = -((int64_t{(1 << 12) | (2 << 6) | 3} << 24));
  EXPECT_EQ(Text(Doc(Opaque(11, Bytes().U64(static_cast<uint64_t>(time))))), "\"-01:02:03.000000\"");
  EXPECT_EQ(Text(Doc(Opaque(252, Bytes{'h', 'i'}))), "\"base64:type252:aGk=\"");
}

TEST(JsonBinary, TheMostNegativePackedTemporalIsNoOverflow) {
  // INT64_MIN as a packed TIME: a fuzzer found its negation overflowing (UB). It is garbage, but
  // it must print something, not misbehave.
  const uint64_t most_negative = uint64_t{1} << 63;
  for (uint8_t type : {10, 11, 12}) {
    std::string out;
    EXPECT_TRUE(
        AppendJsonBinaryAsText(Doc(Opaque(type, Bytes().U64(most_negative))).span(), &out).ok());
    EXPECT_FALSE(out.empty());
  }
}

TEST(JsonBinary, MalformedInputIsAnErrorNeverACrash) {
  std::string out;
  EXPECT_FALSE(AppendJsonBinaryAsText(Bytes{0x0c, 0x05, 'a'}.span(), &out).ok());  // short string
  EXPECT_FALSE(AppendJsonBinaryAsText(Bytes{0x00, 0x01, 0x00, 0xff, 0x00}.span(), &out).ok());
  EXPECT_FALSE(AppendJsonBinaryAsText(Bytes{0x09, 0x01}.span(), &out).ok());
  EXPECT_FALSE(AppendJsonBinaryAsText(Bytes{0x42}.span(), &out).ok());
  EXPECT_FALSE(AppendJsonBinaryAsText(Bytes{0x04, 0x07}.span(), &out).ok());
  // An array whose element points back at the array itself: bounded by the depth limit.
  Bytes self{0x02};
  self.U16(1).U16(7).U8(0x02).U16(0);
  EXPECT_FALSE(AppendJsonBinaryAsText(self.span(), &out).ok());
}

// Damage that used to come out as text: bytes that are not UTF-8 in a string or a key, and a
// double that is NaN or infinite (printed, "nan" is not JSON). MySQL writes none of these.
TEST(JsonBinary, DamageThatWouldPrintAsInvalidJsonIsAnError) {
  std::string out;
  absl::Status s = AppendJsonBinaryAsText(Doc(String("ab\xC3")).span(), &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(s.message(), "binary JSON: string is not UTF-8");
  s = AppendJsonBinaryAsText(Doc(Object({{"k\xFF", Int16(1)}})).span(), &out);
  EXPECT_EQ(s.message(), "binary JSON: key is not UTF-8");
  s = AppendJsonBinaryAsText(Doc(Array({Double(std::numeric_limits<double>::quiet_NaN())})).span(),
                             &out);
  EXPECT_EQ(s.message(), "binary JSON: double is not finite");
  s = AppendJsonBinaryAsText(Doc(Double(-std::numeric_limits<double>::infinity())).span(), &out);
  EXPECT_EQ(s.message(), "binary JSON: double is not finite");
  EXPECT_EQ(Text(Doc(Object({{"\xC3\xA9", String("\xE2\x82\xAC")}}))),
            "{\"\xC3\xA9\":\"\xE2\x82\xAC\"}");
}

// Partial JSON updates (binlog_row_value_options=PARTIAL_JSON): the diffs MySQL logs instead of the
// new document, applied to the before image's document.
Bytes Diff(uint8_t operation, std::string_view path, const J* value = nullptr) {
  Bytes b;
  b.U8(operation).PackedStr(path);
  if (value != nullptr) {
    Bytes doc = Doc(*value);
    b.Packed(doc.size()).Append(doc);
  }
  return b;
}

std::string Applied(const J& before, const Bytes& diffs) {
  std::string out;
  absl::Status s = AppendPartiallyUpdatedJsonAsText(Doc(before).span(), diffs.span(), &out);
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

TEST(JsonPartialUpdate, DiffsReplaceInsertAndRemoveAlongTheirPaths) {
  const J before = Object({{"a", Int16(1)},
                           {"s", String("text")},
                           {"list", Array({Int16(1), Int16(2), Int16(3)})},
                           {"deep", Object({{"x", Array({Object({{"y", Literal(2)}})})}})}});
  ASSERT_EQ(Text(Doc(before)), R"({"a":1,"s":"text","list":[1,2,3],"deep":{"x":[{"y":false}]}})");
  const J two = Int16(2), word = String("other"), first = String("first"), yes = Literal(1);
  const J object = Object({{"k", Double(1.5)}});
  Bytes diffs;
  diffs.Append(Diff(0, "$.a", &two));            // replace a member
  diffs.Append(Diff(0, "$.s", &word));           // a longer value
  diffs.Append(Diff(1, "$.new", &object));       // a new member, in MySQL's key order
  diffs.Append(Diff(2, "$.list[1]"));            // remove an element
  diffs.Append(Diff(1, "$.list[0]", &first));    // insert at the front
  diffs.Append(Diff(1, "$.list[9]", &yes));      // past the end: appended
  diffs.Append(Diff(0, "$.deep.x[0].y", &yes));  // deep inside, untouched siblings kept
  diffs.Append(Diff(1, "$.\"key with \\\"quote\"", &two));
  EXPECT_EQ(Applied(before, diffs),
            R"({"a":2,"s":"other","new":{"k":1.5},"list":["first",1,3,true],)"
            R"("deep":{"x":[{"y":true}]},"key with \"quote":2})");
  // The whole document replaced ($), and a document edited into one that keeps nothing.
  Bytes whole;
  whole.Append(Diff(0, "$", &word));
  EXPECT_EQ(Applied(before, whole), R"("other")");
  Bytes emptied;
  for (const char* path : {"$.a", "$.s", "$.list", "$.deep"}) emptied.Append(Diff(2, path));
  EXPECT_EQ(Applied(before, emptied), "{}");
}

TEST(JsonPartialUpdate, ADiffThatDoesNotFitTheDocumentIsDataLoss) {
  const J before = Object({{"a", Array({Int16(1)})}});
  const J one = Int16(1);
  for (const Bytes& diff : {Diff(0, "$.b", &one), Diff(2, "$.a[5]"), Diff(0, "$.a.b", &one),
                            Diff(0, "$[0]", &one), Diff(0, "a", &one), Diff(0, "$.a[x]", &one),
                            Diff(2, "$")}) {
    std::string out;
    absl::Status s = AppendPartiallyUpdatedJsonAsText(Doc(before).span(), diff.span(), &out);
    EXPECT_TRUE(absl::IsDataLoss(s)) << s;
  }
}

}  // namespace
}  // namespace sluice::binlog
