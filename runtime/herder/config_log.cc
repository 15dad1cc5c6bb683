#include "runtime/herder/config_log.h"

#include "absl/strings/str_cat.h"
#include "runtime/herder/log_replay.h"

namespace sluice::herder {
namespace {

constexpr absl::Duration kWriteTimeout = absl::Seconds(30);

}  // namespace

absl::Status ConfigLog::Restore(absl::Duration timeout) {
  absl::StatusOr<std::vector<kafka::KeyedRecord>> records = ReplayLog(*log_, timeout);
  if (!records.ok()) {
    return absl::Status(records.status().code(),
                        absl::StrCat("reading the config topic: ", records.status().message()));
  }
  for (const kafka::KeyedRecord& record : *records) state_.Apply(record);
  return absl::OkStatus();
}

absl::Status ConfigLog::Write(const std::vector<kafka::KeyedRecord>& records) {
  if (absl::Status status = log_->Write(records, kWriteTimeout); !status.ok()) {
    return absl::UnavailableError(absl::StrCat("writing the config topic: ", status.message()));
  }
  for (const kafka::KeyedRecord& record : records) state_.Apply(record);
  return absl::OkStatus();
}

}  // namespace sluice::herder
