#include "sluice/binlog/decimal.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sluice::binlog {
namespace {

// An independent encoder of MySQL's binary DECIMAL, written from the documented layout, so
// the tests do not use the decoder to check itself.
std::vector<uint8_t> Encode(std::string text, int precision, int scale) {
  static constexpr int kBytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.erase(0, 1);
  std::string int_part = text.substr(0, text.find('.'));
  std::string frac_part =
      text.find('.') == std::string::npos ? "" : text.substr(text.find('.') + 1);
  while (!int_part.empty() && int_part[0] == '0') int_part.erase(0, 1);
  int_part.insert(0, (precision - scale) - int_part.size(), '0');
  frac_part.resize(scale, '0');
  std::vector<uint8_t> out;
  auto put = [&](const std::string& digits) {
    int n = kBytes[digits.size()];
    uint32_t v = digits.empty() ? 0 : std::stoul(digits);
    for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  size_t lead = int_part.size() % 9;
  if (lead) put(int_part.substr(0, lead));
  for (size_t i = lead; i < int_part.size(); i += 9) put(int_part.substr(i, 9));
  size_t full = frac_part.size() / 9 * 9;
  for (size_t i = 0; i < full; i += 9) put(frac_part.substr(i, 9));
  if (frac_part.size() > full) put(frac_part.substr(full));
  out[0] ^= 0x80;
  if (negative)
    for (auto& b : out) b = ~b;
  return out;
}

std::string RoundTrip(const std::string& text, int precision, int scale) {
  std::vector<uint8_t> bin = Encode(text, precision, scale);
  EXPECT_EQ(bin.size(), DecimalBinarySize(precision, scale));
  EXPECT_TRUE(ValidateDecimal(bin.data(), precision, scale).ok());
  return DecimalView(bin.data(), precision, scale).ToString();
}

TEST(Decimal, BinarySizesFollowTheDocumentedTable) {
  EXPECT_EQ(DecimalBinarySize(14, 4), 7u);  // the manual's example: 1234567890.1234
  EXPECT_EQ(DecimalBinarySize(12, 2), 6u);
  EXPECT_EQ(DecimalBinarySize(10, 0), 5u);
  EXPECT_EQ(DecimalBinarySize(65, 30), 30u);
  EXPECT_EQ(DecimalBinarySize(66, 0), 0u);
  EXPECT_EQ(DecimalBinarySize(5, 6), 0u);
}

TEST(Decimal, ManualExampleBytes) {
  std::vector<uint8_t> expected = {0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x04, 0xd2};
  EXPECT_EQ(Encode("1234567890.1234", 14, 4), expected);
  EXPECT_EQ(DecimalView(expected.data(), 14, 4).ToString(), "1234567890.1234");
}

TEST(Decimal, TextOfEdgeValues) {
  EXPECT_EQ(RoundTrip("0", 10, 0), "0");
  EXPECT_EQ(RoundTrip("0.5", 3, 2), "0.50");
  EXPECT_EQ(RoundTrip("-0.01", 3, 2), "-0.01");
  EXPECT_EQ(RoundTrip("99999", 5, 0), "99999");
  EXPECT_EQ(RoundTrip("-99999", 5, 0), "-99999");
  EXPECT_EQ(RoundTrip("0.000000000000000000000000000001", 30, 30),
            "0.000000000000000000000000000001");
  std::string max65 = std::string(35, '9') + "." + std::string(30, '9');
  EXPECT_EQ(RoundTrip(max65, 65, 30), max65);
  EXPECT_EQ(RoundTrip("-" + max65, 65, 30), "-" + max65);
  EXPECT_EQ(RoundTrip("1000000000", 10, 0), "1000000000");
  EXPECT_EQ(RoundTrip("-12345678901234567890123456789012345678901234567890123456789012345", 65, 0),
            "-12345678901234567890123456789012345678901234567890123456789012345");
}

TEST(Decimal, UnscaledInt64) {
  std::vector<uint8_t> b = Encode("-1234.56", 10, 2);
  int64_t v = 0;
  ASSERT_TRUE(DecimalView(b.data(), 10, 2).ToUnscaledInt64(&v));
  EXPECT_EQ(v, -123456);
  std::vector<uint8_t> big = Encode(std::string(30, '9'), 30, 0);
  EXPECT_FALSE(DecimalView(big.data(), 30, 0).ToUnscaledInt64(&v));
}

std::vector<uint8_t> TwosComplement(const std::string& text, int precision, int scale) {
  std::vector<uint8_t> b = Encode(text, precision, scale);
  uint8_t out[DecimalView::kMaxUnscaledBytes];
  size_t n = DecimalView(b.data(), precision, scale).ToUnscaledTwosComplement(out);
  return std::vector<uint8_t>(out, out + n);
}

TEST(Decimal, UnscaledTwosComplementIsMinimalLikeJavaBigInteger) {
  EXPECT_EQ(TwosComplement("0", 5, 0), std::vector<uint8_t>({0x00}));
  EXPECT_EQ(TwosComplement("1", 5, 0), std::vector<uint8_t>({0x01}));
  EXPECT_EQ(TwosComplement("-1", 5, 0), std::vector<uint8_t>({0xff}));
  EXPECT_EQ(TwosComplement("127", 5, 0), std::vector<uint8_t>({0x7f}));
  EXPECT_EQ(TwosComplement("128", 5, 0), std::vector<uint8_t>({0x00, 0x80}));
  EXPECT_EQ(TwosComplement("-128", 5, 0), std::vector<uint8_t>({0x80}));
  EXPECT_EQ(TwosComplement("-129", 5, 0), std::vector<uint8_t>({0xff, 0x7f}));
  EXPECT_EQ(TwosComplement("12.34", 5, 2), std::vector<uint8_t>({0x04, 0xd2}));  // 1234
  // 10^64 needs 213 bits + sign: 27 bytes.
  EXPECT_EQ(TwosComplement("1" + std::string(64, '0'), 65, 0).size(), 27u);
}

}  // namespace
}  // namespace sluice::binlog
