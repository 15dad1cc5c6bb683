// json_text.h writes what RapidJSON's Writer writes for the same string or integer, byte for byte:
// every byte value at every place of every short length (where the eight-byte check and the tail
// meet), random strings, and the integers at each digit count and at the ends of the range.
#include "runtime/convert/json_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "rapidjson/writer.h"

namespace sluice::convert {
namespace {

std::string ByWriter(const std::string& s) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return std::string(out.GetString(), out.GetSize());
}

std::string ByJsonText(const std::string& s) {
  rapidjson::StringBuffer out;
  AppendJsonString(out, s.data(), s.size());
  return std::string(out.GetString(), out.GetSize());
}

TEST(JsonText, EveryByteAtEveryPlaceIsWrittenAsRapidJsonWritesIt) {
  for (size_t length = 1; length <= 24; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string s(length, 'a');
        s[at] = static_cast<char>(byte);
        ASSERT_EQ(ByJsonText(s), ByWriter(s)) << "byte " << byte << " at " << at << " of " << length;
        const bool escaped = byte < 0x20 || byte == '"' || byte == '\\';
        ASSERT_EQ(NeedsJsonEscape(s.data(), s.size()), escaped) << byte;
      }
    }
  }
}

TEST(JsonText, RandomStringsAreWrittenAsRapidJsonWritesThem) {
  std::mt19937 random(17);
  for (int i = 0; i < 20000; ++i) {
    std::string s(random() % 80, ' ');
    // Mostly printable text, now and then any byte: strings with and without escapes.
    const bool any_byte = random() % 4 == 0;
    for (char& c : s) {
      c = static_cast<char>(any_byte && random() % 16 == 0 ? random() % 256 : 0x20 + random() % 95);
    }
    ASSERT_EQ(ByJsonText(s), ByWriter(s)) << i;
  }
}

TEST(JsonText, EmptyAndNullStringsAreEmptyJsonStrings) {
  rapidjson::StringBuffer out;
  AppendJsonString(out, nullptr, 0);
  AppendJsonString(out, "", 0);
  EXPECT_EQ(std::string(out.GetString(), out.GetSize()), R"("""")");
}

TEST(JsonText, IntegersAreWrittenAsRapidJsonWritesThem) {
  std::vector<int64_t> values = {0, std::numeric_limits<int64_t>::min(),
                                 std::numeric_limits<int64_t>::max()};
  for (int64_t p = 1; p <= std::numeric_limits<int64_t>::max() / 10; p *= 10) {
    for (int64_t v : {p - 1, p, p + 1}) {
      values.push_back(v);
      values.push_back(-v);
    }
  }
  std::mt19937_64 random(17);
  for (int i = 0; i < 1000; ++i) values.push_back(static_cast<int64_t>(random()));
  for (int64_t v : values) {
    rapidjson::StringBuffer expected;
    rapidjson::Writer<rapidjson::StringBuffer> writer(expected);
    writer.Int64(v);
    rapidjson::StringBuffer out;
    AppendChar(out, '[');
    AppendInt(out, v);
    AppendChar(out, ']');
    EXPECT_EQ(std::string(out.GetString(), out.GetSize()),
              "[" + std::string(expected.GetString(), expected.GetSize()) + "]");
  }
}

}  // namespace
}  // namespace sluice::convert
