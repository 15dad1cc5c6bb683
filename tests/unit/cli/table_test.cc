#include "runtime/cli/table.h"

#include "gtest/gtest.h"

namespace sluice::cli {
namespace {

TEST(Table, ColumnsAlignToTheWidestCellWithoutTrailingBlanks) {
  Table t({"NAME", "STATE", "TRACE"});
  t.Add({"orders-connector", "RUNNING", ""});
  t.Add({"a", "FAILED", "boom"});
  EXPECT_EQ(t.Render(),
            "NAME              STATE    TRACE\n"
            "orders-connector  RUNNING\n"
            "a                 FAILED   boom\n");
}

TEST(Table, UsageHelpStartsAtOneColumnOrOnTheNextLineAfterALongUsage) {
  EXPECT_EQ(RenderUsage({{"list", "every connector"},
                         {"restart NAME [--include-tasks]", "restart it"},
                         {"plugins", ""}},
                        16),
            "  list          every connector\n"
            "  restart NAME [--include-tasks]\n"
            "                restart it\n"
            "  plugins\n");
  const std::string choices =
      "connectors <" + std::string(60, 'a') + "|" + std::string(40, 'b') + "|c> ...";
  EXPECT_EQ(RenderUsage({{choices, "administer"}}, 16),
            "  connectors <" + std::string(60, 'a') + "|\n      " + std::string(40, 'b') +
                "|c> ...\n                administer\n");
}

}  // namespace
}  // namespace sluice::cli
