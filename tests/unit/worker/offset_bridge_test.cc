#include "runtime/worker/offset_bridge.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sluice::worker {
namespace {

data::ScalarEntry Int(std::string_view key, int64_t value) {
  data::ScalarEntry entry;
  entry.key = key;
  entry.kind = data::ScalarKind::kInt;
  entry.i = value;
  return entry;
}

data::ScalarEntry Text(std::string_view key, std::string_view value) {
  data::ScalarEntry entry;
  entry.key = key;
  entry.kind = data::ScalarKind::kString;
  entry.str = value;
  return entry;
}

TEST(ToSourceOffset, HoldsTheViewsEntriesInOrderWithTheirKinds) {
  const std::vector<data::ScalarEntry> view = {Text("file", "mariadb-bin.000001"), Int("pos", 4),
                                               Text("gtids", "0-1-7")};
  EXPECT_EQ(ToSourceOffset(view), (offsets::SourceOffset{{"file", std::string("mariadb-bin.000001")},
                                                         {"pos", int64_t{4}},
                                                         {"gtids", std::string("0-1-7")}}));
  EXPECT_TRUE(ToSourceOffset({}).empty());
}

}  // namespace
}  // namespace sluice::worker
