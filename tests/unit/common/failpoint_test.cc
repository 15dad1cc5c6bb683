#include "runtime/common/failpoint.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "gtest/gtest.h"

namespace sluice::failpoint {
namespace {

TEST(Failpoint, ParsesNamesActionsAndPasses) {
  auto table = ParseFailpoints("a.b=kill,c=kill@3,d=sleep:25@2,e=stop@4");
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(table[0]->name, "a.b");
  EXPECT_EQ(table[0]->action, Armed::Action::kKill);
  EXPECT_EQ(table[0]->fire_at, 1);
  EXPECT_EQ(table[1]->fire_at, 3);
  EXPECT_EQ(table[2]->action, Armed::Action::kSleep);
  EXPECT_EQ(table[2]->sleep_ms, 25);
  EXPECT_EQ(table[2]->fire_at, 2);
  EXPECT_EQ(table[3]->action, Armed::Action::kStop);
  EXPECT_EQ(table[3]->fire_at, 4);
}

TEST(Failpoint, IgnoresEntriesThatDoNotParse) {
  auto table = ParseFailpoints("=kill,x=explode,y=kill@0,z=kill@x,w=sleep:,,ok=kill");
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(table[0]->name, "ok");
}

TEST(Failpoint, AnUnarmedOrOtherNameDoesNothing) {
  auto table = ParseFailpoints("armed=kill");
  PassIn(table, "other");
  PassIn({}, "armed");
  SUCCEED() << "still alive";
}

TEST(Failpoint, KillFiresAtItsPassOnly) {
  EXPECT_EXIT(
      {
        auto table = ParseFailpoints("here=kill@2");
        PassIn(table, "here");  // the first pass: nothing
        PassIn(table, "here");  // the second: SIGKILL
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGKILL), "failpoint here fired");
}

TEST(Failpoint, StopFreezesTheProcessUntilItIsContinued) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto table = ParseFailpoints("frozen=stop");
    PassIn(table, "frozen");  // stopped here until SIGCONT
    PassIn(table, "frozen");  // once only
    _exit(7);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, WUNTRACED), child);
  ASSERT_TRUE(WIFSTOPPED(status));
  EXPECT_EQ(WSTOPSIG(status), SIGSTOP);
  kill(child, SIGCONT);
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
}

TEST(Failpoint, FailFailsItsPassesOnlyAndNeverKills) {
  auto table = ParseFailpoints("read=fail:2@2,once=fail,bad=fail:0,worse=fail:x");
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0]->action, Armed::Action::kFail);
  EXPECT_EQ(table[0]->fail_passes, 2);
  EXPECT_EQ(table[1]->fail_passes, 1);
  EXPECT_FALSE(FailsIn(table, "read"));  // the first pass
  EXPECT_TRUE(FailsIn(table, "read"));   // the second and third
  EXPECT_TRUE(FailsIn(table, "read"));
  EXPECT_FALSE(FailsIn(table, "read"));  // recovered
  PassIn(table, "once");                 // a plain pass of a `fail` entry does nothing
  EXPECT_TRUE(FailsIn(table, "once"));
  EXPECT_FALSE(FailsIn(table, "once"));
  EXPECT_FALSE(FailsIn(table, "other"));
}

TEST(Failpoint, SleepWaitsOnceAndGoesOn) {
  auto table = ParseFailpoints("slow=sleep:50");
  const auto begin = std::chrono::steady_clock::now();
  PassIn(table, "slow");
  EXPECT_GE(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(50));
  const auto again = std::chrono::steady_clock::now();
  PassIn(table, "slow");
  EXPECT_LT(std::chrono::steady_clock::now() - again, std::chrono::milliseconds(50));
}

}  // namespace
}  // namespace sluice::failpoint
