#include "runtime/cluster/leader_catch_up.h"

#include <deque>

#include "gtest/gtest.h"

namespace sluice::cluster {
namespace {

// A config topic whose reads to the end answer what the test queued, in order.
struct ScriptedReader {
  std::deque<absl::StatusOr<std::vector<kafka::KeyedRecord>>> answers;
  int reads = 0;
  LeaderCatchUp::ReadToEnd Reader() {
    return [this]() -> absl::StatusOr<std::vector<kafka::KeyedRecord>> {
      ++reads;
      absl::StatusOr<std::vector<kafka::KeyedRecord>> next = answers.front();
      answers.pop_front();
      return next;
    };
  }
};

TEST(LeaderCatchUp, AFollowerNeitherReadsNorIsCaughtUp) {
  ScriptedReader topic;
  LeaderCatchUp catch_up(topic.Reader());
  EXPECT_EQ(catch_up.Step(0), std::nullopt);
  EXPECT_EQ(topic.reads, 0);
  EXPECT_TRUE(absl::IsAborted(catch_up.Check(0)));
}

TEST(LeaderCatchUp, ALeaderWhoseReadFailedAnswersRetryAndReadsAgainUntilItSucceeds) {
  ScriptedReader topic;
  topic.answers.push_back(absl::DeadlineExceededError("reading topic `configs` took too long"));
  topic.answers.push_back(absl::UnavailableError("broker down"));
  topic.answers.push_back(std::vector<kafka::KeyedRecord>{{"connector-a", "{}"}});
  LeaderCatchUp catch_up(topic.Reader());

  EXPECT_EQ(catch_up.Step(7), std::nullopt);
  absl::Status check = catch_up.Check(7);
  EXPECT_TRUE(absl::IsAborted(check)) << check;
  EXPECT_NE(check.message().find("catching up with the config topic"), absl::string_view::npos)
      << check;
  EXPECT_NE(check.message().find("took too long"), absl::string_view::npos) << check;
  EXPECT_FALSE(catch_up.CaughtUp(7));

  EXPECT_EQ(catch_up.Step(7), std::nullopt);  // retried, failed again
  EXPECT_EQ(catch_up.failures(), 2);
  EXPECT_NE(catch_up.Check(7).message().find("broker down"), absl::string_view::npos);

  std::optional<std::vector<kafka::KeyedRecord>> read = catch_up.Step(7);
  ASSERT_TRUE(read.has_value());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].key, "connector-a");
  EXPECT_TRUE(catch_up.Check(7).ok());
  EXPECT_EQ(topic.reads, 3);

  EXPECT_EQ(catch_up.Step(7), std::nullopt);  // caught up: no read again in this term
  EXPECT_EQ(topic.reads, 3);
}

TEST(LeaderCatchUp, ANewTermReadsAgainAndAnswersRetryMeanwhile) {
  ScriptedReader topic;
  topic.answers.push_back(std::vector<kafka::KeyedRecord>{});
  topic.answers.push_back(absl::UnavailableError("broker down"));
  LeaderCatchUp catch_up(topic.Reader());
  ASSERT_TRUE(catch_up.Step(1).has_value());
  EXPECT_TRUE(catch_up.Check(1).ok());
  // Leadership lost and won again: the earlier read says nothing about what came since.
  EXPECT_TRUE(absl::IsAborted(catch_up.Check(2)));
  EXPECT_EQ(catch_up.Step(2), std::nullopt);
  EXPECT_EQ(catch_up.failures(), 1);
  EXPECT_TRUE(absl::IsAborted(catch_up.Check(2)));
  EXPECT_FALSE(catch_up.CaughtUp(2));
}

}  // namespace
}  // namespace sluice::cluster
