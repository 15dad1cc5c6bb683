#include "runtime/common/lag_histogram.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace sluice {
namespace {

TEST(LagHistogram, EachLagFallsInTheFirstBucketWhoseBoundHoldsIt) {
  LagHistogram h;
  h.Record(-5);       // clocks apart: 0, the first bucket
  h.Record(250);      // on a bound: that bucket (Prometheus's `le`)
  h.Record(251);      // just past: the next
  h.Record(3600000);  // the last finite bucket
  h.Record(3600001);  // +Inf
  const LagHistogram::Counts c = h.Snapshot();
  EXPECT_EQ(c.buckets[0], 2);
  EXPECT_EQ(c.buckets[1], 1);
  EXPECT_EQ(c.buckets[kLagBucketBoundsMs.size() - 1], 1);
  EXPECT_EQ(c.buckets[kLagBucketBoundsMs.size()], 1);
  EXPECT_EQ(c.count(), 5);
  EXPECT_EQ(c.sum_ms, 0 + 250 + 251 + 3600000 + 3600001);
}

TEST(LagHistogram, RecordsFromManyThreadsAreAllCounted) {
  LagHistogram h;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h] {
      for (int i = 0; i < 10000; ++i) h.Record(i % 2 == 0 ? 100 : 20000);
    });
  }
  for (std::thread& t : threads) t.join();
  const LagHistogram::Counts c = h.Snapshot();
  EXPECT_EQ(c.count(), 40000);
  EXPECT_EQ(c.buckets[0], 20000);
  EXPECT_EQ(c.sum_ms, 20000 * 100 + 20000 * 20000);
}

}  // namespace
}  // namespace sluice
