#include "sluice/binlog/event_context.h"

#include "absl/strings/str_cat.h"

namespace sluice::binlog {

absl::Status AnnotateError(const absl::Status& status, const EventContext& context) {
  if (status.ok()) return status;
  const std::string file =
      context.file && !context.file->empty() ? *context.file : std::string("(unknown file)");
  return absl::Status(status.code(), absl::StrCat(EventTypeLabel(context.type), " at ", file, ":",
                                                  context.position, ": ", status.message()));
}

}  // namespace sluice::binlog
