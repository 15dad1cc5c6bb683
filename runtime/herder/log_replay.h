// Reading a config or status topic whole, as the herder does when it starts.
#ifndef SLUICE_RUNTIME_HERDER_LOG_REPLAY_H_
#define SLUICE_RUNTIME_HERDER_LOG_REPLAY_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::herder {

// Every keyed record of `log`, from the beginning to its current end, per key in the order
// written (records without a key are not the herder's and are skipped). A topic created moments
// ago may not have a leader yet: Unavailable is retried with the retry policy
// (worker/retry_backoff.h) until `timeout`, each attempt reading from the start.
absl::StatusOr<std::vector<kafka::KeyedRecord>> ReplayLog(kafka::TopicLog& log,
                                                          absl::Duration timeout);

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_LOG_REPLAY_H_
