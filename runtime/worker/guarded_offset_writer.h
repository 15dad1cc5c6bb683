// A task's way to the offsets topic: it writes through to the worker's OffsetBackingStore, but
// only on top of the newest offsets, and remembers what it wrote so the task can tell the plugin
// which offsets are now committed.
//
// Why the guard: a task whose view of the offsets topic is stale must not write. Two tasks may
// run one connector's partition at once: a worker frozen (SIGSTOP) past its session whose task
// was started elsewhere meanwhile, or a second worker given the same connector. Each writes the
// offset its own progress reached, so the one that is behind moves the committed offset
// backwards and a restart replays, or worse, skips (issue 19's fault run: ~600 stale records and
// an offset behind the newest). A generic runtime cannot order two offsets of an opaque
// connector, but it can tell whether anybody else wrote: each writer keeps its view, per
// partition, of the newest offset (what it read when its attempt started, then what it wrote
// itself), and before every write it reads the offsets topic to its end again. When the newest
// offset there is neither its view nor one of its own writes whose outcome it did not learn (a
// write that timed out may still have landed), another task wrote after this one read: this
// writer is stale and refuses with FailedPrecondition, which fails the task (never restarted by
// itself: the user looks first). The task that wrote later keeps running. Every offset written
// therefore sits on top of the newest one, so no commit moves an offset backwards; a reset or an
// alter happens only while the connector is STOPPED, when no task writes.
//
// What it does not close: the moment between the read and the write (exactly-once's fencing
// through the transactional id closes it), and the records a stale task produced before its
// next commit (the same).
//
// Cost: one read of the offsets topic to its end per commit, on the task's committer thread
// (every offset.flush.interval.ms), never on the poll path. The store keeps its reader between
// reads (kafka::OffsetStore), so that read is one ListOffsets request plus the records written
// since the last one, not the whole topic through a new consumer (docs/benchmarks.md).
//
// Threads: Write on the committer thread, or on the task thread once that one stopped;
// TakeWritten on the task thread.
#ifndef SLUICE_RUNTIME_WORKER_GUARDED_OFFSET_WRITER_H_
#define SLUICE_RUNTIME_WORKER_GUARDED_OFFSET_WRITER_H_

#include <optional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "runtime/offsets/offset_writer.h"
#include "runtime/offsets/source_offset.h"
#include "runtime/worker/offset_backing_store.h"

namespace sluice::worker {

class GuardedOffsetWriter : public offsets::OffsetWriter {
 public:
  // `store` outlives this; `view`: the connector's offsets the attempt started from.
  GuardedOffsetWriter(OffsetBackingStore* store,
                      std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> view)
      : store_(store), start_(std::move(view)) {}

  // FailedPrecondition naming the partition when another task wrote it since this one's view;
  // the store's error when reading or writing fails (the offsets stay pending: a later commit
  // writes them).
  absl::Status Write(absl::string_view connector,
                     absl::Span<const offsets::CommittableOffset> offsets,
                     absl::Duration timeout) override;

  // What was written since the last call.
  std::vector<offsets::CommittableOffset> TakeWritten() {
    absl::MutexLock lock(&mu_);
    return std::move(written_);
  }

 private:
  struct View {
    offsets::SourcePartition partition;
    std::optional<offsets::SourceOffset> newest;     // as read or last written; none = no offset
    std::vector<offsets::SourceOffset> unconfirmed;  // written, the outcome not learnt
  };
  View& ViewOf(const offsets::SourcePartition& partition) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  OffsetBackingStore* const store_;
  absl::Mutex mu_;
  std::vector<View> views_ ABSL_GUARDED_BY(mu_);  // partitions are few
  // The offsets the attempt started from, each folded into views_ on its partition's first write.
  const std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> start_;
  std::vector<offsets::CommittableOffset> written_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_GUARDED_OFFSET_WRITER_H_
