#include "runtime/herder/log_replay.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "runtime/worker/retry_backoff.h"

namespace sluice::herder {

absl::StatusOr<std::vector<kafka::KeyedRecord>> ReplayLog(kafka::TopicLog& log,
                                                          absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  worker::RetryBackoff backoff;
  while (true) {
    std::vector<kafka::KeyedRecord> records;
    absl::Status status = log.ReadToEnd(
        [&records](std::optional<absl::string_view> key, std::optional<absl::string_view> value) {
          if (!key) return;  // not one of ours: every config and status record has a key
          kafka::KeyedRecord& record = records.emplace_back();
          record.key = std::string(*key);
          if (value) record.value = std::string(*value);
        },
        deadline - absl::Now());
    if (status.ok()) return records;
    if (status.code() != absl::StatusCode::kUnavailable || absl::Now() >= deadline) return status;
    absl::SleepFor(std::min(backoff.Next(), deadline - absl::Now()));
  }
}

}  // namespace sluice::herder
