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

TEST(AssignSourceOffset, TheResultHoldsExactlyTheViewsEntriesWhateverWasThereBefore) {
  offsets::SourceOffset offset;
  const std::vector<data::ScalarEntry> wide = {Text("file", "mariadb-bin.000001"), Int("pos", 4),
                                               Text("gtids", "0-1-7")};
  AssignSourceOffset(wide, offset);
  EXPECT_EQ(offset, (offsets::SourceOffset{{"file", std::string("mariadb-bin.000001")},
                                           {"pos", int64_t{4}},
                                           {"gtids", std::string("0-1-7")}}));

  // Narrower, and with a string where an integer was: nothing of the old offset survives.
  const std::vector<data::ScalarEntry> narrow = {Int("file", 9), Text("pos", "x")};
  AssignSourceOffset(narrow, offset);
  EXPECT_EQ(offset, (offsets::SourceOffset{{"file", int64_t{9}}, {"pos", std::string("x")}}));

  // A string written over a longer string keeps nothing of the longer one.
  const std::vector<data::ScalarEntry> shorter = {Text("file", "b.2")};
  AssignSourceOffset(shorter, offset);
  EXPECT_EQ(offset, (offsets::SourceOffset{{"file", std::string("b.2")}}));
}

}  // namespace
}  // namespace sluice::worker
