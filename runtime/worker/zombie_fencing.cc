#include "runtime/worker/zombie_fencing.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kafka/producer.h"
#include "runtime/kafka/worker_clients.h"
#include "runtime/worker/exactly_once_config.h"

namespace sluice::worker {

absl::Status FenceTaskProducers(const config::WorkerConfig& config, const std::string& connector,
                                int task_count, absl::Duration timeout) {
  for (int task = 0; task < task_count; ++task) {
    kafka::ProducerOptions options =
        kafka::ProducerOptionsFor(config, absl::StrCat("sluice-", connector, "-", task, "-fencing"));
    options.transactional_id = TaskTransactionalId(config.group_id, connector, task);
    options.transaction_init_timeout = timeout;
    // Made (its init fences the id's earlier producer) and dropped: it never sends.
    absl::StatusOr<std::unique_ptr<kafka::Producer>> producer = kafka::Producer::Create(options);
    if (!producer.ok()) {
      return absl::Status(producer.status().code(),
                          absl::StrCat("fencing the producers of connector ", connector,
                                       "'s previous task generation (task ", task, " of ",
                                       task_count, "): ", producer.status().message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace sluice::worker
