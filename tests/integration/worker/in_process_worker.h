#ifndef SLUICE_TESTS_INTEGRATION_WORKER_IN_PROCESS_WORKER_H_
#define SLUICE_TESTS_INTEGRATION_WORKER_IN_PROCESS_WORKER_H_

// A worker config for tests that run worker::Worker in their own process: its own internal
// topics (named after `name`), `plugin_path`, JSON converters, offsets flushed every 200 ms.

#include <string>

#include "runtime/config/worker_config.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {

config::WorkerConfig InProcessWorkerConfig(const std::string& name, const std::string& plugin_path,
                                           const std::string& bootstrap = KafkaBootstrap());

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_INTEGRATION_WORKER_IN_PROCESS_WORKER_H_
