#include "runtime/kafka/murmur2.h"

#include <string>

#include "gtest/gtest.h"

namespace sluice::kafka {
namespace {

// The values Apache Kafka's own UtilsTest.testMurmur2 asserts for Utils.murmur2.
TEST(Murmur2Test, MatchesKafkaJavaClientValues) {
  EXPECT_EQ(Murmur2("21"), -973932308);
  EXPECT_EQ(Murmur2("foobar"), -790332482);
  EXPECT_EQ(Murmur2("a-little-bit-long-string"), -985981536);
  EXPECT_EQ(Murmur2("a-little-bit-longer-string"), -1486304829);
  EXPECT_EQ(Murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
  EXPECT_EQ(Murmur2("abc"), 479470107);
}

TEST(Murmur2Test, EveryTailLengthAndHighBytes) {
  // Tail lengths 0..3 and bytes >= 0x80 (Java masks them with 0xff; a sign-extension bug shows
  // here).
  std::string bytes = "\xff\x80\x7f\x01\xfe";
  int32_t previous = 0;
  for (size_t n = 0; n <= bytes.size(); ++n) {
    int32_t h = Murmur2(absl::string_view(bytes.data(), n));
    if (n > 0) {
      EXPECT_NE(h, previous) << n;
    }
    previous = h;
  }
  // Computed by an independent port of the Java code (unsigned 32-bit arithmetic, `>>>`).
  EXPECT_EQ(Murmur2(""), 275646681);
  EXPECT_EQ(Murmur2(absl::string_view(bytes.data(), 3)), 968261134);
  EXPECT_EQ(Murmur2(bytes), -1077304306);
}

TEST(Murmur2Test, ToPositiveMasksTheSignBit) {
  EXPECT_EQ(ToPositive(-1), 0x7fffffff);
  EXPECT_EQ(ToPositive(INT32_MIN), 0);
  EXPECT_EQ(ToPositive(42), 42);
}

TEST(Murmur2Test, PartitionForKeyIsJavasDefaultPartitioner) {
  // toPositive(-973932308) = 1173551340
  EXPECT_EQ(PartitionForKey("21", 1), 0);
  EXPECT_EQ(PartitionForKey("21", 7), 1173551340 % 7);
  EXPECT_EQ(PartitionForKey("abc", 10), 479470107 % 10);
}

}  // namespace
}  // namespace sluice::kafka
