// Floats as Java's Double.toString / Float.toString (JDK 19+) write them; Jackson, and so Kafka
// Connect's JsonConverter, writes exactly these strings.
#include "runtime/convert/java_number_format.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace sluice::convert {
namespace {

std::string D(double v) {
  char buf[kJavaNumberBufferSize];
  return std::string(buf, FormatJavaDouble(v, buf));
}

std::string F(float v) {
  char buf[kJavaNumberBufferSize];
  return std::string(buf, FormatJavaFloat(v, buf));
}

TEST(JavaNumberFormat, DoublesInPlainRange) {
  EXPECT_EQ(D(0.0), "0.0");
  EXPECT_EQ(D(-0.0), "-0.0");
  EXPECT_EQ(D(1.0), "1.0");
  EXPECT_EQ(D(100.0), "100.0");
  EXPECT_EQ(D(-2.5), "-2.5");
  EXPECT_EQ(D(123.456), "123.456");
  EXPECT_EQ(D(0.1), "0.1");
  EXPECT_EQ(D(0.001), "0.001");
  EXPECT_EQ(D(0.0123), "0.0123");
  EXPECT_EQ(D(9999999.0), "9999999.0");
  EXPECT_EQ(D(1234567.125), "1234567.125");
}

TEST(JavaNumberFormat, DoublesInScientificRange) {
  EXPECT_EQ(D(1e7), "1.0E7");
  EXPECT_EQ(D(123456789.0), "1.23456789E8");
  EXPECT_EQ(D(1e-4), "1.0E-4");
  EXPECT_EQ(D(1.2345678e-5), "1.2345678E-5");
  EXPECT_EQ(D(-3e100), "-3.0E100");
  EXPECT_EQ(D(std::numeric_limits<double>::max()), "1.7976931348623157E308");
  // One digit would do, Java picks the closest two-digit decimal.
  EXPECT_EQ(D(std::numeric_limits<double>::denorm_min()), "4.9E-324");
  EXPECT_EQ(D(2e-323), "2.0E-323");
}

TEST(JavaNumberFormat, Floats) {
  EXPECT_EQ(F(0.1f), "0.1");
  EXPECT_EQ(F(1.5f), "1.5");
  EXPECT_EQ(F(16777216.0f), "1.6777216E7");
  EXPECT_EQ(F(std::numeric_limits<float>::max()), "3.4028235E38");
  EXPECT_EQ(F(std::numeric_limits<float>::denorm_min()), "1.4E-45");
  EXPECT_EQ(F(3.14159f), "3.14159");
}

}  // namespace
}  // namespace sluice::convert
