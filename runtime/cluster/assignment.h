// Which worker runs which connector and which task: the record the leader publishes in the
// config topic (`sluice-assignment`), and the pure function that computes the next one.
//
// The unit of work is a connector's instance or one of its tasks (Kafka Connect's incremental
// cooperative assignor assigns them separately too): a connector with tasks.max=6 on three workers
// runs two tasks on each, and its instance on one of them.
//
// The rules (docs/cluster.md says why): a unit stays with its owner while the owner is a member
// and has the connector's plugin (sticky); an owner that left the group keeps its units reserved
// (`lost`) for `scheduled.rebalance.max.delay.ms`; free units go to the least loaded member with
// the plugin, connectors and tasks counted apart (a task preferring, among the least loaded, the
// member that runs its connector); balancing moves a unit in two phases, first revoked
// (`pending`, run by nobody), then given to its new owner once the old owner acknowledged an
// epoch at or after the revocation, or left. So no unit is ever given to a second worker while
// the first may still run it.
//
// Threads: plain values and a pure function; no state.
#ifndef SLUICE_RUNTIME_CLUSTER_ASSIGNMENT_H_
#define SLUICE_RUNTIME_CLUSTER_ASSIGNMENT_H_

#include <compare>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace sluice::cluster {

// A connector's instance (`task` == kConnectorInstance) or its task `task`.
struct WorkUnit {
  static constexpr int kConnectorInstance = -1;
  std::string connector;
  int task = kConnectorInstance;

  static WorkUnit Connector(std::string name) { return {std::move(name), kConnectorInstance}; }
  static WorkUnit Task(std::string name, int task) { return {std::move(name), task}; }
  bool is_task() const { return task != kConnectorInstance; }
  // "name", or "name-i" for a task (Kafka Connect's ConnectorTaskId), for logs and the CLI.
  std::string Name() const;
  // A connector sorts before its tasks, and its tasks by id.
  auto operator<=>(const WorkUnit&) const = default;
  bool operator==(const WorkUnit&) const = default;
};

// A unit revoked from `from` at epoch `since`, on its way to `to` ("" = whoever can take it).
struct PendingMove {
  std::string from;
  std::string to;
  int64_t since = 0;
  bool operator==(const PendingMove&) const = default;
};

// A unit whose owner left the group, reserved for it since `since_ms` (Unix ms).
struct LostUnit {
  std::string owner;
  int64_t since_ms = 0;
  bool operator==(const LostUnit&) const = default;
};

struct Assignment {
  int64_t epoch = 0;  // 0: none published yet
  std::string leader;
  std::map<WorkUnit, std::string> owners;  // unit -> worker id
  std::map<WorkUnit, PendingMove> pending;
  std::map<WorkUnit, LostUnit> lost;

  // The connector instances `worker` runs in this assignment, sorted.
  std::vector<std::string> ConnectorsOf(const std::string& worker) const;
  // The tasks `worker` runs in this assignment, sorted.
  std::vector<WorkUnit> TasksOf(const std::string& worker) const;
  // The worker that runs `unit`; "" while it moves, is held for a lost worker, or is unassigned.
  std::string OwnerOf(const WorkUnit& unit) const;
  // Whether both give the same work (epoch and leader aside).
  bool SameWork(const Assignment& other) const {
    return owners == other.owners && pending == other.pending && lost == other.lost;
  }
};

// The `sluice-assignment` value, compact JSON (docs/cluster.md shows it).
std::string EncodeAssignment(const Assignment& assignment);
absl::StatusOr<Assignment> DecodeAssignment(absl::string_view json);

// A connector as the config topic has it: its class, and how many task configs it committed
// (0 while stopped or not configured yet).
struct ConnectorWork {
  std::string connector_class;
  int tasks = 0;
};

// What the leader knows when it computes.
struct AssignmentInputs {
  std::vector<std::string> members;                      // worker ids of the current generation
  std::map<std::string, std::set<std::string>> plugins;  // worker id -> plugin names and aliases
  std::map<std::string, int64_t> applied;                // worker id -> last acknowledged epoch
  std::map<std::string, ConnectorWork> connectors;       // every connector in the config topic
  int64_t now_ms = 0;
  absl::Duration max_delay = absl::Minutes(5);  // scheduled.rebalance.max.delay.ms
};

// The assignment that follows `previous`: `previous` itself when the work and the leader are the
// same, else a new one with epoch + 1 and `leader`.
Assignment NextAssignment(const Assignment& previous, const AssignmentInputs& inputs,
                          const std::string& leader);

// When a lost unit's reservation ends, the earliest; -1 when none is lost.
int64_t NextLostDeadlineMs(const Assignment& assignment, absl::Duration max_delay);

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_ASSIGNMENT_H_
