// The one retry policy: 100 ms doubling to 10 s, starting over after a success.
#include "runtime/worker/retry_backoff.h"

#include <gtest/gtest.h>

namespace sluice::worker {
namespace {

TEST(RetryBackoff, DoublesFromAHundredMillisecondsToTenSeconds) {
  RetryBackoff backoff;
  const int64_t expected_ms[] = {100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000};
  for (int64_t ms : expected_ms) EXPECT_EQ(backoff.Next(), absl::Milliseconds(ms));
}

TEST(RetryBackoff, ASuccessStartsOver) {
  RetryBackoff backoff;
  backoff.Next();
  backoff.Next();
  backoff.Reset();
  EXPECT_EQ(backoff.Next(), absl::Milliseconds(100));
  EXPECT_EQ(backoff.Next(), absl::Milliseconds(200));
}

TEST(RetryBackoff, AGivenCeilingReplacesTenSeconds) {
  RetryBackoff up_to_a_minute(absl::Seconds(60));
  const int64_t expected_ms[] = {100,  200,   400,   800,   1600,  3200,
                                 6400, 12800, 25600, 51200, 60000, 60000};
  for (int64_t ms : expected_ms) EXPECT_EQ(up_to_a_minute.Next(), absl::Milliseconds(ms));

  RetryBackoff short_ceiling(absl::Milliseconds(30));
  EXPECT_EQ(short_ceiling.Next(), absl::Milliseconds(30)) << "never longer than the ceiling";
  EXPECT_EQ(short_ceiling.Next(), absl::Milliseconds(30));
}

}  // namespace
}  // namespace sluice::worker
