// The cluster by default (docs/cluster.md): workers started with one worker.properties, which
// says nothing about a cluster, share the connectors, each running once; a single worker
// (`sluice.cluster.enable=false`) and a cluster worker never run beside each other in one group:
// whichever starts later refuses, saying why.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/cluster/cluster_run.h"
#include "tests/support/eventually.h"

namespace sluice::testing {
namespace {

std::string Logs(const ClusterRun& run) {
  std::string out;
  for (size_t i = 0; i < run.size(); ++i) out += absl::StrCat("--- worker ", i, ":\n", run.log(i));
  return out;
}

// Worker `i` exits non-zero within `timeout` and its log says `why`.
void ExpectRefusal(ClusterRun& run, size_t i, const std::string& why, absl::Duration timeout) {
  const std::optional<int> code = run.worker(i).Wait(timeout);
  ASSERT_TRUE(code.has_value()) << "worker " << i << " still runs\n" << Logs(run);
  EXPECT_NE(*code, 0) << Logs(run);
  EXPECT_NE(run.log(i).find(why), std::string::npos) << Logs(run);
}

TEST(ClusterDefaults, TwoWorkersWithOneWorkerPropertiesShareTheConnectorsEachRunningOnce) {
  // Kafka Connect's timings, no cluster key: what a new user's worker.properties holds (each
  // worker has its own admin and REST port).
  ClusterRun run("defaults-share", "", ClusterRun::Timings::kDefaults);
  run.StartAndJoin(0);
  run.StartAndJoin(1);
  std::vector<std::string> connectors;
  for (int i = 0; i < 4; ++i) {
    connectors.push_back(run.CreateGenerator(i % 2, absl::StrCat("g", i), -1, 10, 100));
  }
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, {0, 1}, 2); },
                         absl::Seconds(60), absl::Milliseconds(200)))
      << Logs(run);
  // Each produces, and no connector runs on both (RunningOn reads each worker's own log).
  ASSERT_TRUE(Eventually([&] { return EachCommitted(run, connectors); }, absl::Seconds(30),
                         absl::Milliseconds(200)))
      << Logs(run);
  for (const std::string& c : run.RunningOn(0)) {
    EXPECT_FALSE(run.RunningOn(1).contains(c)) << c << "\n" << Logs(run);
  }
  run.StopWorker(0);
  run.StopWorker(1);
  EXPECT_EQ(Logs(run).find("another task wrote the offset"), std::string::npos) << Logs(run);
}

TEST(ClusterDefaults, ASingleWorkerRefusesToStartBesideAClusterWorker) {
  ClusterRun run("defaults-single-late");
  run.StartAndJoin(0);
  const std::string c = run.CreateGenerator(0, "g0", -1, 10, 100);
  run.StartWorker(1, "", "sluice.cluster.enable=false\n");
  // It waits up to session.timeout.ms (6 s here) and a margin for a member that died to go.
  ExpectRefusal(run, 1, "already has other workers", absl::Seconds(40));
  EXPECT_TRUE(run.RunningOn(1).empty()) << Logs(run);
  EXPECT_EQ(run.RunningOn(0), std::set<std::string>{c}) << Logs(run);
  run.StopWorker(0);
}

TEST(ClusterDefaults, AClusterWorkerRefusesToStartBesideASingleWorker) {
  ClusterRun run("defaults-cluster-late");
  run.StartWorker(0, "", "sluice.cluster.enable=false\n");
  ASSERT_TRUE(Eventually([&] { return run.log(0).find("running; SIGTERM") != std::string::npos; },
                         absl::Seconds(30), absl::Milliseconds(100)))
      << Logs(run);
  const std::string c = run.CreateGenerator(0, "g0", -1, 10, 100);
  ASSERT_TRUE(Eventually([&] { return !run.CommittedSeqs(c).empty(); }, absl::Seconds(30),
                         absl::Milliseconds(200)))
      << Logs(run);
  run.StartWorker(1);
  ExpectRefusal(run, 1, "has a single worker", absl::Seconds(40));
  EXPECT_TRUE(run.RunningOn(1).empty()) << Logs(run);
  // The single worker runs on, alone.
  const size_t committed = run.CommittedSeqs(c).size();
  EXPECT_TRUE(Eventually([&] { return run.CommittedSeqs(c).size() > committed; },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  run.StopWorker(0);
}

}  // namespace
}  // namespace sluice::testing
