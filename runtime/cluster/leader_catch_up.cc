#include "runtime/cluster/leader_catch_up.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace sluice::cluster {

std::optional<std::vector<kafka::KeyedRecord>> LeaderCatchUp::Step(uint64_t term) {
  if (term == 0 || caught_up_term_ == term) return std::nullopt;
  if (failing_term_ != term) {
    failing_term_ = term;
    failures_ = 0;
    last_failure_.clear();
  }
  absl::StatusOr<std::vector<kafka::KeyedRecord>> records = read_();
  if (!records.ok()) {
    ++failures_;
    last_failure_ = std::string(records.status().message());
    return std::nullopt;
  }
  caught_up_term_ = term;
  return *std::move(records);
}

absl::Status LeaderCatchUp::Check(uint64_t term) const {
  if (CaughtUp(term)) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(
      "this worker leads the cluster but is still catching up with the config topic",
      failing_term_ == term && !last_failure_.empty()
          ? absl::StrCat(" (its last read to the end failed: ", last_failure_, ")")
          : "",
      "; retry in a moment"));
}

}  // namespace sluice::cluster
