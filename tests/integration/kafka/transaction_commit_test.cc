// How long a transactional Producer's commit takes against the real broker, in its two parts:
// the flush (from the transaction's last delivery report until librdkafka's commit_transaction
// says its flush is complete) and the rest (EndTxn, until CommitTransaction returns).
//
// The flush must end as soon as the last record is acknowledged: with delivery reports served as
// callbacks, librdkafka's flush polls the report queue in 10 ms steps beside the producer's poll
// thread, and slept out the rest of a step whenever the poll thread took the last report
// (issue 19: 0-10 ms on each commit). The phases are read from librdkafka's own `debug=eos` line
// at the flush's end and from a watcher that sees the producer's in-flight bytes reach 0.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "runtime/common/log.h"
#include "runtime/kafka/client_log.h"
#include "runtime/kafka/producer.h"
#include "runtime/kafka/topic_admin.h"
#include "tests/support/service_endpoints.h"

namespace sluice::kafka {
namespace {

using ::sluice::testing::KafkaBootstrap;
using ::sluice::testing::UniqueName;

// What librdkafka 2.0.2 logs (debug=eos) once commit_transaction's flush has ended, and the text
// of a CONCURRENT_TRANSACTIONS refusal of AddPartitionsToTxn (retried by librdkafka after 20 ms).
constexpr char kFlushComplete[] = "Transaction commit message flush complete";
constexpr char kConcurrentRefusal[] = "concurrent operation on the same transaction";

// librdkafka's log lines, while it lives: when the last flush ended, and the refusals seen.
class EosLog {
 public:
  EosLog() {
    SetClientLogSink([this](LogLevel level, std::string_view who, std::string_view line) {
      if (level >= LogLevel::kWarn) stderr_(level, who, line);  // the debug lines are many
      const absl::string_view message(line.data(), line.size());
      const absl::Time now = absl::Now();
      absl::MutexLock lock(&mu_);
      if (absl::StrContains(message, kFlushComplete)) flush_complete_ = now;
      if (absl::StrContains(message, "AddPartitionsToTxn response") &&
          absl::StrContains(message, kConcurrentRefusal)) {
        ++refusals_;
      }
    });
  }
  ~EosLog() { SetClientLogSink(StderrLogSink()); }
  absl::Time flush_complete() const {
    absl::MutexLock lock(&mu_);
    return flush_complete_;
  }
  int refusals() const {
    absl::MutexLock lock(&mu_);
    return refusals_;
  }

 private:
  const LogSink stderr_ = StderrLogSink();
  mutable absl::Mutex mu_;
  absl::Time flush_complete_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int refusals_ ABSL_GUARDED_BY(mu_) = 0;
};

// A flush that ends this long after its last acknowledgement waited for something else.
constexpr double kLateFlushMs = 3;

// One commit's parts, in milliseconds.
struct CommitPhases {
  double to_ack;            // CommitTransaction called -> the last delivery report
  double ack_to_flush_end;  // last delivery report -> the flush's end
  double end_txn;           // the flush's end -> CommitTransaction returned
  double commit;            // CommitTransaction, all of it
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t i = std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  return values[i];
}

struct CommitRun {
  std::vector<CommitPhases> commits;
  int refusals = 0;
  std::vector<double> Of(double CommitPhases::*field) const {
    std::vector<double> out;
    for (const CommitPhases& c : commits) out.push_back(c.*field);
    return out;
  }
};

// `transactions` transactions of `records` records to `topic` and one to `offsets_topic` (the
// worker's offsets record), each committed at once; `gap` is waited after each commit before the
// next transaction's first record, as the worker's task does (source_task.cc kTransactionGap).
CommitRun RunCommits(int transactions, int records, absl::Duration gap) {
  auto admin = TopicAdmin::Create(TopicAdmin::Options{KafkaBootstrap(), {}, absl::Seconds(30)});
  EXPECT_TRUE(admin.ok()) << admin.status();
  const std::string topic = UniqueName("it-commit");
  const std::string offsets_topic = UniqueName("it-commit-offsets");
  EXPECT_TRUE((*admin)->CreateTopicIfMissing(TopicSpec{topic, 1, 1, {}}).ok());
  EXPECT_TRUE((*admin)->CreateTopicIfMissing(TopicSpec{offsets_topic, 1, 1, {}}).ok());

  CommitRun run;
  EosLog log;
  ProducerOptions options{KafkaBootstrap(), {{"debug", "eos"}}};
  options.transactional_id = UniqueName("it-commit-txn");
  auto producer = Producer::Create(options);
  EXPECT_TRUE(producer.ok()) << producer.status();
  if (!producer.ok()) return run;

  // Sees the transaction's last report: in-flight bytes back at 0 once armed.
  std::atomic<bool> armed{false};
  std::atomic<bool> stop{false};
  absl::Mutex mu;
  absl::Time acked;  // guarded by mu
  std::thread watcher([&] {
    while (!stop.load()) {
      if (armed.load() && (*producer)->in_flight_bytes() == 0) {
        const absl::Time now = absl::Now();
        armed.store(false);
        absl::MutexLock lock(&mu);
        acked = now;
      }
      absl::SleepFor(absl::Microseconds(20));
    }
  });
  for (int t = 0; t < transactions; ++t) {
    EXPECT_TRUE((*producer)->BeginTransaction().ok());
    for (int r = 0; r < records; ++r) {
      OutgoingRecord record;
      record.topic = topic;
      record.key = "k";
      record.value = "v";
      EXPECT_TRUE((*producer)->Send(record, nullptr).ok());
    }
    OutgoingRecord offsets;
    offsets.topic = offsets_topic;
    offsets.key = "[\"connector\",{\"server\":\"it\"}]";
    offsets.value = "{\"file\":\"mysql-bin.000003\",\"pos\":12345}";
    EXPECT_TRUE((*producer)->Send(offsets, nullptr).ok());
    armed.store(true);
    const absl::Time start = absl::Now();
    absl::Status committed = (*producer)->CommitTransaction(absl::Seconds(30));
    const absl::Time end = absl::Now();
    EXPECT_TRUE(committed.ok()) << committed;
    while (armed.load()) absl::SleepFor(absl::Microseconds(20));  // the watcher's last look
    const absl::Time flush_end = log.flush_complete();
    {
      absl::MutexLock lock(&mu);
      run.commits.push_back({absl::ToDoubleMilliseconds(acked - start),
                             absl::ToDoubleMilliseconds(flush_end - acked),
                             absl::ToDoubleMilliseconds(end - flush_end),
                             absl::ToDoubleMilliseconds(end - start)});
    }
    absl::SleepFor(gap);
  }
  stop.store(true);
  watcher.join();
  run.refusals = log.refusals();
  return run;
}

// The commits whose flush ended over kLateFlushMs after their last acknowledgement.
int LateFlushes(const CommitRun& run) {
  int late = 0;
  for (double v : run.Of(&CommitPhases::ack_to_flush_end)) late += v > kLateFlushMs ? 1 : 0;
  return late;
}

void Print(const char* what, const CommitRun& run) {
  auto line = [&](const char* name, double CommitPhases::*field) {
    std::vector<double> v = run.Of(field);
    std::printf("%s %s: p50 %.2f p90 %.2f p99 %.2f max %.2f ms\n", what, name, Percentile(v, 0.5),
                Percentile(v, 0.9), Percentile(v, 0.99), Percentile(v, 1.0));
  };
  line("commit call->last ack", &CommitPhases::to_ack);
  line("last ack->flush end", &CommitPhases::ack_to_flush_end);
  line("flush end->return (EndTxn)", &CommitPhases::end_txn);
  line("commit", &CommitPhases::commit);
  std::printf("%s flushes ending over %.0f ms after the last ack: %d\n", what, kLateFlushMs,
              LateFlushes(run));
  std::printf("%s CONCURRENT_TRANSACTIONS refusals: %d in %zu transactions\n", what, run.refusals,
              run.commits.size());
}

class TransactionCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status reachable =
        sluice::testing::CheckServiceReachable("kafka", sluice::testing::KafkaPort());
    ASSERT_TRUE(reachable.ok()) << reachable;
  }
};

// The flush of a commit ends when its last record is acknowledged, not up to 10 ms later. Before
// the fix, 6-10 of 50 flushes ended over kLateFlushMs after their last report (when the poll
// thread took it; on a machine with a load of 5), and 34-43 of 100 at a load of 13; after it, 0-2
// of 100 at loads of 5-19. 100 commits, with room for a loaded machine's scheduling delays.
TEST_F(TransactionCommitTest, ACommitsFlushEndsWhenItsLastRecordIsAcknowledged) {
  constexpr int kCommits = 100;
  CommitRun run = RunCommits(kCommits, 1, absl::Milliseconds(5));
  ASSERT_EQ(run.commits.size(), static_cast<size_t>(kCommits));
  Print("1 record + offsets", run);
  const int late = LateFlushes(run);
  EXPECT_LT(late, 5) << "of " << kCommits << " flushes ended over " << kLateFlushMs
                     << " ms after their last acknowledgement";
}

// For docs/benchmarks.md ("Exactly-once: the commit's flush"): the commit's parts and the
// CONCURRENT_TRANSACTIONS refusals per gap between a commit and the next transaction's first
// record. SLUICE_COMMIT_TRANSACTIONS (default 1000) transactions of SLUICE_COMMIT_RECORDS (default
// 8) records per gap. Run by hand:
//   --gtest_also_run_disabled_tests --gtest_filter='*DISABLED_CommitPhasesByGap*'
TEST_F(TransactionCommitTest, DISABLED_CommitPhasesByGap) {
  const char* transactions_env = std::getenv("SLUICE_COMMIT_TRANSACTIONS");
  const char* records_env = std::getenv("SLUICE_COMMIT_RECORDS");
  const int transactions = transactions_env != nullptr ? std::atoi(transactions_env) : 1000;
  const int records = records_env != nullptr ? std::atoi(records_env) : 8;
  for (int gap_ms : {0, 1, 2, 3, 5}) {
    CommitRun run = RunCommits(transactions, records, absl::Milliseconds(gap_ms));
    Print(absl::StrCat("gap ", gap_ms, " ms:").c_str(), run);
  }
}

}  // namespace
}  // namespace sluice::kafka
