// The cluster's benchmark (docs/cluster.md, "Benchmark"; not a timed test: DISABLED_, run by
// tests/integration/cluster/cluster_bench): on 3 workers with 6 generator connectors, the time
// from a worker's start to its first assigned connector, from a clean stop (SIGTERM) of a worker
// and from its kill -9 to the first event its moved connectors make on the others. An event's
// time is the `ts` the generator stamps on each record when it makes it.
#include <signal.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/integration/cluster/cluster_run.h"
#include "tests/support/eventually.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

// The earliest `ts` after `since` among the records of `connectors`; nullopt when none yet.
std::optional<absl::Time> FirstEventAfter(const ClusterRun& run,
                                          const std::set<std::string>& connectors,
                                          absl::Time since) {
  std::optional<absl::Time> first;
  const int64_t since_ms = absl::ToUnixMillis(since);
  for (const std::string& c : connectors) {
    absl::StatusOr<std::vector<ConsumedRecord>> records =
        ReadWholeTopic(KafkaBootstrap(), run.topic(c));
    if (!records.ok()) continue;
    for (const ConsumedRecord& record : *records) {
      rapidjson::Document value;
      value.Parse(record.value.value_or("null").c_str());
      if (!value.IsObject() || !value.HasMember("ts") || !value["ts"].IsInt64()) continue;
      const int64_t ts = value["ts"].GetInt64();
      if (ts <= since_ms) continue;
      const absl::Time t = absl::FromUnixMillis(ts);
      if (!first || t < *first) first = t;
    }
  }
  return first;
}

// `what` of every connector: "<prefix><connector><suffix>".
std::vector<std::string> Needles(const std::set<std::string>& connectors, const std::string& prefix,
                                 const std::string& suffix) {
  std::vector<std::string> out;
  for (const std::string& c : connectors) out.push_back(absl::StrCat(prefix, c, suffix));
  return out;
}

// Stops (`signal`) a worker running some connectors and reports when the first of them produced
// again elsewhere: the first event made after one of them started on another worker (the worker
// stopping by SIGTERM still makes events while its tasks flush, so "after the signal" would count
// its own). Then the legs on the way, from the workers' logs (the `cluster`, `worker` and `herder`
// loggers at DEBUG), each as the time from the signal to its first line: "-" for a leg that did
// not happen.
void MeasureMove(ClusterRun& run, size_t victim, int signal, const char* what) {
  const std::set<std::string> moved = run.RunningOn(victim);
  ASSERT_FALSE(moved.empty());
  std::set<size_t> others, all;
  for (size_t i = 0; i < run.size(); ++i) {
    all.insert(i);
    if (i != victim) others.insert(i);
  }
  const absl::Time at = absl::Now();
  run.worker(victim).Signal(signal);
  std::optional<absl::Time> started, first;
  const std::vector<std::string> runs_here = Needles(moved, " herder connector ", " runs here");
  ASSERT_TRUE(Eventually([&] { return (started = run.FirstLogLine(others, runs_here, at)).has_value(); },
                         absl::Seconds(60), absl::Milliseconds(100)));
  ASSERT_TRUE(Eventually([&] { return (first = FirstEventAfter(run, moved, *started)).has_value(); },
                         absl::Seconds(60), absl::Milliseconds(100)));
  std::printf("BENCH %s to the first event elsewhere: %.2f s\n", what,
              absl::ToDoubleSeconds(*first - at));
  ASSERT_TRUE(run.worker(victim).Wait(absl::Seconds(60)).has_value());
  // After a clean stop the work moved before the group's rebalance: wait for it too (the others
  // hear of it at their next heartbeat), so its legs show where they fall.
  absl::SleepFor(absl::Seconds(2));
  struct Leg {
    const char* name;
    std::optional<absl::Time> time;
  };
  const Leg legs[] = {
      {"its listeners closed", run.FirstLogLine({victim}, {"listeners closed"}, at)},
      {"its herder thread ended", run.FirstLogLine({victim}, {"herder thread ended"}, at)},
      {"its first task stopped", run.FirstLogLine({victim}, Needles(moved, "", "-0 stopped after sending"), at)},
      {"its farewell written", run.FirstLogLine({victim}, {"farewell written"}, at)},
      {"it left the group", run.FirstLogLine({victim}, {"left the cluster"}, at)},
      {"the others hear of the rebalance", run.FirstLogLine(others, {"rebalance under way"}, at)},
      {"the rebalance done", run.FirstLogLine(others, {"done: "}, at)},
      {"its members described", run.FirstLogLine(others, {"cluster members of rebalance"}, at)},
      {"the assignment computed", run.FirstLogLine(all, {"cluster assignment epoch "}, at)},
      {"the assignment read elsewhere", run.FirstLogLine(others, {"of leader "}, at)},
      {"a moved connector runs elsewhere", started},
      {"its task runs there", run.FirstLogLine(others, Needles(moved, " herder task ", "-0 runs here"), at)},
      {"its first event there", first},
  };
  std::string line;
  for (const Leg& leg : legs) {
    absl::StrAppend(&line, line.empty() ? "" : "; ", leg.name, " ",
                    leg.time ? absl::StrFormat("%.2f", absl::ToDoubleSeconds(*leg.time - at)) : "-");
  }
  std::printf("BENCH   legs (s after the signal): %s\n", line.c_str());
}

TEST(ClusterBench, DISABLED_StartCleanStopAndKillTimes) {
  const char* session = std::getenv("CLUSTER_BENCH_SESSION_MS");
  // The `cluster`, `worker` and `herder` loggers at DEBUG write the legs MeasureMove reports.
  ClusterRun run("cluster-bench",
                 absl::StrCat("session.timeout.ms=", session != nullptr ? session : "6000", "\n",
                              "log4j.logger.cluster=DEBUG\nlog4j.logger.worker=DEBUG\n"
                              "log4j.logger.herder=DEBUG\n"));
  run.StartAndJoin(0);
  run.StartAndJoin(1);
  std::vector<std::string> connectors;
  for (int i = 0; i < 6; ++i) {
    connectors.push_back(run.CreateGenerator(0, absl::StrCat("g", i), -1, 10, 200));
  }
  ASSERT_TRUE(Eventually([&] { return run.RunningOn(0).size() + run.RunningOn(1).size() == 6; },
                         absl::Seconds(30), absl::Milliseconds(50)));
  // A third worker joins: its start to its first connector.
  const absl::Time started = absl::Now();
  run.StartWorker(2);
  ASSERT_TRUE(Eventually([&] { return !run.RunningOn(2).empty(); }, absl::Seconds(60),
                         absl::Milliseconds(20)));
  std::printf("BENCH a worker's start to its first assigned connector: %.2f s\n",
              absl::ToDoubleSeconds(absl::Now() - started));
  ASSERT_TRUE(Eventually([&] { return run.RunningOn(2).size() == 2; }, absl::Seconds(30),
                         absl::Milliseconds(50)));
  absl::SleepFor(absl::Seconds(2));
  MeasureMove(run, 2, SIGTERM, "clean stop (SIGTERM)");
  run.StartAndJoin(2);
  ASSERT_TRUE(Eventually([&] { return run.RunningOn(2).size() == 2; }, absl::Seconds(60),
                         absl::Milliseconds(50)));
  absl::SleepFor(absl::Seconds(2));
  MeasureMove(run, 2, SIGKILL, "kill -9");
  run.StopWorker(0);
  run.StopWorker(1);
}

}  // namespace
}  // namespace sluice::testing
