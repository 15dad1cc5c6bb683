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

}  // namespace
}  // namespace sluice::cli
