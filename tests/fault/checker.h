#ifndef SLUICE_TESTS_FAULT_CHECKER_H_
#define SLUICE_TESTS_FAULT_CHECKER_H_

// The fault suite's checker: what a Workload wrote (its ground truth) against what reached the
// change topic and the offsets topic. The promises it checks, each a problem line when broken:
//   - completeness: every committed change is in the topic, and a transaction whose COMMIT's
//     answer was lost is there whole or not at all;
//   - order: for each key, the first occurrences of its changes come in the order they were made
//     (a replay may repeat a tail, never reorder);
//   - no phantoms: no record of a rolled-back transaction, nor of a change never made;
//   - no committed offset ahead of the data: every transaction that ended at or before the
//     committed binlog position is whole in the topic (CheckOffsetNotAhead, right after a kill);
//   - liveness: all of it arrives within CheckOptions::liveness after the fault;
//   - exactly-once (CheckOptions::exactly_once): no change twice. The topic is read with
//     isolation.level=read_committed (tests/support/kafka_reader.h).
// The exactly-once check is on when SLUICE_FAULT_EXACTLY_ONCE=1 is in the environment, so the
// whole suite runs with it by setting that variable (and the worker settings the variable
// SLUICE_FAULT_WORKER_SETTINGS adds to every fault test's worker: docs/fault-suite.md).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/fault/workload.h"
#include "tests/support/kafka_reader.h"

namespace sluice::testing {

struct CheckOptions {
  // Zero duplicates asked for (exactly-once under read_committed). Default: the environment's
  // SLUICE_FAULT_EXACTLY_ONCE=1.
  bool exactly_once = ExactlyOnceAsked();
  // How long every committed change may take to arrive after the fault (liveness).
  absl::Duration liveness = absl::Seconds(90);

  static bool ExactlyOnceAsked();
};

struct CheckReport {
  std::vector<std::string> problems;  // empty: every promise held
  size_t records = 0;                 // change records read (tombstones left out)
  size_t expected = 0;                // committed changes
  size_t duplicates = 0;              // records repeating a change seen before (at-least-once)
  bool ok() const { return problems.empty(); }
  // One paragraph: the counts, then the first problems.
  std::string Summary() const;
};

// The change events of `records` (the data topic, read whole) against the ground truth.
CheckReport CheckRecords(const std::vector<ConsumedRecord>& records,
                         const std::vector<WrittenTransaction>& truth,
                         const CheckOptions& options = {});

// Reads `topic` until every committed change of `workload` is in it or `options.liveness`
// passes, then CheckRecords; a timeout is a liveness problem naming how many are missing.
CheckReport CheckTopic(const std::string& bootstrap, const std::string& topic,
                       const Workload& workload, const CheckOptions& options = {});

// `offset` (the committed offset's JSON value) against the data topic as it is now, right after
// the worker died: every transaction of `truth` that ended at or before the offset's binlog
// file and position must be whole in `records`. Problem lines; none when the offset is absent.
std::vector<std::string> CheckOffsetNotAhead(const std::optional<std::string>& offset,
                                             const std::vector<ConsumedRecord>& records,
                                             const std::vector<WrittenTransaction>& truth);

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_FAULT_CHECKER_H_
