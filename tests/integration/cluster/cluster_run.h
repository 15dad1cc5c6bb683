#ifndef SLUICE_TESTS_INTEGRATION_CLUSTER_CLUSTER_RUN_H_
#define SLUICE_TESTS_INTEGRATION_CLUSTER_CLUSTER_RUN_H_

// A cluster of `sluice worker` processes for one scenario: each worker with its own admin port
// and log, all sharing one group.id and its topics; generator connectors created through the
// CLI; what runs where read from the workers' logs; what the connectors wrote read from Kafka.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "tests/support/subprocess.h"

namespace sluice::testing {

class ClusterRun {
 public:
  // How fast the group notices a worker gone: kFast (session.timeout.ms=6000,
  // heartbeat.interval.ms=1000, scheduled.rebalance.max.delay.ms=0) or Kafka Connect's defaults.
  enum class Timings { kFast, kDefaults };
  // `settings` lines are added to every worker's config.
  explicit ClusterRun(const std::string& name, const std::string& settings = "",
                      Timings timings = Timings::kFast);

  // Starts worker `i` (0-based; a new index adds a worker). `plugin_path` "" = the build's.
  // `settings`: lines added to this worker's config only (on its first start). `failpoints`:
  // SLUICE_FAILPOINTS for this start (runtime/common/failpoint.h). Worker ids sort as the indices
  // do, so of the workers in the group the one with the lowest index leads.
  void StartWorker(size_t i, const std::string& plugin_path = "", const std::string& settings = "",
                   const std::string& failpoints = "");
  // StartWorker, then waits until it joined the group (it serves from then on).
  void StartAndJoin(size_t i, const std::string& plugin_path = "", const std::string& settings = "",
                    const std::string& failpoints = "");
  Subprocess& worker(size_t i) { return *workers_.at(i).process; }
  void StopWorker(size_t i);  // SIGTERM, waits for it to exit 0
  std::string log(size_t i) const;
  size_t size() const { return workers_.size(); }

  // Creates generator connector `name` through worker `via`: `max_records` records over
  // `cardinality` keys at `rate` per second. Returns its full (unique) name.
  // `extra`: more keys of the connector's config, over those (e.g. tasks.max, 1 by default).
  std::string CreateGenerator(size_t via, const std::string& name, int64_t max_records,
                              int64_t cardinality, double rate,
                              const std::map<std::string, std::string>& extra = {});
  // Creates connector `name` (prefixed to be unique) with `config` through worker `via`'s CLI.
  // Returns its full name.
  std::string CreateConnector(size_t via, const std::string& name,
                              const std::map<std::string, std::string>& config);

  // Worker `i`'s id: its REST API's advertised host:port (every worker serves one), which
  // statuses name as worker_id.
  std::string WorkerId(size_t i) const;
  // `sluice --worker <worker i's admin API> <args>`: its exit code and what it printed.
  struct CliAnswer {
    int code = -1;
    std::string output;
  };
  CliAnswer Cli(size_t via, const std::vector<std::string>& args) const;
  // A request to worker `i`'s REST API: the status code (0 when unreachable) and the body.
  struct RestAnswer {
    int status = 0;
    std::string body;
  };
  // Any thread.
  RestAnswer Rest(size_t via, const std::string& method, const std::string& path,
                  const std::string& body = "") const;
  // The leader's index, as `sluice cluster` on worker `via` names it once an assignment is
  // published; -1 when none is within 30 s.
  int LeaderOf(size_t via = 0) const;

  // The connector instances worker `i` runs now, by its log.
  std::set<std::string> RunningOn(size_t i) const;
  // The worker that runs `connector`'s instance by the logs of the live workers; -1 for none,
  // -2 for two.
  int OwnerOf(const std::string& connector, const std::set<size_t>& live) const;
  // The same for tasks, named "<connector>-<task id>".
  std::set<std::string> TasksOn(size_t i) const;
  int TaskOwnerOf(const std::string& task, const std::set<size_t>& live) const;
  // When the first line of `workers`' logs at or after `since` that holds one of `needles` was
  // written (its timestamp); nullopt while there is none.
  std::optional<absl::Time> FirstLogLine(const std::set<size_t>& workers,
                                         const std::vector<std::string>& needles,
                                         absl::Time since) const;

  std::string topic(const std::string& connector) const { return connector + ".records"; }
  std::string config_topic() const { return prefix_ + ".configs"; }
  // The config topic's records, in order: key and value ("" for a tombstone); empty when it
  // cannot be read.
  std::vector<std::pair<std::string, std::string>> ConfigTopicRecords() const;
  // Every committed `seq` of the connector's task `task` (its source partition), in the offsets
  // topic's order (the workers' offsets topic, or `offsets_topic`, a connector's own).
  std::vector<int64_t> CommittedSeqs(const std::string& connector,
                                     const std::string& offsets_topic = "", int task = 0) const;
  // Checks the connector's topic against what the generator's task `task` made: every seq in
  // [0, max) present, and per key, the first occurrences in increasing seq order. Returns the
  // failures.
  std::string CheckNoLossAndKeyOrder(const std::string& connector, int64_t max_records,
                                     int task = 0) const;

 private:
  struct Worker {
    std::string config;
    std::string log;
    std::string admin_address;
    int rest_port = 0;
    std::unique_ptr<Subprocess> process;
  };
  // What worker `i` runs now of one kind (`kind`: "connector" or "task"), by its log.
  std::set<std::string> UnitsOn(size_t i, const std::string& kind) const;
  int UnitOwnerOf(const std::string& unit, const std::string& kind,
                  const std::set<size_t>& live) const;

  std::string prefix_;
  std::string directory_;
  std::string settings_;
  Timings timings_;
  std::vector<Worker> workers_;
};

// Conditions the scenarios wait for (with Eventually):
// every connector runs on exactly one of `live`, and each of them runs `per_worker` connectors;
bool SpreadEvenly(const ClusterRun& run, const std::vector<std::string>& connectors,
                  const std::set<size_t>& live, size_t per_worker);
// every connector's task 0 committed an offset (it produces) in the workers' offsets topic.
bool EachCommitted(const ClusterRun& run, const std::vector<std::string>& connectors);

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_INTEGRATION_CLUSTER_CLUSTER_RUN_H_
