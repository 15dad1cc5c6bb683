// Commits a task's offsets: what SubmittedRecords says is committable, written through an
// OffsetWriter every offset.flush.interval.ms and once more on graceful stop (Kafka Connect's
// OffsetStorageWriter role).
//
// An offset taken from the tracker but not written (the write failed or timed out) is kept and
// written with the next commit, unless a newer offset for the same partition replaces it first;
// so a failed commit never loses progress and never moves an offset backwards.
//
// Threads: one thread calls Commit (the task's committer); not thread-safe by itself.
#ifndef SLUICE_RUNTIME_OFFSETS_OFFSET_COMMITTER_H_
#define SLUICE_RUNTIME_OFFSETS_OFFSET_COMMITTER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "runtime/offsets/offset_writer.h"
#include "runtime/offsets/submitted_records.h"

namespace sluice::offsets {

class OffsetCommitter {
 public:
  // `tracker` and `writer` must outlive this.
  OffsetCommitter(std::string connector, SubmittedRecords* tracker, OffsetWriter* writer)
      : connector_(std::move(connector)), tracker_(tracker), writer_(writer) {}

  // Writes every offset that became committable since the last successful commit.
  // - The writer's error if the write failed (the offsets are kept for the next Commit).
  // - Otherwise, if a record's delivery failed, that failure (Aborted, naming the cause): the
  //   offsets written stop before the failed record, and the task must stop and be restarted
  //   from them.
  // - OK otherwise.
  absl::Status Commit(absl::Duration timeout);

  // Offsets taken from the tracker and not yet written.
  size_t unwritten() const { return unwritten_.size(); }

  // The record failure a Commit reported as Aborted (its own code and message: whether it is
  // worth a restart depends on it), or OK. Read by the thread that collected that Commit's result.
  const absl::Status& delivery_failure() const { return delivery_failure_; }

 private:
  const std::string connector_;
  SubmittedRecords* const tracker_;
  OffsetWriter* const writer_;
  std::vector<CommittableOffset> unwritten_;  // one entry per partition, first-seen order
  absl::Status delivery_failure_;
};

}  // namespace sluice::offsets

#endif  // SLUICE_RUNTIME_OFFSETS_OFFSET_COMMITTER_H_
