// The worker dies or freezes while it streams (issue 19's fault suite), on MariaDB 10.11's and
// MySQL 9.7's scratch servers: kill -9 at random moments, at the failpoints around the offset
// commit and (exactly-once) inside the transaction commit, inside one large source transaction;
// SIGSTOP while a second worker takes over, then SIGCONT. After each, the checker
// (tests/fault/checker.h) holds every promise.
#include <signal.h>

#include <initializer_list>
#include <iostream>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/fault/fault_run.h"
#include "tests/integration/mysql_connector/server_dialect.h"
#include "tests/support/eventually.h"
#include "tests/support/kafka_reader.h"

namespace sluice::testing {
namespace {

class WorkerFaults : public ::testing::TestWithParam<TestServer> {
 protected:
  void SetUp() override {
    const absl::Status up = CheckServicesReachable(GetParam());
    ASSERT_TRUE(up.ok()) << up;
  }
};

INSTANTIATE_TEST_SUITE_P(Servers, WorkerFaults,
                         ::testing::Values(TestServer::kMariaDbScratch, TestServer::kMySqlScratch),
                         ServerParamName);

// CI: 5 rounds over ~3,000 changes; a soak sets SLUICE_FAULT_ROUNDS and SLUICE_FAULT_CHANGES.
TEST_P(WorkerFaults, KillNineAtRandomMomentsLosesNothing) {
  FaultRun run("kill9", GetParam());
  run.Configure();
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  const int rounds = FaultSize("SLUICE_FAULT_ROUNDS", 5);
  WorkloadThread writer(run.workload(),
                        TransactionsFor(FaultSize("SLUICE_FAULT_CHANGES", 3000)));
  std::mt19937 random(run.workload().seed());
  std::uniform_int_distribution<int> wait_ms(300, 2500);
  for (int round = 0; round < rounds; ++round) {
    absl::SleepFor(absl::Milliseconds(wait_ms(random)));
    run.KillWorker(worker);
    worker = run.StartWorker();
  }
  const absl::Status written = writer.Join();
  ASSERT_TRUE(written.ok()) << written;
  run.FinishAndCheck(worker);
}

// Once the connector streams: for each failpoint in turn, a worker armed to die at its 4th pass,
// fed by the workload until it does, then the offset check (ExpectKilledBy).
void KillAtEachFailpoint(FaultRun& run, std::initializer_list<const char*> failpoints) {
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  run.cdc().StopWorker(worker);
  for (const char* failpoint : failpoints) {
    // A few commits in: the workload goes on until the worker dies, so the commits go on too. A
    // count of writes is not enough: a fast machine wrote them all and the worker caught up
    // before its fourth commit, after which commits with nothing new never reach the write.
    worker = run.StartWorker(absl::StrCat(failpoint, "=kill@4"));
    for (const absl::Time until = absl::Now() + absl::Seconds(100);
         worker->running() && absl::Now() < until;) {
      ASSERT_TRUE(run.workload().Run(20).ok());
      absl::SleepFor(absl::Milliseconds(50));
    }
    run.ExpectKilledBy(worker, failpoint);
  }
}

// The failpoints of runtime/common/failpoint.h: the worker dies with records acknowledged and
// their offsets unwritten (a replay), then with the offsets written and the task not told (no
// replay needed, none harmful).
TEST_P(WorkerFaults, KillAtTheFailpointsAroundTheOffsetCommit) {
  FaultRun run("failpoints", GetParam());
  run.Configure();
  ASSERT_NO_FATAL_FAILURE(
      KillAtEachFailpoint(run, {"offset_commit.before_write", "offset_commit.after_write"}));
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  run.FinishAndCheck(worker);
}

// Exactly-once: the worker dies at the failpoints of the transaction commit, one after another:
// records acknowledged in the open transaction without their offsets, the offsets written in it
// but not committed (both: the transaction is aborted by the next producer's init, the records
// never seen), and the transaction committed with the task not told (nothing to replay). A
// read_committed consumer must see every change exactly once.
TEST_P(WorkerFaults, ExactlyOnceKillAtTheFailpointsInsideTheTransactionCommit) {
  FaultRun run("txnfailpoints", GetParam());
  run.cdc().AddWorkerSettings({{"exactly.once.source.support", "enabled"}});
  run.Configure({{"exactly.once.support", "required"}});
  ASSERT_NO_FATAL_FAILURE(KillAtEachFailpoint(
      run,
      {"transaction.before_offsets", "transaction.before_commit", "transaction.inside_commit"}));
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  CheckOptions exactly_once;
  exactly_once.exactly_once = true;
  run.FinishAndCheck(worker, exactly_once);
}

// One source transaction of 20,000 rows (CI): the worker dies once the committed offset lies
// inside it (its event/row skip counts), and the restart resumes there.
TEST_P(WorkerFaults, KillNineInsideOneLargeSourceTransaction) {
  FaultRun run("bigtxn", GetParam());
  run.Configure();
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  ASSERT_TRUE(run.workload().Run(50).ok());
  ASSERT_TRUE(run.workload().RunLargeTransaction(FaultSize("SLUICE_FAULT_CHANGES", 20000)).ok());
  ASSERT_TRUE(run.workload().Run(50).ok());
  const std::optional<std::string> inside = run.cdc().KillInsideATransaction(worker);
  worker.reset();
  ASSERT_TRUE(inside.has_value() && inside->find("\"event\":") != std::string::npos)
      << "the offset never lay inside the transaction: " << inside.value_or("none");
  worker = run.StartWorker();
  run.FinishAndCheck(worker);
}

// (file, pos, event, row) of every committed offset of the run's connector, in the order written.
std::vector<std::tuple<std::string, int64_t, int64_t, int64_t>> OffsetHistory(CdcRun& cdc) {
  std::vector<std::tuple<std::string, int64_t, int64_t, int64_t>> out;
  absl::StatusOr<std::vector<ConsumedRecord>> read =
      ReadWholeTopic(cdc.bootstrap(), cdc.name() + ".offsets", absl::Seconds(20));
  if (!read.ok()) return out;
  const std::string key = absl::StrCat("[\"", cdc.name(), "\",{\"server\":\"", cdc.prefix(), "\"}]");
  for (const ConsumedRecord& record : *read) {
    if (record.key != key || !record.value.has_value()) continue;
    rapidjson::Document v;
    v.Parse(record.value->c_str());
    if (!v.IsObject() || !v.HasMember("file") || !v.HasMember("pos")) continue;
    auto number = [&](const char* name) -> int64_t {
      return v.HasMember(name) && v[name].IsInt64() ? v[name].GetInt64() : 0;
    };
    out.emplace_back(v["file"].GetString(), number("pos"), number("event"), number("row"));
  }
  return out;
}

// Standalone mode has no session to lose: the frozen worker's stand-in is a second worker started
// on the same connector while the first is stopped (SIGSTOP). When the first resumes (SIGCONT),
// whatever it writes is a replay at-least-once allows (the checker counts it), and no offset it
// commits moves the connector's offset backwards.
TEST_P(WorkerFaults, AFrozenWorkerResumedNeverMovesTheOffsetBackwards) {
  FaultRun run("frozen", GetParam());
  run.Configure();
  std::unique_ptr<Subprocess> first = run.StartStreamingWorker();
  ASSERT_TRUE(run.workload().Run(TransactionsFor(FaultSize("SLUICE_FAULT_CHANGES", 1500))).ok());
  absl::SleepFor(absl::Milliseconds(500));
  first->Signal(SIGSTOP);
  // The second worker: the same configs, the same offsets; its log goes to the same file.
  std::unique_ptr<Subprocess> second = run.StartStreamingWorker();
  ASSERT_TRUE(run.workload().Run(TransactionsFor(FaultSize("SLUICE_FAULT_CHANGES", 1500))).ok());
  run.WaitUntilStreaming(second.get());
  first->Signal(SIGCONT);
  absl::SleepFor(absl::Seconds(5));  // the resumed worker's chance to write what it held
  ASSERT_TRUE(run.workload().Run(50).ok());
  run.ExpectEveryPromiseHeld();
  const auto history = OffsetHistory(run.cdc());
  for (size_t i = 1; i < history.size(); ++i) {
    EXPECT_LE(history[i - 1], history[i]) << "offset " << i << " of " << history.size()
                                          << " moved backwards; log:\n"
                                          << run.cdc().WorkerLog();
  }
  first->Signal(SIGKILL);
  second->Signal(SIGKILL);
}

}  // namespace
}  // namespace sluice::testing
