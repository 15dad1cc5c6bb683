#include "sluice/binlog/charset.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sluice::binlog {
namespace {

std::string Utf8(Charset cs, std::vector<uint8_t> bytes) {
  std::string out;
  absl::Status s = AppendAsUtf8(cs, bytes, &out);
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

TEST(Charset, CollationIdsOfBothServers) {
  EXPECT_EQ(CharsetOfCollation(8).charset, Charset::kLatin1);    // latin1_swedish_ci
  EXPECT_EQ(CharsetOfCollation(33).charset, Charset::kUtf8mb3);  // utf8mb3_general_ci
  EXPECT_EQ(CharsetOfCollation(45).charset, Charset::kUtf8mb4);  // utf8mb4_general_ci
  EXPECT_EQ(CharsetOfCollation(46).charset, Charset::kUtf8mb4);  // utf8mb4_bin
  EXPECT_EQ(CharsetOfCollation(63).charset, Charset::kBinary);
  EXPECT_EQ(CharsetOfCollation(255).charset, Charset::kUtf8mb4);  // MySQL 8 utf8mb4_0900_ai_ci
  EXPECT_EQ(CharsetOfCollation(224).charset, Charset::kUtf8mb4);  // utf8mb4_unicode_ci
  EXPECT_EQ(CharsetOfCollation(2).charset, Charset::kOther);
  EXPECT_EQ(CharsetOfCollation(2).name, "latin2");
  EXPECT_EQ(CharsetOfCollation(54).charset, Charset::kUtf16);
  EXPECT_EQ(CharsetOfCollation(56).charset, Charset::kUtf16le);
  EXPECT_EQ(CharsetOfCollation(60).charset, Charset::kUtf32);
  EXPECT_EQ(CharsetOfCollation(35).charset, Charset::kUcs2);
  EXPECT_EQ(CharsetOfCollation(0).charset, Charset::kUnknown);
  EXPECT_EQ(CharsetOfCollation(99999).charset, Charset::kUnknown);
}

// Expected bytes from MariaDB 10.11: HEX(CONVERT(CONVERT(UNHEX(..) USING latin1) USING utf8mb4)).
TEST(Charset, Latin1IsWindows1252AsTheServerMapsIt) {
  EXPECT_EQ(Utf8(Charset::kLatin1, {'a', 0x80}), "a\xE2\x82\xAC");
  EXPECT_EQ(Utf8(Charset::kLatin1, {0x81}), "\xC2\x81");
  EXPECT_EQ(Utf8(Charset::kLatin1, {0x8D}), "\xC2\x8D");
  EXPECT_EQ(Utf8(Charset::kLatin1, {0x9F}), "\xC5\xB8");
  EXPECT_EQ(Utf8(Charset::kLatin1, {0xA0}), "\xC2\xA0");
  EXPECT_EQ(Utf8(Charset::kLatin1, {0xE9}), "\xC3\xA9");
  EXPECT_EQ(Utf8(Charset::kLatin1, {0xFF}), "\xC3\xBF");
}

TEST(Charset, WideEncodings) {
  EXPECT_EQ(Utf8(Charset::kUcs2, {0x00, 0x41, 0x20, 0xAC}), "A\xE2\x82\xAC");
  // U+1F600 as a surrogate pair.
  EXPECT_EQ(Utf8(Charset::kUtf16, {0xD8, 0x3D, 0xDE, 0x00}), "\xF0\x9F\x98\x80");
  EXPECT_EQ(Utf8(Charset::kUtf16le, {0x3D, 0xD8, 0x00, 0xDE}), "\xF0\x9F\x98\x80");
  EXPECT_EQ(Utf8(Charset::kUtf32, {0x00, 0x01, 0xF6, 0x00}), "\xF0\x9F\x98\x80");
  EXPECT_EQ(Utf8(Charset::kUtf16, {0xD8, 0x3D}), "\xEF\xBF\xBD");  // lone surrogate
  std::string out;
  std::vector<uint8_t> odd = {0x00};
  EXPECT_FALSE(AppendAsUtf8(Charset::kUtf16, odd, &out).ok());
  EXPECT_FALSE(AppendAsUtf8(Charset::kBinary, odd, &out).ok());
  EXPECT_FALSE(AppendAsUtf8(Charset::kOther, odd, &out).ok());
}

TEST(Charset, WellFormedUtf8PrefixStopsAtTheFirstIllFormedSequence) {
  EXPECT_EQ(WellFormedUtf8Prefix(""), 0u);
  EXPECT_EQ(WellFormedUtf8Prefix("plain \x1f ascii"), 13u);
  EXPECT_EQ(WellFormedUtf8Prefix("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), 9u);  // é € U+1F600
  EXPECT_EQ(WellFormedUtf8Prefix("\xF4\x8F\xBF\xBF"), 4u);                      // U+10FFFF
  EXPECT_EQ(WellFormedUtf8Prefix("ab\x80"), 2u);             // a stray continuation byte
  EXPECT_EQ(WellFormedUtf8Prefix("ab\xC3"), 2u);             // cut short
  EXPECT_EQ(WellFormedUtf8Prefix("ab\xC3(x"), 2u);           // not followed by a continuation
  EXPECT_EQ(WellFormedUtf8Prefix("a\xC0\xAF"), 1u);          // overlong '/'
  EXPECT_EQ(WellFormedUtf8Prefix("a\xE0\x80\xAF"), 1u);      // overlong '/'
  EXPECT_EQ(WellFormedUtf8Prefix("a\xED\xA0\x80"), 1u);      // the surrogate U+D800
  EXPECT_EQ(WellFormedUtf8Prefix("a\xF4\x90\x80\x80"), 1u);  // past U+10FFFF
  EXPECT_EQ(WellFormedUtf8Prefix("a\xFF"), 1u);
  EXPECT_EQ(WellFormedUtf8Prefix(std::string_view("a\0b", 3)), 3u);  // NUL is a character
}

}  // namespace
}  // namespace sluice::binlog
