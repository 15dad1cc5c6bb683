// Kafka Connect's zombie fencing round (KIP-618), for exactly-once source tasks: before a new
// generation of a connector's tasks starts (its task configs were rewritten, or the task count
// recorded for it differs from its current one), every transactional producer of the previous
// generation is fenced, so no task of it that is still alive somewhere (a frozen worker, one
// whose task was dropped by a lower tasks.max) can commit a transaction afterwards.
//
// librdkafka 2.0.2 has no fenceProducers admin call (Kafka's Admin.fenceProducers is an
// InitProducerId per id): FenceTaskProducers makes a short-lived producer per transactional id
// `<group.id>-<connector>-<task>` and lets its init_transactions bump the id's epoch at the
// transaction coordinator, which fences the earlier producer and aborts the transaction it left
// open. The herder then records the round in the config topic as Kafka Connect does
// (`tasks-fencing-<connector>` → `{"task-count":N}`, connect_records.h) and only then starts the
// tasks (docs/worker.md, "Exactly-once").
//
// Threads: any; blocks for one init_transactions per id.
#ifndef SLUICE_RUNTIME_WORKER_ZOMBIE_FENCING_H_
#define SLUICE_RUNTIME_WORKER_ZOMBIE_FENCING_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "runtime/config/worker_config.h"

namespace sluice::worker {

// Fences the producers of task ids [0, task_count) of `connector`. Fails naming the first id
// whose init did not complete within `timeout` (the tasks must not start then).
absl::Status FenceTaskProducers(const config::WorkerConfig& config, const std::string& connector,
                                int task_count, absl::Duration timeout);

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_ZOMBIE_FENCING_H_
