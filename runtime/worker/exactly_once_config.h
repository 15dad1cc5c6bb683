// A source connector's exactly-once settings, with Kafka Connect's names and meanings (KIP-618,
// SourceConnectorConfig), and the checks a config must pass before it is stored or started:
//
//   exactly.once.support       requested (default) | required, any case. `required` asks for a
//                              preflight check: refused unless the worker runs with
//                              exactly.once.source.support=enabled and the connector says it
//                              supports exactly-once (descriptor, ABI 1.5).
//   transaction.boundary       poll (default) | interval | connector, any case: when a task's
//                              Kafka transaction commits (after each poll's records; every
//                              transaction.boundary.interval.ms; where the connector marks it).
//                              `connector` is refused unless the connector defines boundaries.
//   transaction.boundary.interval.ms
//                              milliseconds >= 0; unset = the worker's offset.flush.interval.ms.
//                              No effect unless transaction.boundary=interval.
//   offsets.storage.topic      a connector's own offsets topic (non-empty); unset = the worker's.
//
// The transaction settings take effect only on a worker with exactly.once.source.support=enabled
// (disabled and preparing run at-least-once); they are checked everywhere, as Kafka Connect does.
#ifndef SLUICE_RUNTIME_WORKER_EXACTLY_ONCE_CONFIG_H_
#define SLUICE_RUNTIME_WORKER_EXACTLY_ONCE_CONFIG_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "runtime/config/worker_config.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/plugin.h"

namespace sluice::worker {

enum class ExactlyOnceSupportLevel { kRequested, kRequired };
enum class TransactionBoundary { kPoll, kInterval, kConnector };

struct ExactlyOnceConfig {
  ExactlyOnceSupportLevel support = ExactlyOnceSupportLevel::kRequested;
  TransactionBoundary boundary = TransactionBoundary::kPoll;
  std::optional<absl::Duration> boundary_interval;  // unset: offset.flush.interval.ms
  std::string offsets_topic;                        // empty: the worker's offset.storage.topic
};

// (key, what is wrong) pairs, in the config's key order.
using KeyErrors = std::vector<std::pair<std::string, std::string>>;

// Types the four keys of `config`; a bad value is reported in `errors` and left at its default.
ExactlyOnceConfig ParseExactlyOnceConfig(const ConfigMap& config, KeyErrors* errors);

// Every reason `config` may not run with `plugin` on a worker with `worker_support`: bad values,
// `required` on a worker without exactly-once or with a connector that does not support it,
// `connector` boundaries with a connector that does not define them.
KeyErrors ExactlyOnceRefusals(const ConfigMap& config, const plugin::Plugin& plugin,
                              config::ExactlyOnceSourceSupport worker_support);

// Kafka Connect's transactional.id of a task's producer: `<group.id>-<connector>-<task>`, so a
// task restarted anywhere in the cluster fences its predecessor.
std::string TaskTransactionalId(const std::string& group_id, const std::string& connector,
                                int task_id);

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_EXACTLY_ONCE_CONFIG_H_
