// MySQL GTID sets: MySQL's text form in and out, merging, set arithmetic, errors that say what is
// wrong, and the binary form COM_BINLOG_DUMP_GTID carries, byte for byte.
#include "connectors/mysql/gtid/mysql_gtid_set.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

constexpr char kA[] = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr char kB[] = "00000000-0000-0000-0000-000000000001";

MysqlGtidSet Set(const std::string& text) {
  absl::StatusOr<MysqlGtidSet> set = MysqlGtidSet::Parse(text);
  EXPECT_TRUE(set.ok()) << text << ": " << set.status();
  return set.ok() ? *set : MysqlGtidSet();
}

std::string Normalised(const std::string& text) { return Set(text).ToString(); }

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<MysqlGtidSet> set = MysqlGtidSet::Parse(text);
  EXPECT_FALSE(set.ok()) << text << " parsed as " << set->ToString();
  EXPECT_TRUE(absl::IsInvalidArgument(set.status())) << set.status();
  return std::string(set.status().message());
}

SourceUuid Uuid(const std::string& text) { return *ParseSourceUuid(text); }

TEST(MysqlGtidSet, MySqlsOwnTextRoundTrips) {
  for (const std::string& text :
       std::vector<std::string>{"", std::string(kA) + ":1-5", std::string(kA) + ":7",
                                std::string(kB) + ":3," + kA + ":1-5:7:9-12"}) {
    EXPECT_EQ(Normalised(text), text);
  }
}

TEST(MysqlGtidSet, TextIsNormalisedAsMySqlPrintsIt) {
  // @@gtid_executed as SHOW MASTER STATUS prints it: ",\n" between sources, upper case accepted.
  EXPECT_EQ(Normalised(std::string(kA) + ":1-5,\n" + kB + ":1-3"),
            std::string(kB) + ":1-3," + kA + ":1-5")
      << "sources sorted by UUID";
  EXPECT_EQ(Normalised(" 3E11FA47-71CA-11E1-9E33-C80AA9429562 : 4-6 : 1-3 "),
            std::string(kA) + ":1-6")
      << "case, blanks, order, adjacency";
  EXPECT_EQ(Normalised(std::string(kA) + ":1-10:3-5:9-20:22-22"), std::string(kA) + ":1-20:22")
      << "overlaps merge; a one-transaction interval prints as one number";
  EXPECT_EQ(Normalised(std::string(kA) + ":5-7," + kA + ":1-4,," + kA + ":9"),
            std::string(kA) + ":1-7:9")
      << "a source named twice, and an empty element";
  EXPECT_EQ(Normalised(kA), "") << "a source without intervals holds nothing";
}

TEST(MysqlGtidSet, AddMergesWithNeighbours) {
  MysqlGtidSet set = Set(std::string(kA) + ":1-3:5-6:10");
  EXPECT_TRUE(set.Add(Uuid(kA), 4));
  EXPECT_EQ(set.ToString(), std::string(kA) + ":1-6:10");
  EXPECT_FALSE(set.Add(Uuid(kA), 5)) << "already there";
  EXPECT_TRUE(set.Add(Uuid(kA), 8));
  EXPECT_TRUE(set.Add(Uuid(kA), 11));
  EXPECT_EQ(set.ToString(), std::string(kA) + ":1-6:8:10-11");
  EXPECT_TRUE(set.Add(Uuid(kB), 1));
  EXPECT_EQ(set.ToString(), std::string(kB) + ":1," + kA + ":1-6:8:10-11");
  for (int64_t gno = 12; gno < 1000; ++gno) ASSERT_TRUE(set.Add(Uuid(kA), gno));
  EXPECT_EQ(set.ToString(), std::string(kB) + ":1," + kA + ":1-6:8:10-999");
  EXPECT_TRUE(set.Add(Uuid(kA), MysqlGtidSet::kMaxGno));
  EXPECT_TRUE(set.Contains(Uuid(kA), MysqlGtidSet::kMaxGno));
}

TEST(MysqlGtidSet, ContainsAndSubtract) {
  const MysqlGtidSet set = Set(std::string(kA) + ":1-5:7-9," + kB + ":2");
  EXPECT_TRUE(set.Contains(Uuid(kA), 1));
  EXPECT_TRUE(set.Contains(Uuid(kA), 5));
  EXPECT_FALSE(set.Contains(Uuid(kA), 6));
  EXPECT_TRUE(set.Contains(Uuid(kA), 9));
  EXPECT_FALSE(set.Contains(Uuid(kA), 10));
  EXPECT_FALSE(set.Contains(Uuid(kB), 1));
  EXPECT_FALSE(MysqlGtidSet().Contains(Uuid(kA), 1));

  EXPECT_TRUE(set.ContainsAll(Set(std::string(kA) + ":2-4:8")));
  EXPECT_TRUE(set.ContainsAll(MysqlGtidSet()));
  EXPECT_FALSE(set.ContainsAll(Set(std::string(kA) + ":4-7"))) << "6 is missing";
  EXPECT_FALSE(set.ContainsAll(Set(std::string(kB) + ":1-2")));
  EXPECT_FALSE(Set(std::string(kA) + ":1-5").ContainsAll(set));

  EXPECT_EQ(set.Subtract(Set(std::string(kA) + ":2-3:8-20")).ToString(),
            std::string(kB) + ":2," + kA + ":1:4-5:7");
  EXPECT_EQ(set.Subtract(set).ToString(), "");
  EXPECT_EQ(set.Subtract(MysqlGtidSet()), set);
  EXPECT_EQ(
      Set(std::string(kA) + ":1-100").Subtract(Set(std::string(kA) + ":1-3:5:50-99")).ToString(),
      std::string(kA) + ":4:6-49:100");

  MysqlGtidSet merged = Set(std::string(kA) + ":1-3");
  merged.AddAll(Set(std::string(kA) + ":4-6:9," + kB + ":1"));
  EXPECT_EQ(merged.ToString(), std::string(kB) + ":1," + kA + ":1-6:9");
}

TEST(MysqlGtidSet, BadInputSaysWhatIsWrong) {
  EXPECT_EQ(
      ErrorOf("3e11fa47-71ca-11e1-9e33:1-5"),
      "GTID set element \"3e11fa47-71ca-11e1-9e33:1-5\": \"3e11fa47-71ca-11e1-9e33\" is not a "
      "server UUID (32 hex digits grouped 8-4-4-4-12, e.g. "
      "3e11fa47-71ca-11e1-9e33-c80aa9429562)");
  EXPECT_NE(ErrorOf("3e11fa47-71ca-11e1-9e33-c80aa942956z:1").find("is not a server UUID"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(std::string(kA) + ":5-3"),
            std::string("GTID set element \"") + kA + ":5-3\": interval 5-3 ends before it starts");
  EXPECT_EQ(ErrorOf(std::string(kA) + ":0-3"), std::string("GTID set element \"") + kA +
                                                   ":0-3\": transaction numbers start at 1, not 0");
  EXPECT_NE(ErrorOf(std::string(kA) + ":1-x").find("\"x\" is not a transaction number"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kA) + ":-3").find("\"\" is not a transaction number"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kA) + ":9223372036854775807").find("exceeds MySQL's largest"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kA) + ":1-3:").find("an empty interval"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kA) + ":backup").find("tag \"backup\" has no transactions"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kA) + ":a:b:1").find("tag \"a\" has no transactions"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kA) + ":back-up:1").find("\"back-up\" is not a GTID tag"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kA) + ":" + std::string(33, 't') + ":1").find("is not a GTID tag"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("0-1-42"),
            "GTID set element \"0-1-42\": a MariaDB GTID (domain-server-sequence), not a MySQL one "
            "(uuid:numbers)");
}

TEST(MysqlGtidSet, EncodesTheDumpCommandsBinaryFormByteForByte) {
  // Built by hand from the documented layout: int<8> n_sids, then per source in UUID order its
  // 16 bytes, int<8> n_intervals and [start, end) int<8> pairs, all little-endian.
  const std::vector<uint8_t> expected = {
      0x02, 0, 0, 0, 0, 0, 0, 0,  // n_sids = 2
      // 00000000-0000-0000-0000-000000000001 sorts first
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,  //
      0x01, 0, 0, 0, 0, 0, 0, 0,                          // one interval
      0x03, 0, 0, 0, 0, 0, 0, 0,                          // start 3
      0x04, 0, 0, 0, 0, 0, 0, 0,                          // end 4 (exclusive)
      // 3e11fa47-71ca-11e1-9e33-c80aa9429562
      0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1, 0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95,
      0x62,                             //
      0x02, 0, 0, 0, 0, 0, 0, 0,        // two intervals
      0x01, 0, 0, 0, 0, 0, 0, 0,        // 1
      0x06, 0, 0, 0, 0, 0, 0, 0,        // up to 5 inclusive
      0x2c, 0x01, 0, 0, 0, 0, 0, 0,     // 300
      0x00, 0x00, 0x01, 0, 0, 0, 0, 0,  // up to 65535 inclusive
  };
  EXPECT_EQ(Set(std::string(kA) + ":1-5:300-65535," + kB + ":3").Encode(), expected);
  EXPECT_EQ(MysqlGtidSet().Encode(), std::vector<uint8_t>(8, 0)) << "the empty set: n_sids = 0";
}

TEST(MysqlGtidSet, TaggedTextAsMySqlPrintsIt) {
  // MySQL 9.7's @@gtid_executed after `SET gtid_next='AUTOMATIC:mytag'`: per UUID its untagged
  // intervals, then each tag in order with its own.
  const std::string executed = std::string(kA) + ":1-11:mytag:1-2";
  EXPECT_EQ(Normalised(executed), executed);
  EXPECT_EQ(Normalised(std::string(kA) + ":zz:4:MyTag:1,\n" + kA + ":mytag:2:3,\n" + kA + ":1-2"),
            std::string(kA) + ":1-2:mytag:1-3:zz:4");
  EXPECT_EQ(Normalised(std::string(kB) + ":t:1," + kA + ":_x9:5"),
            std::string(kB) + ":t:1," + kA + ":_x9:5");
}

TEST(MysqlGtidSet, TagsAreSourcesOfTheirOwn) {
  MysqlGtidSet set = Set(std::string(kA) + ":1-3:mytag:1");
  EXPECT_TRUE(set.has_tags());
  EXPECT_TRUE(set.Contains(Uuid(kA), 1, "mytag"));
  EXPECT_FALSE(set.Contains(Uuid(kA), 2, "mytag"));
  EXPECT_TRUE(set.Contains(Uuid(kA), 2));
  EXPECT_FALSE(set.Contains(Uuid(kA), 2, "other"));
  EXPECT_TRUE(set.Add(Uuid(kA), 2, "mytag"));
  EXPECT_FALSE(set.Add(Uuid(kA), 2, "mytag"));
  EXPECT_EQ(set.ToString(), std::string(kA) + ":1-3:mytag:1-2");
  EXPECT_EQ(set.Subtract(Set(std::string(kA) + ":1-3")).ToString(), std::string(kA) + ":mytag:1-2");
  EXPECT_TRUE(set.ContainsAll(Set(std::string(kA) + ":mytag:2")));
  EXPECT_FALSE(set.ContainsAll(Set(std::string(kA) + ":other:2")));
  EXPECT_FALSE(Set(std::string(kA) + ":1-3").has_tags());
}

TEST(MysqlGtidSet, EncodesTaggedSetsAsMySql97WritesThem) {
  // The body of the PREVIOUS_GTIDS event at position 127 of
  // tests/unit/binlog/testdata/mysql-9.7-gtids.bin, as MySQL 9.7.4 wrote it.
  const std::vector<uint8_t> expected = {
      0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,  // tagged format, 3 sources
      0xd0, 0xbe, 0x5b, 0xaf, 0xf1, 0xe9, 0x11, 0xf1, 0xad, 0x53, 0x02, 0xfc, 0x00, 0x00, 0x00,
      0x01, 0x00,                                       // uuid, empty tag
      0x01, 0, 0, 0, 0, 0, 0, 0,                        // one interval
      0x01, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0, 0, 0, 0, 0, 0, 0,  // [1, 15)
      0xd0, 0xbe, 0x5b, 0xaf, 0xf1, 0xe9, 0x11, 0xf1, 0xad, 0x53, 0x02, 0xfc, 0x00, 0x00, 0x00,
      0x01, 0x12, 'f', 'i', 'r', 's', 't', '_', 't', 'a', 'g',  // uuid, tag of 9 bytes
      0x01, 0, 0, 0, 0, 0, 0, 0,                        // one interval
      0x01, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0,  // [1, 2)
      0xd0, 0xbe, 0x5b, 0xaf, 0xf1, 0xe9, 0x11, 0xf1, 0xad, 0x53, 0x02, 0xfc, 0x00, 0x00, 0x00,
      0x01, 0x0a, 'm', 'y', 't', 'a', 'g',              // uuid, tag of 5 bytes
      0x01, 0, 0, 0, 0, 0, 0, 0,                        // one interval
      0x01, 0, 0, 0, 0, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0,  // [1, 3)
  };
  EXPECT_EQ(Set("d0be5baf-f1e9-11f1-ad53-02fc00000001:1-14:first_tag:1:mytag:1-2").Encode(),
            expected);
}

TEST(MysqlGtidSet, SourceUuidText) {
  EXPECT_EQ(FormatSourceUuid(Uuid("3E11FA47-71CA-11E1-9E33-C80AA9429562")), kA);
  EXPECT_FALSE(ParseSourceUuid("3e11fa4771ca11e19e33c80aa9429562").ok()) << "dashes required";
  EXPECT_FALSE(ParseSourceUuid("").ok());
}

}  // namespace
}  // namespace sluice::mysql
