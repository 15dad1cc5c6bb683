// librdkafka error codes as absl::Status, in one place, so every caller gets the same answer to
// "retry, fix the input, or give up" (STYLE.md: the code says what the caller should do).
#ifndef SLUICE_RUNTIME_KAFKA_ERRORS_H_
#define SLUICE_RUNTIME_KAFKA_ERRORS_H_

#include <librdkafka/rdkafka.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace sluice::kafka {

// The absl code for a librdkafka error:
//  - Unavailable: transient (broker down, leader moved, timeouts inside librdkafka) — retry;
//  - DeadlineExceeded: our own wait or message.timeout.ms ran out;
//  - NotFound: unknown topic or partition;
//  - InvalidArgument: the request itself is wrong (record too large, bad config value);
//  - PermissionDenied: authorization;
//  - FailedPrecondition: the cluster cannot do it as configured (e.g. replication factor above
//    the broker count, a fenced or fatal idempotent producer);
//  - Internal: anything else.
absl::StatusCode StatusCodeFor(rd_kafka_resp_err_t err);

// OK for RD_KAFKA_RESP_ERR_NO_ERROR; otherwise "<context>: <librdkafka's text> (<error name>)".
absl::Status KafkaStatus(rd_kafka_resp_err_t err, absl::string_view context);

// Takes ownership of `error` (may be null = OK) and destroys it.
absl::Status KafkaStatus(rd_kafka_error_t* error, absl::string_view context);

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_ERRORS_H_
