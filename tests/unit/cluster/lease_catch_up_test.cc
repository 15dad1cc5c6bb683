#include "runtime/cluster/lease_catch_up.h"

#include <deque>

#include "gtest/gtest.h"

namespace sluice::cluster {
namespace {

// A config topic whose reads to the end answer what the test queued, in order.
struct ScriptedTopic {
  std::deque<absl::StatusOr<std::vector<kafka::KeyedRecord>>> answers;
  int reads = 0;
  LeaseCatchUp::ReadToEnd Reader() {
    return [this]() -> absl::StatusOr<std::vector<kafka::KeyedRecord>> {
      ++reads;
      absl::StatusOr<std::vector<kafka::KeyedRecord>> next = answers.front();
      answers.pop_front();
      return next;
    };
  }
};

MembershipView Lease(bool valid, int64_t takes) {
  MembershipView view;
  view.lease_valid = valid;
  view.lease_takes = takes;
  return view;
}

TEST(LeaseCatchUp, NothingStartsBeforeTheFirstLeaseNorBeforeItsReadToTheEnd) {
  ScriptedTopic topic;
  topic.answers.push_back(std::vector<kafka::KeyedRecord>{{"sluice-assignment", "{}"}});
  LeaseCatchUp catch_up(topic.Reader());

  EXPECT_EQ(catch_up.Step(Lease(false, 0)), std::nullopt);  // not joined yet: no read
  EXPECT_EQ(topic.reads, 0);
  EXPECT_FALSE(catch_up.Current(Lease(false, 0)));
  EXPECT_FALSE(catch_up.Current(Lease(true, 1)));  // the lease runs, nothing read in it yet

  std::optional<std::vector<kafka::KeyedRecord>> read = catch_up.Step(Lease(true, 1));
  ASSERT_TRUE(read.has_value());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].key, "sluice-assignment");
  EXPECT_TRUE(catch_up.Current(Lease(true, 1)));

  EXPECT_EQ(catch_up.Step(Lease(true, 1)), std::nullopt);  // once per lease
  EXPECT_EQ(topic.reads, 1);
}

// The race a woken worker ran into: its tick began with the lease ended (a freeze), so it
// stopped everything; the lease was taken again in the middle of that tick, and the old rule
// (start whatever the newest assignment read gives, while the lease runs) started a task from the
// assignment read before the freeze, which another worker ran under a newer epoch.
TEST(LeaseCatchUp, ALeaseTakenAgainInTheMiddleOfATickStartsNothingFromWhatWasReadBefore) {
  ScriptedTopic topic;
  topic.answers.push_back(std::vector<kafka::KeyedRecord>{});
  topic.answers.push_back(std::vector<kafka::KeyedRecord>{{"sluice-assignment", "{\"epoch\":9}"}});
  LeaseCatchUp catch_up(topic.Reader());
  ASSERT_TRUE(catch_up.Step(Lease(true, 1)).has_value());
  ASSERT_TRUE(catch_up.Current(Lease(true, 1)));

  // Frozen past the session: the tick's read begins with the lease ended.
  const MembershipView woken = Lease(false, 1);
  EXPECT_EQ(catch_up.Step(woken), std::nullopt);
  EXPECT_FALSE(catch_up.Current(woken));
  // The lease is taken again while the tick runs: valid now, but what was read is older.
  const MembershipView mid_tick = Lease(true, 2);
  ASSERT_TRUE(mid_tick.lease_valid);  // what the old rule looked at
  EXPECT_FALSE(catch_up.Current(mid_tick));

  // The next tick reads to the end within the new lease first; then work starts.
  std::optional<std::vector<kafka::KeyedRecord>> read = catch_up.Step(mid_tick);
  ASSERT_TRUE(read.has_value());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].value, "{\"epoch\":9}");
  EXPECT_TRUE(catch_up.Current(mid_tick));
  EXPECT_EQ(topic.reads, 2);
}

TEST(LeaseCatchUp, AReadThatBeganUnderALeaseTakenAgainSinceDoesNotCount) {
  ScriptedTopic topic;
  topic.answers.push_back(std::vector<kafka::KeyedRecord>{});
  topic.answers.push_back(std::vector<kafka::KeyedRecord>{});
  LeaseCatchUp catch_up(topic.Reader());
  // The read began under take 3; the lease lapsed and was taken again (4) while it ran.
  ASSERT_TRUE(catch_up.Step(Lease(true, 3)).has_value());
  EXPECT_FALSE(catch_up.Current(Lease(true, 4)));
  ASSERT_TRUE(catch_up.Step(Lease(true, 4)).has_value());
  EXPECT_TRUE(catch_up.Current(Lease(true, 4)));
  // Ended, not taken again yet: nothing starts, and no read is due.
  EXPECT_FALSE(catch_up.Current(Lease(false, 4)));
  EXPECT_FALSE(catch_up.Due(Lease(false, 4)));
}

TEST(LeaseCatchUp, AFailedReadIsRetriedAndStartsNothingUntilOneSucceeds) {
  ScriptedTopic topic;
  topic.answers.push_back(absl::DeadlineExceededError("reading topic `configs` took too long"));
  topic.answers.push_back(absl::UnavailableError("broker down"));
  topic.answers.push_back(std::vector<kafka::KeyedRecord>{});
  LeaseCatchUp catch_up(topic.Reader());

  EXPECT_EQ(catch_up.Step(Lease(true, 1)), std::nullopt);
  EXPECT_EQ(catch_up.failures(), 1);
  EXPECT_NE(catch_up.last_failure().find("took too long"), std::string::npos);
  EXPECT_FALSE(catch_up.Current(Lease(true, 1)));
  EXPECT_EQ(catch_up.Step(Lease(true, 1)), std::nullopt);
  EXPECT_EQ(catch_up.failures(), 2);
  EXPECT_EQ(catch_up.last_failure(), "broker down");
  EXPECT_TRUE(catch_up.Step(Lease(true, 1)).has_value());
  EXPECT_TRUE(catch_up.Current(Lease(true, 1)));
  EXPECT_EQ(topic.reads, 3);
}

}  // namespace
}  // namespace sluice::cluster
