// MariaDB GTID positions as Debezium's MariaDB connector (and the MySQL connector on MariaDB)
// store them in the offset's `gtids`, and as @slave_connect_state takes them.
#include "connectors/mysql/gtid/mariadb_gtid_position.h"

#include <string>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

std::string Normalised(const std::string& text) {
  absl::StatusOr<MariaDbGtidPosition> position = MariaDbGtidPosition::Parse(text);
  EXPECT_TRUE(position.ok()) << text << ": " << position.status();
  return position.ok() ? position->ToString() : "";
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<MariaDbGtidPosition> position = MariaDbGtidPosition::Parse(text);
  EXPECT_FALSE(position.ok()) << text;
  EXPECT_TRUE(absl::IsInvalidArgument(position.status())) << position.status();
  return std::string(position.status().message());
}

TEST(MariaDbGtidPosition, DebeziumOffsetsReadBack) {
  EXPECT_EQ(Normalised("0-1-42"), "0-1-42");
  EXPECT_EQ(Normalised(""), "");
  EXPECT_EQ(Normalised("1-2-7,0-1-42"), "0-1-42,1-2-7") << "domains ascending";
  EXPECT_EQ(Normalised(" 0-1-42 ,\n1-2-7,"), "0-1-42,1-2-7") << "blanks, newlines, empty elements";
  // Debezium's MariaDbGtidSet keeps one GTID per domain and server; @slave_connect_state takes
  // one per domain: the latest, which is the highest sequence number.
  EXPECT_EQ(Normalised("0-1-42,0-2-50,0-3-17"), "0-2-50");
  EXPECT_EQ(Normalised("0-2-50,0-1-42"), "0-2-50");
  EXPECT_EQ(Normalised("4294967295-4294967295-18446744073709551615"),
            "4294967295-4294967295-18446744073709551615");
}

TEST(MariaDbGtidPosition, AdvanceReplacesTheDomainsPosition) {
  MariaDbGtidPosition position = *MariaDbGtidPosition::Parse("0-1-42,1-2-7");
  position.Advance({0, 1, 43});
  EXPECT_EQ(position.ToString(), "0-1-43,1-2-7");
  position.Advance({2, 5, 1});
  position.Advance({1, 3, 8});
  EXPECT_EQ(position.ToString(), "0-1-43,1-3-8,2-5-1");
  EXPECT_TRUE(MariaDbGtidPosition().empty());
}

TEST(MariaDbGtidPosition, BadInputSaysWhatIsWrong) {
  EXPECT_EQ(ErrorOf("0-1"), "MariaDB GTID \"0-1\": expected domain-server-sequence, e.g. 0-1-42");
  EXPECT_EQ(ErrorOf("0-1-42,0-x-43"),
            "MariaDB GTID \"0-x-43\": the server id \"x\" is not a number");
  EXPECT_EQ(ErrorOf("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"),
            "MariaDB GTID \"3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5\": a MySQL GTID "
            "(uuid:numbers), not a MariaDB one (domain-server-sequence)");
  EXPECT_EQ(ErrorOf("4294967296-1-1"),
            "MariaDB GTID \"4294967296-1-1\": the domain id 4294967296 exceeds 4294967295");
  EXPECT_EQ(ErrorOf("0--1-5"),
            "MariaDB GTID \"0--1-5\": expected domain-server-sequence, e.g. 0-1-42");
}

}  // namespace
}  // namespace sluice::mysql
