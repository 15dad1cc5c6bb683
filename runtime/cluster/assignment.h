// Which worker runs which connector (with its tasks): the record the leader publishes in the
// config topic (`sluice-assignment`), and the pure function that computes the next one.
//
// The rules (docs/cluster.md says why): a connector stays with its owner while the owner is a
// member and has its plugin (sticky); an owner that left the group keeps its connectors reserved
// (`lost`) for `scheduled.rebalance.max.delay.ms`; free connectors go to the least loaded member
// with the plugin; balancing moves a connector in two phases, first revoked (`pending`, run by
// nobody), then given to its new owner once the old owner acknowledged an epoch at or after the
// revocation, or left. So no connector is ever given to a second worker while the first may
// still run it.
//
// Threads: plain values and a pure function; no state.
#ifndef SLUICE_RUNTIME_CLUSTER_ASSIGNMENT_H_
#define SLUICE_RUNTIME_CLUSTER_ASSIGNMENT_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace sluice::cluster {

// A connector revoked from `from` at epoch `since`, on its way to `to`.
struct PendingMove {
  std::string from;
  std::string to;
  int64_t since = 0;
  bool operator==(const PendingMove&) const = default;
};

// A connector whose owner left the group, reserved for it since `since_ms` (Unix ms).
struct LostConnector {
  std::string owner;
  int64_t since_ms = 0;
  bool operator==(const LostConnector&) const = default;
};

struct Assignment {
  int64_t epoch = 0;  // 0: none published yet
  std::string leader;
  std::map<std::string, std::string> owners;  // connector -> worker id
  std::map<std::string, PendingMove> pending;
  std::map<std::string, LostConnector> lost;

  // The connectors `worker` runs in this assignment, sorted.
  std::vector<std::string> ConnectorsOf(const std::string& worker) const;
  // Whether both give the same work (epoch and leader aside).
  bool SameWork(const Assignment& other) const {
    return owners == other.owners && pending == other.pending && lost == other.lost;
  }
};

// The `sluice-assignment` value, compact JSON (docs/cluster.md shows it).
std::string EncodeAssignment(const Assignment& assignment);
absl::StatusOr<Assignment> DecodeAssignment(absl::string_view json);

// What the leader knows when it computes.
struct AssignmentInputs {
  std::vector<std::string> members;                      // worker ids of the current generation
  std::map<std::string, std::set<std::string>> plugins;  // worker id -> plugin names and aliases
  std::map<std::string, int64_t> applied;                // worker id -> last acknowledged epoch
  std::map<std::string, std::string> connectors;         // connector -> connector.class
  int64_t now_ms = 0;
  absl::Duration max_delay = absl::Minutes(5);  // scheduled.rebalance.max.delay.ms
};

// The assignment that follows `previous`: `previous` itself when the work and the leader are the
// same, else a new one with epoch + 1 and `leader`.
Assignment NextAssignment(const Assignment& previous, const AssignmentInputs& inputs,
                          const std::string& leader);

// When a lost connector's reservation ends, the earliest; nullopt-like -1 when none is lost.
int64_t NextLostDeadlineMs(const Assignment& assignment, absl::Duration max_delay);

}  // namespace sluice::cluster

#endif  // SLUICE_RUNTIME_CLUSTER_ASSIGNMENT_H_
