// LagHistogram: a fixed-bucket histogram of lags in milliseconds, recorded with relaxed atomics
// only, for figures counted on the hot path (a record's commit-to-ack lag, recorded from
// librdkafka's delivery-report thread) and read now and then by a scrape.
//
// Buckets (upper bounds, in ms) are fixed at compile time, so recording is a short scan of a
// constant array and two atomic adds: no lock, no allocation. A reader's Snapshot may see a
// recording half done (the bucket counted, the sum not yet): Prometheus accepts that, and the
// next scrape is whole.
//
// Threads: Record and Snapshot from any threads, concurrently. Not movable (readers hold its
// address): keep it in a unique_ptr or a node-stable container.
#ifndef SLUICE_RUNTIME_COMMON_LAG_HISTOGRAM_H_
#define SLUICE_RUNTIME_COMMON_LAG_HISTOGRAM_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice {

// Upper bounds of the buckets, in ms; a last, unbounded bucket (+Inf) follows. Chosen for a
// binlog source whose event times are whole seconds (so a lag is known to about a second):
// sub-second buckets tell "caught up" from "a second behind", the rest span a backlog of up to
// an hour. docs/metrics.md lists them.
inline constexpr std::array<int64_t, 11> kLagBucketBoundsMs = {
    250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 900000, 3600000};

class LagHistogram {
 public:
  static constexpr size_t kBuckets = kLagBucketBoundsMs.size() + 1;  // + the +Inf bucket

  // What a reader copies out: per-bucket (not cumulative) counts and the sum of the lags.
  struct Counts {
    std::array<int64_t, kBuckets> buckets{};
    int64_t sum_ms = 0;
    int64_t count() const {
      int64_t n = 0;
      for (int64_t b : buckets) n += b;
      return n;
    }
  };

  LagHistogram() = default;
  LagHistogram(const LagHistogram&) = delete;
  LagHistogram& operator=(const LagHistogram&) = delete;

  // Counts one lag; a negative one (clocks apart) counts as 0.
  void Record(int64_t lag_ms) {
    if (lag_ms < 0) lag_ms = 0;
    size_t i = 0;
    while (i < kLagBucketBoundsMs.size() && lag_ms > kLagBucketBoundsMs[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_ms_.fetch_add(lag_ms, std::memory_order_relaxed);
  }

  Counts Snapshot() const {
    Counts out;
    for (size_t i = 0; i < kBuckets; ++i) out.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
    out.sum_ms = sum_ms_.load(std::memory_order_relaxed);
    return out;
  }

 private:
  std::array<std::atomic<int64_t>, kBuckets> buckets_{};
  std::atomic<int64_t> sum_ms_{0};
};

// One topic's histogram as a task reports it (TaskView::ack_lags).
struct TopicLag {
  std::string topic;
  LagHistogram::Counts counts;
};

}  // namespace sluice

#endif  // SLUICE_RUNTIME_COMMON_LAG_HISTOGRAM_H_
