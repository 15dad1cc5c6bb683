// `sluice binlog inspect` on a binlog file a real MariaDB 10.11 wrote (testdata/).
#include "inspect_command.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::binlog {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kFile = std::string(SLUICE_BINLOG_TESTDATA) + "/mariadb-10.11-all-types.bin";

struct Result {
  int code;
  std::string output;
  std::string errors;
};

Result Inspect(std::vector<std::string> args) {
  args.insert(args.begin(), "inspect");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  std::ostringstream output, errors;
  const int code = RunBinlogInspect(static_cast<int>(argv.size()), argv.data(), output, errors);
  return {code, output.str(), errors.str()};
}

TEST(InspectCommand, PrintsEventsWithPositionsTablesColumnsAndValues) {
  Result result = Inspect({kFile});
  ASSERT_EQ(result.code, 0) << result.errors;
  EXPECT_THAT(result.output, HasSubstr("# at 4 "));
  EXPECT_THAT(result.output, HasSubstr("FORMAT_DESCRIPTION_EVENT"));
  EXPECT_THAT(result.output, HasSubstr("GTID 0-1-16"));
  EXPECT_THAT(result.output, HasSubstr("TABLE_MAP_EVENT"));
  EXPECT_THAT(result.output, HasSubstr("all_types"));
  EXPECT_THAT(result.output, HasSubstr("WRITE_ROWS"));
}

TEST(InspectCommand, JsonIsOneObjectPerLine) {
  Result result = Inspect({kFile, "--json"});
  ASSERT_EQ(result.code, 0) << result.errors;
  std::istringstream lines(result.output);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.front(), '{');
    EXPECT_EQ(line.back(), '}');
    ++count;
  }
  EXPECT_GT(count, 5);
}

TEST(InspectCommand, PositionsZoomIn) {
  Result result = Inspect({kFile, "--start-position=389", "--stop-position=1222"});
  ASSERT_EQ(result.code, 0) << result.errors;
  EXPECT_THAT(result.output, HasSubstr("# at 389 "));
  EXPECT_THAT(result.output, HasSubstr("# at 431 "));
  EXPECT_THAT(result.output, Not(HasSubstr("# at 4 ")));
  EXPECT_THAT(result.output, Not(HasSubstr("# at 1222 ")));
}

TEST(InspectCommand, ATruncatedFileSaysWhereAndFails) {
  std::ifstream in(kFile, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1300u);
  const std::string truncated = ::testing::TempDir() + "/truncated-binlog.bin";
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, 1240);  // cuts the event at 1222
  Result result = Inspect({truncated});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.output, HasSubstr("# at 431 "));  // everything before the damage
  EXPECT_THAT(result.errors, HasSubstr("1222"));
  std::remove(truncated.c_str());
}

TEST(InspectCommand, BadUsageExitsTwo) {
  EXPECT_EQ(Inspect({}).code, 2);
  EXPECT_EQ(Inspect({kFile, "--frobnicate"}).code, 2);
}

}  // namespace
}  // namespace sluice::binlog
