#include "runtime/worker/guarded_offset_writer.h"

#include "absl/strings/str_cat.h"
#include "runtime/offsets/offset_codec.h"

namespace sluice::worker {
namespace {

std::string Spelled(const std::optional<offsets::SourceOffset>& offset) {
  if (!offset.has_value()) return "none";
  absl::StatusOr<std::string> json = offsets::EncodeOffsetValue(*offset);
  return json.ok() ? *json : "?";
}

}  // namespace

GuardedOffsetWriter::View& GuardedOffsetWriter::ViewOf(const offsets::SourcePartition& partition) {
  for (View& view : views_) {
    if (view.partition == partition) return view;
  }
  View& view = views_.emplace_back();
  view.partition = partition;
  for (const auto& [p, offset] : start_) {
    if (p == partition) view.newest = offset;
  }
  return view;
}

absl::Status GuardedOffsetWriter::Write(absl::string_view connector,
                                        absl::Span<const offsets::CommittableOffset> offsets,
                                        absl::Duration timeout) {
  if (absl::Status read = store_->ReadToEnd(timeout); !read.ok()) return read;
  const std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> stored =
      store_->OffsetsFor(connector);
  {
    absl::MutexLock lock(&mu_);
    for (const offsets::CommittableOffset& o : offsets) {
      std::optional<offsets::SourceOffset> newest;
      for (const auto& [partition, offset] : stored) {
        if (partition == o.partition) newest = offset;
      }
      View& view = ViewOf(o.partition);
      bool ours = newest == view.newest;
      for (const offsets::SourceOffset& mine : view.unconfirmed) ours = ours || newest == mine;
      if (!ours) {
        absl::StatusOr<std::string> partition = offsets::EncodeSourcePartition(o.partition);
        return absl::FailedPreconditionError(absl::StrCat(
            "connector `", connector, "`: another task wrote the offset of partition ",
            partition.ok() ? *partition : "?", " (now ", Spelled(newest),
            ") after this one read it (", Spelled(view.newest),
            "): another worker runs this connector, or this worker was frozen past its session "
            "and its task moved on. This task stops without writing, so the committed offset "
            "never moves backwards; restart it to resume from the newest offsets"));
      }
      view.unconfirmed.push_back(o.offset);
    }
  }
  absl::Status status = store_->Write(connector, offsets, timeout);
  if (!status.ok()) return status;
  absl::MutexLock lock(&mu_);
  for (const offsets::CommittableOffset& o : offsets) {
    View& view = ViewOf(o.partition);
    view.newest = o.offset;
    view.unconfirmed.clear();
  }
  written_.insert(written_.end(), offsets.begin(), offsets.end());
  return absl::OkStatus();
}

}  // namespace sluice::worker
