// A conformance check for connector plugins: drives a plugin through the lifecycle the worker
// uses and checks the promises the ABI asks of it, so a third party can test a connector without
// a Kafka cluster (and under sanitizers).
//
// Checked, in order: the config validates against the plugin's own definition; the connector
// starts and produces between 1 and max_tasks task configs; task 0 starts, and each of `polls`
// polls returns OK within its timeout plus a grace period, with only valid records (each poll's
// last record then acknowledged and committed, as the worker's commit would); a poll with a
// long timeout returns within `stop_bound` of on_task_stop being called from another thread;
// every destroy runs. The plugin's records are checked by the host as always (schemas, kinds).
#ifndef SLUICE_TESTS_SUPPORT_PLUGIN_CONFORMANCE_H_
#define SLUICE_TESTS_SUPPORT_PLUGIN_CONFORMANCE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/host_context.h"
#include "runtime/plugin/plugin.h"

namespace sluice::plugin {

struct ConformanceOptions {
  ConfigMap connector_config;  // what a user would submit (tasks.max is given separately)
  size_t max_tasks = 2;
  int polls = 5;
  int64_t poll_timeout_ms = 100;
  std::chrono::milliseconds grace{1000};       // allowed beyond a poll's timeout
  std::chrono::milliseconds stop_bound{2000};  // a stopped poll must return within this
};

struct ConformanceResult {
  std::vector<std::string> passed;  // one line per check that passed
  size_t records = 0;               // records the polls produced
};

// FailedPrecondition naming the first check that failed (and the plugin's own error, if any).
absl::Status CheckConformance(std::shared_ptr<const Plugin> plugin,
                              const ConformanceOptions& options, LogSink log,
                              ConformanceResult* result);

}  // namespace sluice::plugin

#endif  // SLUICE_TESTS_SUPPORT_PLUGIN_CONFORMANCE_H_
