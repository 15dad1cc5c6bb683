// What the worker's per-record metrics add to a record's way through the offsets tracker (issue 16:
// "metrics cost nothing measurable on the hot path"). Both cases submit a record to the tracker
// and acknowledge it, as the task thread and librdkafka's delivery-report thread do; the second
// also does what the metrics do per record: the polled and sent counters (relaxed atomic adds on
// the task thread) and the commit-to-ack lag (ObserveAckLag before the send, then a clock read and
// a histogram update in Ack). The difference between the two is the metrics' cost per record;
// docs/benchmarks.md ("What metrics cost") sets it beside the worker's CPU per event.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/time/clock.h"
#include "runtime/common/lag_histogram.h"
#include "runtime/offsets/submitted_records.h"

namespace {

using sluice::offsets::PartitionHandle;
using sluice::offsets::SourcePartition;
using sluice::offsets::SubmittedRecord;
using sluice::offsets::SubmittedRecords;

// Records between two TakeCommittable calls, as a poll's worth.
constexpr int kPerCommit = 1000;

template <bool kWithMetrics>
void BM_SubmitAndAck(benchmark::State& state) {
  SubmittedRecords tracker;
  const PartitionHandle partition =
      tracker.Partition(SourcePartition{{"server", std::string("bench")}});
  sluice::LagHistogram lag;
  std::atomic<int64_t> polled{0};
  std::atomic<int64_t> sent{0};
  const int64_t source_ms = absl::ToUnixMillis(absl::Now()) - 3;
  int in_batch = 0;
  for (auto _ : state) {
    if (kWithMetrics) polled.fetch_add(1, std::memory_order_relaxed);
    SubmittedRecord* record = tracker.SubmitWithoutOffset(partition);
    if (kWithMetrics) {
      record->ObserveAckLag(&lag, source_ms);
      sent.fetch_add(1, std::memory_order_relaxed);
    }
    record->Ack();
    if (++in_batch == kPerCommit) {
      benchmark::DoNotOptimize(tracker.TakeCommittable());
      in_batch = 0;
    }
  }
  benchmark::DoNotOptimize(polled.load());
  benchmark::DoNotOptimize(sent.load());
  if (kWithMetrics && lag.Snapshot().count() != static_cast<int64_t>(state.iterations())) {
    state.SkipWithError("the lag histogram did not count every record");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_TrackerOnly(benchmark::State& state) { BM_SubmitAndAck<false>(state); }
void BM_TrackerAndPerRecordMetrics(benchmark::State& state) { BM_SubmitAndAck<true>(state); }

BENCHMARK(BM_TrackerOnly);
BENCHMARK(BM_TrackerAndPerRecordMetrics);

}  // namespace

BENCHMARK_MAIN();
