// Several `sluice worker` processes with one group.id on the real broker (docs/cluster.md): the
// connectors spread and each runs once; one connector's tasks spread over the workers and move
// one by one; a worker killed, frozen or restarted hands its connectors
// over without loss, without two workers running one connector, and without the frozen one
// writing after it lost them; a worker stopped cleanly has its connectors moved on its farewell,
// before the group rebalances; a worker without a connector's plugin is never given it; every
// admin call asked of a worker that neither leads nor runs the connector acts as on its owner;
// writes asked of a follower are forwarded to the leader and answered as the leader answers,
// so concurrent creates of one name create it once, and a leader change answers 409 (retry); a
// leader frozen mid-write is fenced; under exactly-once a lower tasks.max fences the dropped
// task's zombie before the new generation starts; a leader whose config read fails starts nothing
// until one succeeds; a connector's stop and a worker's, leader or not, answer promptly.
#include <signal.h>
#include <sys/stat.h>

#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/integration/cluster/cluster_run.h"
#include "tests/support/eventually.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_files.h"

namespace sluice::testing {
namespace {

constexpr absl::Duration kSession = absl::Seconds(6);  // session.timeout.ms in ClusterRun

std::string Logs(const ClusterRun& run) {
  std::string out;
  for (size_t i = 0; i < run.size(); ++i) out += absl::StrCat("--- worker ", i, ":\n", run.log(i));
  return out;
}

std::set<size_t> All(const ClusterRun& run) {
  std::set<size_t> out;
  for (size_t i = 0; i < run.size(); ++i) out.insert(i);
  return out;
}

// No committed offset of any connector ever moved backwards (a second task of one connector, or
// a frozen worker's, would have written one behind).
void ExpectCommitsNeverWentBack(const ClusterRun& run, const std::vector<std::string>& connectors) {
  for (const std::string& c : connectors) {
    const std::vector<int64_t> seqs = run.CommittedSeqs(c);
    EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end())) << c << ": " << absl::StrJoin(seqs, ",");
  }
}

// Waits until every connector committed its last record, then checks what reached Kafka: every
// record, each key's first occurrences in order, and offsets that never went back.
void ExpectEveryRecordInKeyOrder(const ClusterRun& run, const std::vector<std::string>& connectors,
                                 int64_t records, absl::Duration timeout) {
  ASSERT_TRUE(Eventually(
      [&] {
        for (const std::string& c : connectors) {
          const std::vector<int64_t> seqs = run.CommittedSeqs(c);
          if (seqs.empty() || seqs.back() != records - 1) return false;
        }
        return true;
      },
      timeout, absl::Milliseconds(500)))
      << Logs(run);
  for (const std::string& c : connectors) EXPECT_EQ(run.CheckNoLossAndKeyOrder(c, records), "");
  ExpectCommitsNeverWentBack(run, connectors);
}

// Whether worker `i` logged stopping every one of `connectors` at or after `since`. Where a
// worker first stops its work and is then given some back, this sees the stop even when the gap
// between the two is shorter than a look at RunningOn every few hundred ms.
bool StoppedSince(const ClusterRun& run, size_t i, const std::set<std::string>& connectors,
                  absl::Time since) {
  for (const std::string& c : connectors) {
    if (!run.FirstLogLine({i}, {absl::StrCat(" herder connector ", c, " no longer runs here")},
                          since)) {
      return false;
    }
  }
  return true;
}

void StartThree(ClusterRun& run) {
  // One after the other, so the first leads and the others join an existing group.
  for (size_t i = 0; i < 3; ++i) run.StartAndJoin(i);
}

TEST(Cluster, ThreeWorkersShareSixConnectorsEachRunningOnce) {
  ClusterRun run("cluster-spread");
  StartThree(run);
  std::vector<std::string> connectors;
  for (int i = 0; i < 6; ++i) {
    connectors.push_back(run.CreateGenerator(i % 3, absl::StrCat("g", i), -1, 10, 100));
  }
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, All(run), 2); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  // Each one produces, from exactly one worker.
  ASSERT_TRUE(Eventually([&] { return EachCommitted(run, connectors); }, absl::Seconds(30),
                         absl::Milliseconds(200)))
      << Logs(run);
  for (size_t i = 0; i < 3; ++i) run.StopWorker(i);
  ExpectCommitsNeverWentBack(run, connectors);
  EXPECT_EQ(Logs(run).find("another task wrote the offset"), std::string::npos) << Logs(run);
}

TEST(Cluster, AKilledWorkersConnectorsResumeElsewhereWithoutLossInKeyOrder) {
  ClusterRun run("cluster-kill");
  StartThree(run);
  constexpr int64_t kRecords = 4000;
  std::vector<std::string> connectors;
  for (int i = 0; i < 6; ++i) {
    connectors.push_back(run.CreateGenerator(0, absl::StrCat("g", i), kRecords, 10, 400));
  }
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, All(run), 2); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  absl::SleepFor(absl::Seconds(2));  // under load
  const std::set<std::string> moved = run.RunningOn(1);
  const absl::Time killed = absl::Now();
  run.worker(1).Signal(SIGKILL);
  ASSERT_EQ(run.worker(1).Wait(absl::Seconds(10)), 128 + SIGKILL);
  const std::set<size_t> live = {0, 2};
  ASSERT_TRUE(Eventually(
      [&] {
        for (const std::string& c : moved) {
          if (run.OwnerOf(c, live) < 0) return false;
        }
        return true;
      },
      kSession + absl::Seconds(20), absl::Milliseconds(50)))
      << Logs(run);
  const absl::Duration takeover = absl::Now() - killed;
  std::printf("connectors of the killed worker run again elsewhere after %s\n",
              absl::FormatDuration(takeover).c_str());
  // session.timeout.ms + the delay (0) + the rebalance and one tick; generous for a loaded host.
  EXPECT_LT(takeover, kSession + absl::Seconds(8));
  EXPECT_TRUE(SpreadEvenly(run, connectors, live, 3)) << Logs(run);
  // Every connector reaches its last record, committed.
  ExpectEveryRecordInKeyOrder(run, connectors, kRecords, absl::Seconds(90));
  run.StopWorker(0);
  run.StopWorker(2);
}

// Every task runs on exactly one of `live`, each of them running `per_worker`; false as well
// (and a failure) when the logs show one task on two workers at once.
bool TasksSpreadEvenly(const ClusterRun& run, const std::vector<std::string>& tasks,
                       const std::set<size_t>& live, size_t per_worker) {
  bool placed = true;
  for (const std::string& t : tasks) {
    const int owner = run.TaskOwnerOf(t, live);
    EXPECT_NE(owner, -2) << t << " runs on two workers at once";
    if (owner < 0) placed = false;
  }
  if (!placed) return false;
  for (size_t i : live) {
    if (run.TasksOn(i).size() != per_worker) return false;
  }
  return true;
}

TEST(Cluster, SixTasksOfOneGeneratorSpreadTwoPerWorkerAndAKilledWorkersTasksMove) {
  ClusterRun run("cluster-tasks");
  StartThree(run);
  constexpr int64_t kRecords = 3000;  // per task
  constexpr int kTasks = 6;
  const std::string g = run.CreateGenerator(0, "g", kRecords, 10, 150, {{"tasks.max", "6"}});
  std::vector<std::string> tasks;
  for (int t = 0; t < kTasks; ++t) tasks.push_back(absl::StrCat(g, "-", t));
  ASSERT_TRUE(Eventually([&] { return TasksSpreadEvenly(run, tasks, All(run), 2); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  EXPECT_GE(run.OwnerOf(g, All(run)), 0) << "its instance runs on exactly one worker";
  // `sluice cluster` shows each worker's tasks, as the workers run them.
  ASSERT_TRUE(Eventually(
      [&] {
        const ClusterRun::CliAnswer cluster = run.Cli(1, {"cluster"});
        if (cluster.code != 0) return false;
        for (size_t i = 0; i < 3; ++i) {
          const size_t row = cluster.output.find("\n" + run.WorkerId(i) + " ");
          if (row == std::string::npos) return false;
          const size_t at = row + 1;
          const std::string line = cluster.output.substr(at, cluster.output.find('\n', at) - at);
          for (const std::string& t : run.TasksOn(i)) {
            if (line.find(t) == std::string::npos) return false;
          }
        }
        return true;
      },
      absl::Seconds(10), absl::Milliseconds(500)))
      << run.Cli(1, {"cluster"}).output;
  absl::SleepFor(absl::Seconds(2));  // every task produces for a while
  const std::set<std::string> moved = run.TasksOn(1);
  ASSERT_EQ(moved.size(), 2u);
  run.worker(1).Signal(SIGKILL);
  ASSERT_EQ(run.worker(1).Wait(absl::Seconds(10)), 128 + SIGKILL);
  const std::set<size_t> live = {0, 2};
  // Sampled all along the handover: never one task on two workers, and at the end 3/3.
  ASSERT_TRUE(Eventually([&] { return TasksSpreadEvenly(run, tasks, live, 3); },
                         kSession + absl::Seconds(20), absl::Milliseconds(50)))
      << Logs(run);
  EXPECT_GE(run.OwnerOf(g, live), 0) << Logs(run);
  // Every task reaches its last record, committed, with nothing lost and each key in order, and
  // no task's committed offset ever went back (two runs of one task would have written one).
  ASSERT_TRUE(Eventually(
      [&] {
        for (int t = 0; t < kTasks; ++t) {
          const std::vector<int64_t> seqs = run.CommittedSeqs(g, "", t);
          if (seqs.empty() || seqs.back() != kRecords - 1) return false;
        }
        return true;
      },
      absl::Seconds(90), absl::Milliseconds(500)))
      << Logs(run);
  for (int t = 0; t < kTasks; ++t) {
    EXPECT_EQ(run.CheckNoLossAndKeyOrder(g, kRecords, t), "");
    const std::vector<int64_t> seqs = run.CommittedSeqs(g, "", t);
    EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end())) << t << ": " << absl::StrJoin(seqs, ",");
  }
  run.StopWorker(0);
  run.StopWorker(2);
  EXPECT_EQ(Logs(run).find("another task wrote the offset"), std::string::npos) << Logs(run);
}

TEST(Cluster, AFrozenWorkerStopsItsTasksAndWritesNothingAfterLosingThem) {
  ClusterRun run("cluster-freeze");
  run.StartAndJoin(0);
  run.StartAndJoin(1);
  constexpr int64_t kRecords = 6000;
  std::vector<std::string> connectors;
  for (int i = 0; i < 4; ++i) {
    connectors.push_back(run.CreateGenerator(0, absl::StrCat("g", i), kRecords, 10, 400));
  }
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, All(run), 2); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  absl::SleepFor(absl::Seconds(1));
  const std::set<std::string> frozen = run.RunningOn(1);
  std::map<std::string, size_t> commits_before;
  const absl::Time frozen_at = absl::Now();
  run.worker(1).Signal(SIGSTOP);
  // Its connectors move to worker 0 once its session expired...
  ASSERT_TRUE(Eventually([&] { return run.RunningOn(0).size() == 4; },
                         kSession + absl::Seconds(20), absl::Milliseconds(100)))
      << Logs(run);
  for (const std::string& c : frozen) commits_before[c] = run.CommittedSeqs(c).size();
  absl::SleepFor(absl::Seconds(2));  // ...and run there a while
  run.worker(1).Signal(SIGCONT);
  // Awake, it finds its lease ended and stops its tasks by itself.
  ASSERT_TRUE(Eventually([&] { return StoppedSince(run, 1, frozen, frozen_at); },
                         absl::Seconds(15), absl::Milliseconds(200)))
      << Logs(run);
  EXPECT_NE(run.log(1).find("lost its cluster membership"), std::string::npos) << run.log(1);
  // Nothing it wrote after waking moved an offset backwards, and nobody's commit was refused
  // because it wrote one.
  ExpectCommitsNeverWentBack(run, connectors);
  EXPECT_EQ(run.log(0).find("another task wrote the offset"), std::string::npos) << run.log(0);
  // Then it rejoins and takes its share again; everything completes without loss.
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, All(run), 2); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  ExpectEveryRecordInKeyOrder(run, connectors, kRecords, absl::Seconds(90));
  run.StopWorker(0);
  run.StopWorker(1);
}

// A connector with its own `offsets.storage.topic` is fenced by the lease as the worker's topic is:
// the frozen worker, awake, commits nothing there behind the new owner's commits.
TEST(Cluster, AFrozenWorkerWritesNothingToAConnectorsOwnOffsetsTopic) {
  ClusterRun run("cluster-own-offsets");
  run.StartAndJoin(0);
  run.StartAndJoin(1);
  std::vector<std::string> connectors;
  std::map<std::string, std::string> own_topic;
  for (int i = 0; i < 2; ++i) {
    const std::string topic = absl::StrCat(run.topic(absl::StrCat("g", i)), ".own-offsets");
    connectors.push_back(run.CreateGenerator(0, absl::StrCat("g", i), -1, 10, 400,
                                             {{"offsets.storage.topic", topic}}));
    own_topic[connectors.back()] = topic;
  }
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, All(run), 1); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  const std::string frozen = *run.RunningOn(1).begin();
  ASSERT_TRUE(Eventually([&] { return !run.CommittedSeqs(frozen, own_topic[frozen]).empty(); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  const absl::Time frozen_at = absl::Now();
  run.worker(1).Signal(SIGSTOP);
  ASSERT_TRUE(Eventually([&] { return run.RunningOn(0).size() == 2; },
                         kSession + absl::Seconds(20), absl::Milliseconds(100)))
      << Logs(run);
  // The new owner commits a while, then the frozen one wakes with its tasks' unsent commits.
  const size_t before = run.CommittedSeqs(frozen, own_topic[frozen]).size();
  ASSERT_TRUE(Eventually(
      [&] { return run.CommittedSeqs(frozen, own_topic[frozen]).size() > before + 3; },
      absl::Seconds(20), absl::Milliseconds(200)))
      << Logs(run);
  run.worker(1).Signal(SIGCONT);
  ASSERT_TRUE(Eventually([&] { return StoppedSince(run, 1, {frozen}, frozen_at); },
                         absl::Seconds(15), absl::Milliseconds(200)))
      << Logs(run);
  absl::SleepFor(absl::Seconds(2));
  for (const std::string& c : connectors) {
    const std::vector<int64_t> seqs = run.CommittedSeqs(c, own_topic[c]);
    EXPECT_FALSE(seqs.empty()) << c;
    EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end())) << c << ": " << absl::StrJoin(seqs, ",");
    // Nothing went to the workers' offsets topic.
    EXPECT_TRUE(run.CommittedSeqs(c).empty()) << c;
  }
  run.StopWorker(0);
  run.StopWorker(1);
}

TEST(Cluster, ARollingRestartNeverRunsAConnectorTwiceNorLeavesOneUnassigned) {
  ClusterRun run("cluster-rolling");
  StartThree(run);
  constexpr int64_t kRecords = 8000;
  std::vector<std::string> connectors;
  for (int i = 0; i < 6; ++i) {
    connectors.push_back(run.CreateGenerator(0, absl::StrCat("g", i), kRecords, 10, 300));
  }
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, All(run), 2); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  for (size_t i = 0; i < 3; ++i) {
    run.StopWorker(i);
    std::set<size_t> live = All(run);
    live.erase(i);
    // Its connectors move to the two others (each running at most once by every log read).
    ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, live, 3); },
                           absl::Seconds(30), absl::Milliseconds(200)))
        << "after stopping worker " << i << "\n"
        << Logs(run);
    run.StartAndJoin(i);
    ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, All(run), 2); },
                           absl::Seconds(30), absl::Milliseconds(200)))
        << "after restarting worker " << i << "\n"
        << Logs(run);
  }
  ExpectEveryRecordInKeyOrder(run, connectors, kRecords, absl::Seconds(120));
  // Two tasks of one connector at once would have made one of them refuse a commit.
  EXPECT_EQ(Logs(run).find("another task wrote the offset"), std::string::npos) << Logs(run);
  for (size_t i = 0; i < 3; ++i) run.StopWorker(i);
}

// A worker stopped cleanly says farewell once its tasks stopped, and the leader gives its
// connectors away on reading it, without waiting for the group's rebalance (which the others hear
// of only at their next heartbeat, here up to 10 s later): they run on the other worker before
// it hears of the rebalance, and only after the stopped worker's tasks stopped.
TEST(Cluster, ACleanlyStoppedWorkersConnectorsMoveBeforeTheGroupRebalances) {
  ClusterRun run("cluster-farewell",
                 "session.timeout.ms=30000\nheartbeat.interval.ms=10000\n"
                 "scheduled.rebalance.max.delay.ms=0\nlog4j.logger.cluster=DEBUG\n",
                 ClusterRun::Timings::kDefaults);
  run.StartAndJoin(0);
  run.StartAndJoin(1);
  std::vector<std::string> connectors;
  for (int i = 0; i < 2; ++i) {
    connectors.push_back(run.CreateGenerator(0, absl::StrCat("g", i), -1, 10, 100));
  }
  // Each worker runs one connector and its task (so the stopping one has a task to stop).
  ASSERT_TRUE(Eventually(
      [&] {
        return SpreadEvenly(run, connectors, All(run), 1) && run.TasksOn(0).size() == 1 &&
               run.TasksOn(1).size() == 1;
      },
      absl::Seconds(60), absl::Milliseconds(200)))
      << Logs(run);
  const std::set<std::string> moved = run.RunningOn(1);
  ASSERT_EQ(moved.size(), 1u);
  const std::string& connector = *moved.begin();
  const absl::Time at = absl::Now();
  run.StopWorker(1);
  ASSERT_TRUE(Eventually([&] { return run.OwnerOf(connector, {0}) == 0; }, absl::Seconds(30),
                         absl::Milliseconds(100)))
      << Logs(run);
  const std::optional<absl::Time> stopped =
      run.FirstLogLine({1}, {absl::StrCat(connector, "-0 stopped after sending")}, at);
  const std::optional<absl::Time> farewell = run.FirstLogLine({1}, {"farewell written"}, at);
  const std::optional<absl::Time> runs =
      run.FirstLogLine({0}, {absl::StrCat(" herder connector ", connector, " runs here")}, at);
  const std::optional<absl::Time> rebalance = run.FirstLogLine({0}, {"rebalance under way"}, at);
  ASSERT_TRUE(stopped && farewell && runs) << Logs(run);
  EXPECT_LE(*stopped, *farewell) << Logs(run);
  EXPECT_LE(*farewell, *runs) << Logs(run);
  EXPECT_TRUE(!rebalance || *runs < *rebalance) << Logs(run);
  run.StopWorker(0);
}

// A connector's stop asked of the leader answers once its task stopped on its worker, and a
// worker's clean stop (SIGTERM) returns as soon as its work is handed over and its farewell
// written, leader or not. The bounds are generous for a loaded machine; on loopback each takes
// well under a second. Nothing is lost: the connectors the stopped workers ran run on the one
// left, which leads now and serves their status.
TEST(Cluster, ALeadersCleanStopReturnsPromptlyAndItsWorkRunsOnTheOthers) {
  ClusterRun run("cluster-leader-stop");
  StartThree(run);
  std::vector<std::string> connectors;
  for (int i = 0; i < 3; ++i) {
    connectors.push_back(run.CreateGenerator(i % 3, absl::StrCat("g", i), -1, 10, 100));
  }
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, All(run), 1); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  // Whichever worker leads (the group's first member to join, usually worker 0, not always on a
  // loaded machine), the other two are the followers: the first one stopped, the second kept.
  const int leader_index = run.LeaderOf(1);
  ASSERT_TRUE(leader_index >= 0 && leader_index < 3) << leader_index << "\n" << Logs(run);
  const size_t leading = static_cast<size_t>(leader_index);
  const size_t follower_stopped = (leading + 1) % 3;
  const size_t kept = (leading + 2) % 3;
  // The leader's connector stop waits until the task stopped on its worker (docs/cluster.md,
  // "stop"): bounded by what a task's stop may take (~11 s by default), it takes what the stop
  // needs, here a follower's task flushing and acknowledging.
  const std::string stopped = *run.RunningOn(follower_stopped).begin();
  absl::Time at = absl::Now();
  const ClusterRun::RestAnswer stop =
      run.Rest(leading, "PUT", absl::StrCat("/connectors/", stopped, "/stop"));
  const absl::Duration connector_stop = absl::Now() - at;
  EXPECT_EQ(stop.status, 204) << stop.body;
  // Under 8 s: short of the ~11 s bound, which only a task that does not stop reaches (0.1 s
  // idle; 5.9 s was seen at a load average of 33 on two cores).
  EXPECT_LT(connector_stop, absl::Seconds(8)) << Logs(run);
  EXPECT_TRUE(run.TasksOn(follower_stopped).empty())
      << "the stop answered before the task stopped\n"
      << Logs(run);
  const ClusterRun::RestAnswer resume =
      run.Rest(leading, "PUT", absl::StrCat("/connectors/", stopped, "/resume"));
  EXPECT_EQ(resume.status, 202) << resume.body;
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, All(run), 1); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  at = absl::Now();
  run.StopWorker(follower_stopped);
  const absl::Duration follower = absl::Now() - at;
  at = absl::Now();
  run.StopWorker(leading);
  const absl::Duration leader = absl::Now() - at;
  std::cout << "connector stop through the leader " << connector_stop << "; worker clean stop: "
            << "follower " << follower << ", leader " << leader << "\n";
  // 0.16-0.26 s each at a load average of 4-5; 2.4 s and 2.9 s at 33.
  EXPECT_LT(follower, absl::Seconds(5)) << Logs(run);
  EXPECT_LT(leader, absl::Seconds(5)) << Logs(run);
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, {kept}, 3); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  EXPECT_TRUE(Eventually([&] { return run.LeaderOf(kept) == static_cast<int>(kept); },
                         absl::Seconds(30), absl::Milliseconds(500)))
      << Logs(run);
  for (const std::string& c : connectors) {
    EXPECT_TRUE(Eventually(
        [&] {
          const ClusterRun::RestAnswer answer =
              run.Rest(kept, "GET", absl::StrCat("/connectors/", c, "/status"));
          return answer.status == 200 && absl::StrContains(answer.body, run.WorkerId(kept)) &&
                 absl::StrContains(answer.body, "RUNNING");
        },
        absl::Seconds(30), absl::Milliseconds(200)))
        << c << "\n"
        << Logs(run);
  }
  run.StopWorker(kept);
}

// A new leader acts only on everything the previous ones wrote (leader_catch_up.h): while its
// read of the config topic to its end fails (a failpoint fails the first 40 reads), it starts
// nothing, answers a write 409 (retry) and logs the failure; the first read that succeeds
// starts the connector the topic holds.
TEST(Cluster, ALeaderWhoseConfigReadFailsStartsNothingUntilARetrySucceeds) {
  ClusterRun run("cluster-catch-up");
  run.StartAndJoin(0);
  const std::string connector = run.CreateGenerator(0, "g", -1, 10, 50);
  ASSERT_TRUE(Eventually([&] { return run.RunningOn(0).count(connector) == 1; }, absl::Seconds(30),
                         absl::Milliseconds(200)))
      << Logs(run);
  run.StopWorker(0);
  const absl::Time at = absl::Now();
  run.StartAndJoin(0, "", "", "cluster.leader_catch_up.read=fail:40");
  ASSERT_TRUE(Eventually(
      [&] {
        return run.FirstLogLine({0}, {"new leader reading the config topic to its end: "}, at)
            .has_value();
      },
      absl::Seconds(30), absl::Milliseconds(100)))
      << Logs(run);
  EXPECT_TRUE(absl::StrContains(run.log(0), "failpoint cluster.leader_catch_up.read")) << Logs(run);
  // A leader's write (a connector's new config) is refused: 409, retry.
  const ClusterRun::RestAnswer refused =
      run.Rest(0, "PUT", absl::StrCat("/connectors/", connector, "-other/config"),
               absl::StrCat(R"({"connector.class":"generator","tasks.max":"1","topic":")",
                            run.topic(connector), R"(","max.records":"1"})"));
  EXPECT_EQ(refused.status, 409) << refused.body;  // Kafka Connect's body; the log says why
  ASSERT_TRUE(Eventually([&] { return run.RunningOn(0).count(connector) == 1; }, absl::Seconds(60),
                         absl::Milliseconds(200)))
      << Logs(run);
  const std::optional<absl::Time> recovered = run.FirstLogLine(
      {0}, {"new leader read the config topic to its end after 40 failed attempt(s)"}, at);
  const std::optional<absl::Time> runs =
      run.FirstLogLine({0}, {absl::StrCat(" herder connector ", connector, " runs here")}, at);
  ASSERT_TRUE(recovered && runs) << Logs(run);
  EXPECT_LE(*recovered, *runs) << "the connector started before the leader's read succeeded\n"
                               << Logs(run);
  run.StopWorker(0);
}

TEST(Cluster, AWorkerWithoutTheConnectorsPluginIsNotGivenIt) {
  ClusterRun run("cluster-plugin");
  const std::string empty = absl::StrCat(BinaryDir(),
                                         "/tests/integration/cluster/no-plugins");
  mkdir(empty.c_str(), 0755);
  // No plugins at all. The leader checks every connector config against its own plugins, as
  // Kafka Connect's does, so this one must not lead: its id ("localhost:<port>") sorts after the
  // others' ("127.0.0.1:<port>"), and the group's first member by id leads.
  run.StartAndJoin(0, empty, "rest.advertised.host.name=localhost\n");
  run.StartAndJoin(1);
  run.StartAndJoin(2);
  std::vector<std::string> connectors;
  for (int i = 0; i < 4; ++i) {
    // Asked of the worker without the plugin too: it forwards the create to the leader.
    connectors.push_back(run.CreateGenerator(i % 3, absl::StrCat("g", i), -1, 10, 50));
  }
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, connectors, {1, 2}, 2); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  absl::SleepFor(absl::Seconds(2));
  EXPECT_TRUE(run.RunningOn(0).empty()) << run.log(0);
  for (size_t i = 0; i < 3; ++i) run.StopWorker(i);
}

// The connector's and its tasks' states and workers as worker `via`'s REST API answers them
// ("" when it does not answer 200): "RUNNING@id task0=RUNNING@id".
std::string StatusVia(const ClusterRun& run, size_t via, const std::string& connector) {
  const ClusterRun::RestAnswer answer =
      run.Rest(via, "GET", absl::StrCat("/connectors/", connector, "/status"));
  if (answer.status != 200) return "";
  rapidjson::Document doc;
  doc.Parse(answer.body.c_str());
  if (!doc.IsObject() || !doc.HasMember("connector") || !doc.HasMember("tasks")) return "";
  std::string out = absl::StrCat(doc["connector"]["state"].GetString(), "@",
                                 doc["connector"]["worker_id"].GetString());
  for (const auto& task : doc["tasks"].GetArray()) {
    absl::StrAppend(&out, " task", task["id"].GetInt(), "=", task["state"].GetString(), "@",
                    task["worker_id"].GetString());
  }
  return out;
}

TEST(Cluster, AdminCallsOnAFollowerActAsOnTheOwner) {
  ClusterRun run("cluster-admin");
  StartThree(run);
  const std::string c = run.CreateGenerator(0, "g0", -1, 10, 100);
  const int leader = run.LeaderOf();
  ASSERT_GE(leader, 0) << Logs(run);
  int owner = -1;
  ASSERT_TRUE(Eventually([&] { return (owner = run.OwnerOf(c, All(run))) >= 0; },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  // Asked from here on: a worker that neither leads nor runs it (or, when the leader runs it,
  // one of the two others).
  size_t f = 0;
  while (static_cast<int>(f) == leader || static_cast<int>(f) == owner) ++f;
  const std::string on_owner = absl::StrCat("@", run.WorkerId(owner));
  auto state_is = [&](const std::string& connector_state, const std::string& task_state) {
    return Eventually(
        [&] {
          return StatusVia(run, f, c) ==
                 absl::StrCat(connector_state, on_owner, task_state.empty() ? "" : " task0=",
                              task_state, task_state.empty() ? "" : on_owner);
        },
        absl::Seconds(30), absl::Milliseconds(200));
  };
  // Statuses come from the status topic: the follower names the owner by its REST address.
  ASSERT_TRUE(state_is("RUNNING", "RUNNING")) << StatusVia(run, f, c) << "\n" << Logs(run);

  ClusterRun::CliAnswer answer = run.Cli(f, {"connectors", "pause", c});
  ASSERT_EQ(answer.code, 0) << answer.output;
  EXPECT_TRUE(state_is("PAUSED", "PAUSED")) << StatusVia(run, f, c);
  answer = run.Cli(f, {"connectors", "resume", c});
  ASSERT_EQ(answer.code, 0) << answer.output;
  EXPECT_TRUE(state_is("RUNNING", "RUNNING")) << StatusVia(run, f, c);

  // Restarts are carried to the owner by the config topic, through either API.
  answer = run.Cli(f, {"connectors", "restart", c});
  ASSERT_EQ(answer.code, 0) << answer.output;
  EXPECT_TRUE(Eventually(
      [&] {
        return run.log(owner).find(absl::StrCat("restarting connector ", c)) != std::string::npos;
      },
      absl::Seconds(30), absl::Milliseconds(200)))
      << run.log(owner);
  answer = run.Cli(f, {"connectors", "restart", c, "--task", "0"});
  ASSERT_EQ(answer.code, 0) << answer.output;
  EXPECT_TRUE(Eventually(
      [&] {
        return run.log(owner).find(absl::StrCat("restarting task ", c, "-0")) != std::string::npos;
      },
      absl::Seconds(30), absl::Milliseconds(200)))
      << run.log(owner);
  const ClusterRun::RestAnswer rest_restart =
      run.Rest(f, "POST", absl::StrCat("/connectors/", c, "/restart?includeTasks=true"));
  EXPECT_LT(rest_restart.status, 300) << rest_restart.body;
  EXPECT_TRUE(state_is("RUNNING", "RUNNING")) << StatusVia(run, f, c);

  // Offsets: stopped and altered through the follower, honoured by the owner when it resumes.
  // The stop answers once the task stopped on its worker, so the change succeeds first time.
  const ClusterRun::RestAnswer stop = run.Rest(f, "PUT", absl::StrCat("/connectors/", c, "/stop"));
  ASSERT_EQ(stop.status, 204) << stop.body;
  const ClusterRun::RestAnswer altered =
      run.Rest(f, "PATCH", absl::StrCat("/connectors/", c, "/offsets"),
               absl::StrCat(R"({"offsets":[{"partition":{"generator":")", run.topic(c),
                            R"(","task":0},"offset":{"seq":500000}}]})"));
  ASSERT_EQ(altered.status, 200) << altered.body << "\n" << Logs(run);
  EXPECT_TRUE(state_is("STOPPED", "")) << StatusVia(run, f, c);
  answer = run.Cli(f, {"connectors", "offsets", "get", c});
  EXPECT_EQ(answer.code, 0) << answer.output;
  EXPECT_NE(answer.output.find("seq"), std::string::npos) << answer.output;
  const ClusterRun::RestAnswer offsets =
      run.Rest(f, "GET", absl::StrCat("/connectors/", c, "/offsets"));
  EXPECT_NE(offsets.body.find(R"("seq":500000)"), std::string::npos) << offsets.body;
  answer = run.Cli(f, {"connectors", "resume", c});
  ASSERT_EQ(answer.code, 0) << answer.output;
  EXPECT_TRUE(Eventually(
      [&] {
        const std::vector<int64_t> seqs = run.CommittedSeqs(c);
        return !seqs.empty() && seqs.back() > 500000;
      },
      absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);

  answer = run.Cli(f, {"connectors", "delete", c});
  ASSERT_EQ(answer.code, 0) << answer.output;
  EXPECT_TRUE(Eventually([&] { return run.OwnerOf(c, All(run)) == -1; }, absl::Seconds(30),
                         absl::Milliseconds(200)))
      << Logs(run);
  for (size_t i = 0; i < run.size(); ++i) {
    EXPECT_TRUE(Eventually(
        [&] { return run.Rest(i, "GET", absl::StrCat("/connectors/", c)).status == 404; },
        absl::Seconds(10), absl::Milliseconds(200)))
        << "worker " << i;
  }
  EXPECT_EQ(Logs(run).find("another task wrote the offset"), std::string::npos) << Logs(run);
  for (size_t i = 0; i < 3; ++i) run.StopWorker(i);
}

// The epoch and leader of every `sluice-assignment` record a read_committed consumer sees in the
// config topic, in order: "epoch@leader".
std::vector<std::pair<int64_t, std::string>> CommittedAssignments(const ClusterRun& run) {
  std::vector<std::pair<int64_t, std::string>> out;
  absl::StatusOr<std::vector<ConsumedRecord>> consumed =
      ReadWholeTopic(KafkaBootstrap(), run.config_topic());
  if (!consumed.ok()) return out;
  for (const ConsumedRecord& record : *consumed) {
    if (record.key != "sluice-assignment" || !record.value) continue;
    rapidjson::Document doc;
    doc.Parse(record.value->c_str());
    if (doc.IsObject() && doc.HasMember("epoch") && doc.HasMember("leader")) {
      out.emplace_back(doc["epoch"].GetInt64(), doc["leader"].GetString());
    }
  }
  return out;
}

// A leader frozen in the middle of writing an assignment (its records in the log, the
// transaction not committed: the failpoint stops the process there), replaced by a new leader,
// then woken: its commit is fenced, no read_committed reader ever sees its stale assignment,
// epochs only go forward, and no connector runs on two workers.
std::string CreateBody(const ClusterRun& run, const std::string& name);

TEST(Cluster, AZombieLeaderWokenMidWriteChangesNothing) {
  ClusterRun run("cluster-zombie-leader");
  // Worker 0's fourth assignment write freezes it: the first names it leader (no work), the
  // second gives g0's instance, the third g0's task (once its instance committed the task
  // configs), the fourth g1's instance.
  run.StartAndJoin(0, "", "", "cluster.assignment.before_commit=stop@4");
  run.StartAndJoin(1);
  const std::string g0 = run.CreateGenerator(1, "g0", -1, 10, 100);
  ASSERT_TRUE(Eventually(
      [&] {
        return run.OwnerOf(g0, All(run)) >= 0 &&
               run.TaskOwnerOf(absl::StrCat(g0, "-0"), All(run)) >= 0;
      },
      absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  ASSERT_EQ(CommittedAssignments(run).size(), 3u) << Logs(run);
  for (const auto& [epoch, leader] : CommittedAssignments(run)) {
    ASSERT_EQ(leader, run.WorkerId(0)) << epoch << "\n" << Logs(run);
  }
  // Forwarded to worker 0, whose answer may wait behind the write it freezes in: asked aside.
  const std::string g1 = absl::StrCat(g0.substr(0, g0.size() - 3), "-g1");
  std::thread create_g1([&] { (void)run.Rest(1, "POST", "/connectors", CreateBody(run, g1)); });
  absl::Cleanup join_create_g1 = [&] { create_g1.join(); };  // before `run` goes, on every path
  ASSERT_TRUE(Eventually(
      [&] { return run.log(0).find("failpoint cluster.assignment.before_commit fired") !=
                   std::string::npos; },
      absl::Seconds(30), absl::Milliseconds(100)))
      << Logs(run);
  // Worker 1 leads once worker 0's session expired, fences worker 0's writer and runs both.
  ASSERT_TRUE(Eventually([&] { return run.RunningOn(1).size() == 2; },
                         kSession + absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  const std::vector<std::pair<int64_t, std::string>> before_wake = CommittedAssignments(run);
  ASSERT_GE(before_wake.size(), 2u) << Logs(run);
  EXPECT_EQ(before_wake.back().second, run.WorkerId(1)) << Logs(run);
  const std::set<std::string> frozen = run.RunningOn(0);  // by its log: what it ran when frozen
  run.worker(0).Signal(SIGCONT);
  // Awake, worker 0 commits the assignment it was writing: refused.
  ASSERT_TRUE(Eventually(
      [&] {
        const std::string text = run.log(0);
        return text.find("publishing the assignment: ") != std::string::npos &&
               text.find("fenced") != std::string::npos;
      },
      absl::Seconds(30), absl::Milliseconds(100)))
      << Logs(run);
  // It stops what it ran (its lease ended while it was frozen)...
  ASSERT_TRUE(Eventually(
      [&] {
        const std::string text = run.log(0);
        const std::string woken = text.substr(text.find("failpoint cluster.assignment"));
        for (const std::string& c : frozen) {
          if (woken.find(absl::StrCat("connector ", c, " no longer runs here")) ==
              std::string::npos) {
            return false;
          }
        }
        return true;
      },
      absl::Seconds(30), absl::Milliseconds(100)))
      << Logs(run);
  // ...and from then on no connector runs on both workers.
  const absl::Time until = absl::Now() + absl::Seconds(3);
  while (absl::Now() < until) {
    for (const std::string& c : run.RunningOn(0)) {
      EXPECT_FALSE(run.RunningOn(1).contains(c)) << c << "\n" << Logs(run);
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  // Worker 0 rejoins (and leads again, with a new writer): the connectors spread again.
  ASSERT_TRUE(Eventually([&] { return SpreadEvenly(run, {g0, g1}, All(run), 1); },
                         absl::Seconds(40), absl::Milliseconds(200)))
      << Logs(run);
  // What every worker read: each epoch once, in order, the stale write nowhere.
  const std::vector<std::pair<int64_t, std::string>> assignments = CommittedAssignments(run);
  std::string listed;
  for (const auto& [epoch, leader] : assignments) absl::StrAppend(&listed, epoch, "@", leader, " ");
  for (size_t i = 1; i < assignments.size(); ++i) {
    EXPECT_GT(assignments[i].first, assignments[i - 1].first) << listed;
  }
  for (size_t i = 0; i < before_wake.size(); ++i) {
    ASSERT_LT(i, assignments.size());
    EXPECT_EQ(assignments[i], before_wake[i]) << listed;
  }
  ExpectCommitsNeverWentBack(run, {g0, g1});
  EXPECT_EQ(Logs(run).find("another task wrote the offset"), std::string::npos) << Logs(run);
  run.StopWorker(0);
  run.StopWorker(1);
}

// The part of worker `i`'s log from byte `from` on.
std::string LogSince(const ClusterRun& run, size_t i, size_t from) {
  const std::string text = run.log(i);
  return from < text.size() ? text.substr(from) : std::string();
}

// Exactly-once (KIP-618's zombie fencing): three tasks spread one per worker (task 0 beside the
// instance), a follower running a task the new generation drops frozen, tasks.max lowered to 1
// meanwhile. The leader, which writes the new task configs, fences ids 0-2 while the zombie
// sleeps and records the round right after them; the new generation's task 0 starts only after
// that; the zombie, woken, has its task's next commit fenced, and a read_committed consumer sees
// each record once. The frozen worker is a follower: the leader answers the PUT, writes the task
// configs and publishes the assignments, and a frozen one would hold all three.
TEST(Cluster, ExactlyOnceALowerTasksMaxFencesTheDroppedTasksZombieFirst) {
  ClusterRun run("cluster-eos-zombie", "exactly.once.source.support=enabled\n");
  StartThree(run);
  const int leader = run.LeaderOf();
  ASSERT_GE(leader, 0) << Logs(run);
  std::map<std::string, std::string> config = {{"connector.class", "generator"},
                                               {"tasks.max", "3"},
                                               {"max.records", "-1"},
                                               {"key.cardinality", "12"},
                                               {"rate.per.sec", "300"},
                                               {"batch.size", "20"}};
  const std::string prefix = run.config_topic().substr(0, run.config_topic().size() - 8);
  config["topic"] = run.topic(prefix + "-g");  // CreateConnector's name: the prefix, then "-g"
  const std::string name = run.CreateConnector(static_cast<size_t>(leader), "g", config);
  ASSERT_EQ(run.topic(name), config["topic"]);
  ASSERT_TRUE(Eventually(
      [&] {
        for (int t = 0; t < 3; ++t) {
          if (run.CommittedSeqs(name, "", t).size() <= 3) return false;
        }
        return run.OwnerOf(name, All(run)) >= 0;
      },
      absl::Seconds(60), absl::Milliseconds(200)))
      << Logs(run);
  // The worker to freeze runs task 1 or 2 (dropped by tasks.max=1), neither the instance nor
  // task 0 (kept), and does not lead; with one unit of each kind per worker there is one.
  const int instance = run.OwnerOf(name, All(run));
  const int task0 = run.TaskOwnerOf(absl::StrCat(name, "-0"), All(run));
  int zombie = -1;
  int dropped = -1;
  for (int t = 1; t < 3 && zombie < 0; ++t) {
    const int owner = run.TaskOwnerOf(absl::StrCat(name, "-", t), All(run));
    if (owner >= 0 && owner != leader && owner != instance && owner != task0) {
      zombie = owner;
      dropped = t;
    }
  }
  ASSERT_GE(zombie, 0) << "no follower runs only a dropped task: leader " << leader
                       << ", instance " << instance << ", task 0 " << task0 << "\n"
                       << Logs(run);
  ASSERT_GE(instance, 0);
  const size_t frozen = static_cast<size_t>(zombie);
  const size_t fencer = static_cast<size_t>(leader);  // writes the task configs, runs the round
  const size_t runner = static_cast<size_t>(instance);  // runs the kept task 0
  const std::string dropped_task = absl::StrCat(name, "-", dropped);
  const size_t mark = run.log(fencer).size();
  const size_t runner_mark = run.log(runner).size();
  run.worker(frozen).Signal(SIGSTOP);
  absl::Cleanup wake = [&] { run.worker(frozen).Signal(SIGCONT); };  // on every path
  config["tasks.max"] = "1";
  std::string body = "{";
  for (const auto& [key, value] : config) {
    absl::StrAppend(&body, body.size() > 1 ? "," : "", "\"", key, "\":\"", value, "\"");
  }
  body += "}";
  ClusterRun::RestAnswer put;
  ASSERT_TRUE(Eventually(
      [&] {
        put = run.Rest(static_cast<size_t>(leader), "PUT",
                       absl::StrCat("/connectors/", name, "/config"), body);
        return put.status == 200;
      },
      absl::Seconds(30), absl::Milliseconds(500)))
      << put.status << " " << put.body;
  // The round covers every id of the previous generation, the frozen zombie's among them.
  const std::string round = absl::StrCat("connector ", name, ": zombie fencing round over task ids 0-2");
  ASSERT_TRUE(Eventually(
      [&] { return LogSince(run, fencer, mark).find(round) != std::string::npos; },
      absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  // In the config topic the round's record is the connector's next record after the new
  // generation's commit: one writer, in order.
  const std::string commit_key = absl::StrCat("commit-", name);
  const std::string fencing_key = absl::StrCat("tasks-fencing-", name);
  ASSERT_TRUE(Eventually(
      [&] {
        const std::vector<std::pair<std::string, std::string>> records = run.ConfigTopicRecords();
        bool committed = false;
        for (const auto& [key, value] : records) {
          if (key == commit_key && value == R"({"tasks":1})") {
            committed = true;
          } else if (committed && absl::StrContains(key, name)) {
            return key == fencing_key && value == R"({"task-count":1})";
          }
        }
        return false;
      },
      absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  // The new generation's task 0 (kept beside the instance) was stopped for its new config and
  // started again (once the round's record was read: AwaitsZombieFencing).
  const std::string task0_started = absl::StrCat("task ", name, "-0 runs here from epoch");
  const std::string task0_stopped = absl::StrCat("task ", name, "-0 no longer runs here");
  ASSERT_TRUE(Eventually(
      [&] {
        const std::string text = LogSince(run, runner, runner_mark);
        const size_t stopped = text.find(task0_stopped);
        return stopped != std::string::npos &&
               text.find(task0_started, stopped) != std::string::npos;
      },
      absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  EXPECT_EQ(run.TaskOwnerOf(absl::StrCat(name, "-0"), All(run)), instance) << Logs(run);
  // What the dropped task committed before it froze; woken, it must add nothing.
  const size_t dropped_commits = run.CommittedSeqs(name, "", dropped).size();
  std::move(wake).Invoke();
  // Woken, its dropped task's next commit is refused: its id was fenced by the round alone.
  EXPECT_TRUE(Eventually(
      [&] {
        return run.log(frozen).find(absl::StrCat(dropped_task, "` took over")) !=
               std::string::npos;
      },
      absl::Seconds(30), absl::Milliseconds(200)))
      << run.log(frozen);
  ASSERT_TRUE(Eventually([&] { return !run.TasksOn(frozen).contains(dropped_task); },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(run.CommittedSeqs(name, "", dropped).size(), dropped_commits) << Logs(run);
  // Task 0 goes on; every record once.
  const size_t task0_commits = run.CommittedSeqs(name, "", 0).size();
  ASSERT_TRUE(Eventually([&] { return run.CommittedSeqs(name, "", 0).size() > task0_commits + 3; },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  absl::StatusOr<std::vector<ConsumedRecord>> consumed =
      ReadWholeTopic(KafkaBootstrap(), run.topic(name));
  ASSERT_TRUE(consumed.ok()) << consumed.status();
  // A record is its task's seq (a task's seqs count on across its restarts, its keys do not).
  std::set<std::pair<int, int64_t>> seen;
  int duplicates = 0;
  for (const ConsumedRecord& record : *consumed) {
    rapidjson::Document value;
    if (!record.value) continue;
    value.Parse(record.value->c_str());
    if (!value.IsObject() || !value.HasMember("seq") || !value.HasMember("task")) continue;
    if (!seen.emplace(value["task"].GetInt(), value["seq"].GetInt64()).second) ++duplicates;
  }
  EXPECT_GT(seen.size(), 0u);
  EXPECT_EQ(duplicates, 0) << "records seen twice by a read_committed consumer";
  for (size_t i = 0; i < run.size(); ++i) run.StopWorker(i);
}

// Kafka Connect's leader is the config topic's one writer, task configs included: a follower
// running a connector's instance sends the task configs it generates to the leader, which writes
// each set once; a stop empties them with the leader's write and answers once the tasks stopped,
// so a reset of the offsets that follows succeeds first time.
TEST(Cluster, AFollowersConnectorSendsItsTaskConfigsToTheLeaderWhichWritesThemOnce) {
  ClusterRun run("cluster-task-configs");
  StartThree(run);
  const int leader = run.LeaderOf();
  ASSERT_GE(leader, 0) << Logs(run);
  // Three connectors spread one per worker: one runs its instance on a follower.
  std::vector<std::string> connectors;
  for (int i = 0; i < 3; ++i) {
    connectors.push_back(run.CreateGenerator(0, absl::StrCat("t", i), -1, 10, 50));
  }
  std::string c;
  int owner = -1;
  ASSERT_TRUE(Eventually(
      [&] {
        for (const std::string& name : connectors) {
          const int at = run.OwnerOf(name, All(run));
          if (at >= 0 && at != leader) {
            c = name;
            owner = at;
            return true;
          }
        }
        return false;
      },
      absl::Seconds(30), absl::Milliseconds(200)))
      << Logs(run);
  auto count = [&](const std::string& key, const std::string& value) {
    int n = 0;
    for (const auto& [k, v] : run.ConfigTopicRecords()) n += k == key && (value.empty() || v == value);
    return n;
  };
  const std::string commit_key = absl::StrCat("commit-", c);
  ASSERT_TRUE(Eventually([&] { return count(commit_key, R"({"tasks":1})") >= 1; },
                         absl::Seconds(30), absl::Milliseconds(300)))
      << Logs(run);

  const ClusterRun::RestAnswer patched =
      run.Rest(static_cast<size_t>(owner), "PATCH", absl::StrCat("/connectors/", c, "/config"),
               R"({"tasks.max":"3"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  ASSERT_TRUE(Eventually(
      [&] {
        for (int t = 0; t < 3; ++t) {
          if (run.TaskOwnerOf(absl::StrCat(c, "-", t), All(run)) < 0) return false;
        }
        return true;
      },
      absl::Seconds(60), absl::Milliseconds(300)))
      << Logs(run);
  EXPECT_EQ(count(commit_key, R"({"tasks":1})"), 1);
  EXPECT_EQ(count(commit_key, R"({"tasks":3})"), 1);
  EXPECT_EQ(count(absl::StrCat("task-", c, "-2"), ""), 1);
  // The leader wrote them, saying where they were generated; the owner wrote none.
  const std::string wrote = absl::StrCat("writing connector ", c, "'s 3 task config(s), generated "
                                         "on worker ", run.WorkerId(owner));
  EXPECT_NE(run.log(leader).find(wrote), std::string::npos) << run.log(leader);
  EXPECT_EQ(run.log(owner).find(absl::StrCat("writing connector ", c)), std::string::npos);

  // Stop, then reset the offsets once: no retry needed.
  const ClusterRun::RestAnswer stop =
      run.Rest(static_cast<size_t>(owner), "PUT", absl::StrCat("/connectors/", c, "/stop"));
  ASSERT_EQ(stop.status, 204) << stop.body;
  const ClusterRun::RestAnswer reset =
      run.Rest(static_cast<size_t>(owner), "DELETE", absl::StrCat("/connectors/", c, "/offsets"));
  EXPECT_EQ(reset.status, 200) << reset.body << "\n" << Logs(run);
  EXPECT_EQ(count(commit_key, R"({"tasks":0})"), 1);
  EXPECT_EQ(Logs(run).find("another task wrote the offset"), std::string::npos) << Logs(run);
  for (size_t i = 0; i < 3; ++i) run.StopWorker(i);
}

// A generator connector's REST create body.
std::string CreateBody(const ClusterRun& run, const std::string& name) {
  return absl::StrCat(R"({"name":")", name, R"(","config":{"connector.class":"generator",)",
                      R"("tasks.max":"1","topic":")", run.topic(name), R"(","rate.per.sec":"20",)",
                      R"("key.cardinality":"10"}})");
}

// `body` with the name of connector `from` replaced by `to`'s, and a ConnectorInfo's `tasks`
// left out (they are there once the worker that runs it committed them, which varies).
std::string Normalized(std::string body, const std::string& from, const std::string& to) {
  for (size_t at = body.find(from); at != std::string::npos; at = body.find(from, at + to.size())) {
    body.replace(at, from.size(), to);
  }
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("tasks") ||
      !doc.HasMember("config")) {
    return body;
  }
  doc.RemoveMember("tasks");
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  doc.Accept(w);
  return buffer.GetString();
}

// Kafka Connect's leader is the only writer of the config topic: every write asked of a follower
// is forwarded to it, and answered with the status code and body the leader gives the same
// request asked directly.
TEST(Cluster, EveryWriteOnAFollowerAnswersAsOnTheLeader) {
  ClusterRun run("cluster-forward");
  StartThree(run);
  const int leader = run.LeaderOf();
  ASSERT_GE(leader, 0) << Logs(run);
  const size_t follower = leader == 0 ? 1 : 0;
  const std::string on_leader = absl::StrCat("fwd-leader-", absl::ToUnixMillis(absl::Now()));
  const std::string on_follower = absl::StrCat("fwd-follower-", absl::ToUnixMillis(absl::Now()));
  struct Step {
    std::string method;
    std::string path;  // {} stands for the connector's name
    std::string body;
    bool compare_body = true;
  };
  const std::string offsets_body = absl::StrCat(
      R"({"offsets":[{"partition":{"generator":"{topic}","task":0},"offset":{"seq":77}}]})");
  const std::vector<Step> steps = {
      {"POST", "/connectors", "{create}"},
      {"POST", "/connectors", "{create}"},  // 409 Connector ... already exists
      {"PUT", "/connectors/{}/config",
       R"({"connector.class":"generator","tasks.max":"1","topic":"{topic}","rate.per.sec":"30"})"},
      {"PATCH", "/connectors/{}/config", R"({"rate.per.sec":"40","key.cardinality":null})"},
      {"PUT", "/connectors/{}/config", R"({"connector.class":"nope"})"},  // 400
      {"POST", "/connectors/{}/tasks/7/restart", ""},                    // 404
      {"POST", "/connectors/{}/restart", "", false},                     // 204
      {"POST", "/connectors/{}/restart?includeTasks=true", "", false},   // 202, the plan
      {"POST", "/connectors/{}/tasks/0/restart", "", false},             // 204
      {"PATCH", "/connectors/{}/offsets", "{offsets}"},                  // 400: not STOPPED
      {"PUT", "/connectors/{}/stop", ""},                                // 204
      {"POST", "/connectors/{}/restart", ""},                            // 409: STOPPED
      {"PATCH", "/connectors/{}/offsets", "{offsets}"},                  // 200 (after retries)
      {"DELETE", "/connectors/{}/offsets", ""},                          // 200 (after retries)
      {"DELETE", "/connectors/{}", ""},                                  // 204
      {"DELETE", "/connectors/{}", ""},                                  // 404
  };
  auto fill = [&](std::string text, const std::string& name) {
    auto replace = [&](const std::string& what, const std::string& with) {
      for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at)) {
        text.replace(at, what.size(), with);
        at += with.size();
      }
    };
    replace("{create}", CreateBody(run, name));
    replace("{offsets}", offsets_body);
    replace("{topic}", run.topic(name));
    replace("{}", name);
    return text;
  };
  // A write the connector's state makes wait ("retry": its tasks are stopping) is asked again.
  auto ask = [&](size_t via, const Step& step, const std::string& name) {
    ClusterRun::RestAnswer answer;
    Eventually(
        [&] {
          answer = run.Rest(via, step.method, fill(step.path, name), fill(step.body, name));
          return answer.status != 409 ||
                 answer.body.find("Cannot complete request") == std::string::npos;
        },
        absl::Seconds(30), absl::Milliseconds(300));
    return answer;
  };
  for (const Step& step : steps) {
    const ClusterRun::RestAnswer direct = ask(static_cast<size_t>(leader), step, on_leader);
    const ClusterRun::RestAnswer forwarded = ask(follower, step, on_follower);
    const std::string what = absl::StrCat(step.method, " ", step.path);
    EXPECT_EQ(forwarded.status, direct.status)
        << what << "\nleader: " << direct.body << "\nfollower: " << forwarded.body;
    if (step.compare_body) {
      EXPECT_EQ(Normalized(forwarded.body, on_follower, on_leader),
                Normalized(direct.body, on_leader, on_leader))
          << what;
    }
    if (step.path == "/connectors/{}/config" && step.method == "PUT" && direct.status == 200) {
      // The owner applies a new config: wait until both connectors run again before going on.
      absl::SleepFor(absl::Seconds(1));
    }
  }
  for (size_t i = 0; i < 3; ++i) run.StopWorker(i);
}

// Two creates of one name at the same moment on two workers: one succeeds, the others get Kafka
// Connect's 409, as the leader, the only writer, takes them one at a time.
TEST(Cluster, ConcurrentCreatesOfOneNameAcrossWorkersCreateItOnce) {
  ClusterRun run("cluster-race");
  StartThree(run);
  ASSERT_GE(run.LeaderOf(), 0) << Logs(run);
  for (int round = 0; round < 3; ++round) {
    const std::string name = absl::StrCat("race-", round, "-", absl::ToUnixMillis(absl::Now()));
    constexpr int kPerWorker = 4;
    std::vector<ClusterRun::RestAnswer> answers(3 * kPerWorker);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < answers.size(); ++i) {
      threads.emplace_back([&, i] {
        answers[i] = run.Rest(i % 3, "POST", "/connectors", CreateBody(run, name));
      });
    }
    for (std::thread& t : threads) t.join();
    int created = 0;
    for (const ClusterRun::RestAnswer& a : answers) {
      if (a.status == 201) {
        ++created;
        continue;
      }
      EXPECT_EQ(a.status, 409) << a.body;
      EXPECT_EQ(a.body, absl::StrCat(R"({"error_code":409,"message":"Connector )", name,
                                     R"( already exists"})"));
    }
    EXPECT_EQ(created, 1) << "round " << round;
  }
  for (size_t i = 0; i < 3; ++i) run.StopWorker(i);
}

// A request that finds no leader within its hops, or arrives while the leader changes, answers
// 409 with Kafka Connect's words; asked again once the new leader is known, it succeeds.
TEST(Cluster, ARequestDuringALeaderChangeAnswers409AndSucceedsOnRetry) {
  ClusterRun run("cluster-leader-change");
  StartThree(run);
  const int leader = run.LeaderOf();
  ASSERT_GE(leader, 0) << Logs(run);
  std::vector<size_t> followers;
  for (size_t i = 0; i < 3; ++i) {
    if (static_cast<int>(i) != leader) followers.push_back(i);
  }
  // A forwarded request (forward=false: its last hop) that reaches a worker which does not lead.
  const ClusterRun::RestAnswer late =
      run.Rest(followers[0], "POST", "/connectors?forward=false", CreateBody(run, "late"));
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(late.body,
            R"x({"error_code":409,"message":"Cannot complete request because of a conflicting )x"
            R"x(operation (e.g. worker rebalance)"})x");

  // The leader leaves; creates asked of a follower meanwhile answer 409 or succeed, never other.
  // From the moment its REST API is gone, until the new leader names itself.
  run.worker(static_cast<size_t>(leader)).Signal(SIGTERM);
  ASSERT_TRUE(Eventually([&] { return run.Rest(static_cast<size_t>(leader), "GET", "/").status == 0; },
                         absl::Seconds(30), absl::Milliseconds(20)));
  int conflicts = 0;
  bool created = false;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  for (int i = 0; !created && absl::Now() < deadline; ++i) {
    const ClusterRun::RestAnswer a = run.Rest(followers[1], "POST", "/connectors",
                                              CreateBody(run, absl::StrCat("during-change")));
    if (a.status == 201) {
      created = true;
    } else {
      // 409 (a rebalance), or seldom 503 (the worker the request reached is between its REST
      // API's stop and its exit): both say retry.
      ASSERT_TRUE(a.status == 409 || a.status == 503) << a.status << " " << a.body;
      if (a.status == 409) {
        EXPECT_NE(a.body.find("Cannot complete request"), std::string::npos) << a.body;
        ++conflicts;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  EXPECT_TRUE(created) << Logs(run);
  std::printf("creates answered 409 while the leader changed: %d\n", conflicts);
  EXPECT_EQ(run.worker(static_cast<size_t>(leader)).Wait(absl::Seconds(60)), 0);
  for (size_t i : followers) run.StopWorker(i);
}

}  // namespace
}  // namespace sluice::testing
