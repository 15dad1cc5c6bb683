// Where committed offsets go. The Kafka offsets topic (kafka::OffsetStore) in production; a fake
// in tests, so the commit logic is tested without a broker.
#ifndef SLUICE_RUNTIME_OFFSETS_OFFSET_WRITER_H_
#define SLUICE_RUNTIME_OFFSETS_OFFSET_WRITER_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "runtime/offsets/submitted_records.h"

namespace sluice::offsets {

class OffsetWriter {
 public:
  virtual ~OffsetWriter() = default;

  // Durably stores `offsets` for `connector`, or fails. On failure any subset may have been
  // stored; writing the same partitions again later is how that is repaired.
  virtual absl::Status Write(absl::string_view connector,
                             absl::Span<const CommittableOffset> offsets,
                             absl::Duration timeout) = 0;
};

}  // namespace sluice::offsets

#endif  // SLUICE_RUNTIME_OFFSETS_OFFSET_WRITER_H_
