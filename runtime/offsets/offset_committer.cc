#include "runtime/offsets/offset_committer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/common/failpoint.h"

namespace sluice::offsets {

absl::Status OffsetCommitter::Commit(absl::Duration timeout) {
  CommittableOffsets taken = tracker_->TakeCommittable();
  // Newer offsets replace unwritten older ones of the same partition; partitions are few.
  for (CommittableOffset& fresh : taken.offsets) {
    bool replaced = false;
    for (CommittableOffset& old : unwritten_) {
      if (old.partition == fresh.partition) {
        old.offset = std::move(fresh.offset);
        replaced = true;
        break;
      }
    }
    if (!replaced) unwritten_.push_back(std::move(fresh));
  }
  if (!unwritten_.empty()) {
    // The records behind these offsets are acknowledged by Kafka; their offsets are not written.
    SLUICE_FAILPOINT("offset_commit.before_write");
    if (absl::Status s = writer_->Write(connector_, unwritten_, timeout); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("committing offsets of connector `", connector_,
                                                 "`: ", s.message()));
    }
    unwritten_.clear();
  }
  if (!taken.first_failure.ok()) {
    delivery_failure_ = taken.first_failure;
    return absl::AbortedError(absl::StrCat("connector `", connector_,
                                           "`: a record could not be written to Kafka (",
                                           taken.first_failure.message(),
                                           "); offsets are committed up to the record before it, "
                                           "and a restarted task resumes from there"));
  }
  return absl::OkStatus();
}

}  // namespace sluice::offsets
