#include "runtime/config/properties.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::config {
namespace {

using ::testing::HasSubstr;

std::string ValueOf(const Properties& p, absl::string_view key) {
  const Property* prop = p.Find(key);
  return prop == nullptr ? "<absent>" : prop->value;
}

TEST(PropertiesTest, AllThreeSeparatorsAndBlanksAroundThem) {
  auto p = ParseProperties("a=1\nb:2\nc 3\nd = 4\ne : 5\nf\t\t6\ng =  =7\n");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(ValueOf(*p, "a"), "1");
  EXPECT_EQ(ValueOf(*p, "b"), "2");
  EXPECT_EQ(ValueOf(*p, "c"), "3");
  EXPECT_EQ(ValueOf(*p, "d"), "4");
  EXPECT_EQ(ValueOf(*p, "e"), "5");
  EXPECT_EQ(ValueOf(*p, "f"), "6");
  // Only the first separator is one; the second '=' is part of the value.
  EXPECT_EQ(ValueOf(*p, "g"), "=7");
}

TEST(PropertiesTest, CommentsAndBlankLinesAreSkipped) {
  auto p = ParseProperties("# comment=1\n  ! also a comment\n\n   \nkey=value # not a comment\n");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(ValueOf(*p, "key"), "value # not a comment");
}

TEST(PropertiesTest, KeyWithoutValueHasEmptyValue) {
  auto p = ParseProperties("lonely\nempty=\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "lonely"), "");
  EXPECT_EQ(ValueOf(*p, "empty"), "");
}

TEST(PropertiesTest, TrailingBlanksOfTheValueAreKept) {
  auto p = ParseProperties("k = v  \n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "k"), "v  ");
}

TEST(PropertiesTest, BackslashContinuesTheLineAndDropsLeadingBlanks) {
  auto p = ParseProperties("plugin.path=/a,\\\n     /b,\\\n\t/c\nnext=1\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "plugin.path"), "/a,/b,/c");
  EXPECT_EQ(ValueOf(*p, "next"), "1");
  EXPECT_EQ(p->Find("next")->line, 4);
}

TEST(PropertiesTest, EvenBackslashesAtEndAreALiteralBackslash) {
  auto p = ParseProperties("path=C:\\\\\nother=x\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "path"), "C:\\");
  EXPECT_EQ(ValueOf(*p, "other"), "x");
}

TEST(PropertiesTest, CommentLinesDoNotContinue) {
  auto p = ParseProperties("# a comment \\\nkey=value\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "key"), "value");
}

TEST(PropertiesTest, ContinuationLineLookingLikeACommentIsContent) {
  auto p = ParseProperties("k=a\\\n  #b\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "k"), "a#b");
}

TEST(PropertiesTest, AllLineEndings) {
  auto p = ParseProperties("a=1\r\nb=2\rc=3\nd=4");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "a"), "1");
  EXPECT_EQ(ValueOf(*p, "b"), "2");
  EXPECT_EQ(ValueOf(*p, "c"), "3");
  EXPECT_EQ(ValueOf(*p, "d"), "4");
  EXPECT_EQ(p->Find("d")->line, 4);
}

TEST(PropertiesTest, CrLfContinuation) {
  auto p = ParseProperties("a=1\\\r\n  2\r\nb=3\r\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "a"), "12");
  EXPECT_EQ(ValueOf(*p, "b"), "3");
}

TEST(PropertiesTest, EscapesInKeysAndValues) {
  auto p = ParseProperties("my\\ key\\=x\\:y = tab\\there\\nnl\\\\bs\\q\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "my key=x:y"), "tab\there\nnl\\bsq");
}

TEST(PropertiesTest, UnicodeEscapesBecomeUtf8) {
  auto p = ParseProperties("k=\\u00e9\\u20AC\\uD83D\\uDE00\\u0041\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "k"),
            "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
            "A");
}

TEST(PropertiesTest, LoneSurrogateBecomesReplacementCharacter) {
  auto p = ParseProperties("k=\\uD800x\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "k"), "\xEF\xBF\xBDx");
}

TEST(PropertiesTest, MalformedUnicodeEscapeNamesFileAndLine) {
  auto p = ParseProperties("a=1\n\n# c\nb=\\u12G4\n", "worker.properties");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr("worker.properties:4:"));
  EXPECT_THAT(p.status().message(), HasSubstr("\\uXXXX"));
}

TEST(PropertiesTest, TruncatedUnicodeEscapeAtEndIsAnError) {
  auto p = ParseProperties("k=\\u12");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr(":1:"));
}

TEST(PropertiesTest, LaterValueWinsAndKeepsFirstPosition) {
  auto p = ParseProperties("a=1\nb=2\na=3\n");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ(p->entries()[0].key, "a");
  EXPECT_EQ(p->entries()[0].value, "3");
  EXPECT_EQ(p->entries()[0].line, 3);
}

TEST(PropertiesTest, DanglingBackslashAtEndOfFileIsDropped) {
  auto p = ParseProperties("k=v\\");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ValueOf(*p, "k"), "v");
}

// A file of edge cases, and what java.util.Properties.load (OpenJDK 17) made of it, recorded by
// running Java on this exact text: the parser must agree with Java on every key.
TEST(PropertiesTest, AgreesWithJavaOnAFileOfEdgeCases) {
  const char* text =
      "# comment\n! bang comment\n   \n  key1 = value one  \nkey2:value2\nkey3 "
      "value3\nkey4\t=\t\tv4\n"
      "key\\ 5 = five\nkey6=a\\\n    b\\\n\tc\nkey7=C:\\\\\\\\\nkey8=\\u00e9\\u20ac\nkey9 =  = "
      "x\nkey10\n"
      "key11=\\t\\n\\r\\f\\q\nkey12=line\\\r\n  cont\r\nkey13 : : colon\n  # not comment? \\\n"
      "key14=x\\\n\nkey15=after blank\n\\#key16=hash\nkey17=\\\\\nkey18 \\\n  = cont-sep\n"
      "key19=\\uD83D\\uDE00\nkey20=tail\\";
  auto p = ParseProperties(text);
  ASSERT_TRUE(p.ok()) << p.status();
  const std::map<std::string, std::string> java = {{"#key16", "hash"},
                                                   {"key 5", "five"},
                                                   {"key1", "value one  "},
                                                   {"key10", ""},
                                                   {"key11", "\t\n\r\fq"},
                                                   {"key12", "linecont"},
                                                   {"key13", ": colon"},
                                                   {"key14", "x"},
                                                   {"key15", "after blank"},
                                                   {"key17", "\\"},
                                                   {"key18", "cont-sep"},
                                                   {"key19", "\xF0\x9F\x98\x80"},
                                                   {"key2", "value2"},
                                                   {"key20", "tail"},
                                                   {"key3", "value3"},
                                                   {"key4", "v4"},
                                                   {"key6", "abc"},
                                                   {"key7", "C:\\\\"},
                                                   {"key8", "\xC3\xA9\xE2\x82\xAC"},
                                                   {"key9", "= x"}};
  std::map<std::string, std::string> ours;
  for (const Property& e : p->entries()) ours[e.key] = e.value;
  EXPECT_EQ(ours, java);
}

TEST(PropertiesTest, LoadFileReadsAndReportsMissingFile) {
  std::string path = ::testing::TempDir() + "/props_test.properties";
  {
    std::ofstream out(path);
    out << "bootstrap.servers=127.0.0.1:9092\n";
  }
  auto p = LoadPropertiesFile(path);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(ValueOf(*p, "bootstrap.servers"), "127.0.0.1:9092");
  std::remove(path.c_str());

  auto missing = LoadPropertiesFile(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr(path));
}

}  // namespace
}  // namespace sluice::config
