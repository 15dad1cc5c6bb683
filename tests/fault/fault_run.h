#ifndef SLUICE_TESTS_FAULT_FAULT_RUN_H_
#define SLUICE_TESTS_FAULT_FAULT_RUN_H_

// One fault scenario: a CdcRun (its own database, topics and worker) on a scratch server, the
// Workload writing to its table `t`, the faults the suite injects (the worker, the database, the
// broker), and the checker's verdict as test failures.
//
// Sizes: the CI size is each test's default; SLUICE_FAULT_CHANGES (changes per scenario) and
// SLUICE_FAULT_ROUNDS (kill rounds) override them for a soak (scripts/test --soak).
// SLUICE_FAULT_WORKER_SETTINGS and SLUICE_FAULT_CONNECTOR_SETTINGS ("key=value;key=value") are
// added to every scenario's worker and connector configs, with SLUICE_FAULT_EXACTLY_ONCE=1 the
// checker's exactly-once mode (docs/fault-suite.md).

#include <memory>
#include <optional>
#include <string>

#include "tests/fault/checker.h"
#include "tests/fault/workload.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/subprocess.h"

namespace sluice::testing {

// A number from the environment variable `name`, or `ci_default`.
int FaultSize(const char* name, int ci_default);
// Transactions of the Workload's default shape (1..5 statements) for about `changes` changes.
int TransactionsFor(int changes);

class FaultRun {
 public:
  // `bootstrap`: empty for the shared broker, KafkaScratchBootstrap() for broker faults.
  FaultRun(const std::string& name, TestServer server, const std::string& bootstrap = "",
           WorkloadOptions workload = {});
  ~FaultRun();

  CdcRun& cdc() { return cdc_; }
  Workload& workload() { return *workload_; }
  std::string topic() const { return cdc_.Topic("t"); }

  // Writes the connector config (the common keys, the environment's, then `extra`).
  void Configure(const std::map<std::string, std::string>& extra = {});
  // Starts the worker; `failpoints` is its SLUICE_FAILPOINTS (runtime/common/failpoint.h).
  std::unique_ptr<Subprocess> StartWorker(const std::string& failpoints = "");
  // Writes a row to table `ready` and waits until its change event arrived and the snapshot's
  // end is committed: the task streams.
  void WaitUntilStreaming(Subprocess* worker);
  // StartWorker, then WaitUntilStreaming.
  std::unique_ptr<Subprocess> StartStreamingWorker();
  // The end of a scenario: the worker streams (liveness), the checker holds every promise, and
  // the worker stops cleanly.
  void FinishAndCheck(std::unique_ptr<Subprocess>& worker, const CheckOptions& options = {});
  // SIGKILL, then the offset check: the committed offset is not ahead of the data in the topic.
  void KillWorker(std::unique_ptr<Subprocess>& worker);
  // The worker died by itself (a failpoint): 128+SIGKILL, then the same offset check.
  void ExpectKilledBy(std::unique_ptr<Subprocess>& worker, const std::string& failpoint);
  // The committed offset against the data topic now (after a kill; CheckOffsetNotAhead).
  void ExpectOffsetNotAheadOfData();
  // The checker over the whole topic once the workload is done; failures as test failures.
  void ExpectEveryPromiseHeld(const CheckOptions& options = {});

  // The scratch database server: SIGKILL and start on its data after `down_seconds`, or a clean
  // restart (scripts/services/<server> crash|restart). The admin connection opens again after;
  // the workload's when the caller says (ReconnectWorkload: its writer thread joined first).
  void CrashServer(int down_seconds);
  void RestartServer();
  void ReconnectWorkload();
  // The broker at `bootstrap` (scripts/services/kafka restart|clean-restart DOWN_SECONDS).
  void CrashBroker(int down_seconds);
  void RestartBrokerCleanly(int down_seconds);

  // Where the scenario keeps its files (worker log, ground-truth log).
  std::string Path(const std::string& file) const;

 private:
  int Service(const std::string& command);

  CdcRun cdc_;
  std::unique_ptr<Workload> workload_;
  int ready_ = 0;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_FAULT_FAULT_RUN_H_
