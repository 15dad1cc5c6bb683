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
#include <vector>

#include "tests/support/subprocess.h"

namespace sluice::testing {

class ClusterRun {
 public:
  // `settings` lines are added to every worker's config.
  explicit ClusterRun(const std::string& name, const std::string& settings = "");

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
  // `extra`: more keys of the connector's config.
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

  // The connectors worker `i` runs now, by its log.
  std::set<std::string> RunningOn(size_t i) const;
  // The worker that runs `connector` by the logs of the live workers; -1 for none.
  int OwnerOf(const std::string& connector, const std::set<size_t>& live) const;

  std::string topic(const std::string& connector) const { return connector + ".records"; }
  std::string config_topic() const { return prefix_ + ".configs"; }
  // Every committed `seq` of the connector's task `task` (its one partition), in the offsets topic's order (the
  // workers' offsets topic, or `offsets_topic`, a connector's own).
  std::vector<int64_t> CommittedSeqs(const std::string& connector,
                                     const std::string& offsets_topic = "", int task = 0) const;
  // Checks the connector's topic against what the generator made: every seq in [0, max) present,
  // and per key, the first occurrences in increasing seq order. Returns the failures.
  std::string CheckNoLossAndKeyOrder(const std::string& connector, int64_t max_records) const;

 private:
  struct Worker {
    std::string config;
    std::string log;
    std::string admin_address;
    int rest_port = 0;
    std::unique_ptr<Subprocess> process;
  };
  std::string prefix_;
  std::string directory_;
  std::string settings_;
  std::vector<Worker> workers_;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_INTEGRATION_CLUSTER_CLUSTER_RUN_H_
