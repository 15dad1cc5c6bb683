#include "runtime/cluster/lease_catch_up.h"

#include <utility>

namespace sluice::cluster {

std::optional<std::vector<kafka::KeyedRecord>> LeaseCatchUp::Step(const MembershipView& before) {
  if (!Due(before)) return std::nullopt;
  if (failing_in_ != before.lease_takes) {
    failing_in_ = before.lease_takes;
    failures_ = 0;
    last_failure_.clear();
  }
  absl::StatusOr<std::vector<kafka::KeyedRecord>> records = read_();
  if (!records.ok()) {
    ++failures_;
    last_failure_ = std::string(records.status().message());
    return std::nullopt;
  }
  read_in_ = before.lease_takes;
  return *std::move(records);
}

}  // namespace sluice::cluster
