// The worker's first contact with Kafka: before it creates or reads its topics it waits for the
// cluster at `bootstrap.servers` to answer, says so from the start (which address, which topics),
// retries per RetryBackoff, and gives up after `sluice.startup.broker.timeout.ms`. Without this a
// worker whose broker was down sat for half a minute inside a topic request, saying nothing.
#ifndef SLUICE_RUNTIME_WORKER_CLUSTER_WAIT_H_
#define SLUICE_RUNTIME_WORKER_CLUSTER_WAIT_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "runtime/common/log.h"
#include "runtime/config/worker_config.h"

namespace sluice::worker {

// One attempt: OK when the cluster answered within `timeout` (kafka::TopicAdmin::Ping in the
// worker; a fake in the unit tests).
using ClusterProbe = std::function<absl::Status(absl::Duration timeout)>;

// How long each attempt may take. The client keeps connecting between attempts, so a short one
// loses nothing, and the first "waiting" line comes within about a second.
inline constexpr absl::Duration kClusterProbeTimeout = absl::Seconds(1);

// Calls `probe` until it succeeds or `config.startup_broker_timeout` has passed since the call
// (at least one attempt is made). Logs an INFO line before the first attempt and a WARN line after
// each failed one naming `bootstrap.servers`, the worker's topics, the reason, when it retries and
// when it gives up. DeadlineExceeded naming the address, the reason and the setting when it gives
// up. Blocks the calling thread.
absl::Status WaitForCluster(const ClusterProbe& probe, const config::WorkerConfig& config,
                            const LogSink& log);

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_CLUSTER_WAIT_H_
