#include "runtime/herder/herder_types.h"

#include <string>
#include <variant>

namespace sluice::herder {

bool SnapshotRunning(const std::vector<PartitionOffset>& offsets) {
  for (const PartitionOffset& po : offsets) {
    if (!po.offset) continue;
    const offsets::OffsetValue* v = po.offset->Find("snapshot");
    if (v == nullptr) continue;
    if (const bool* b = std::get_if<bool>(v); b != nullptr && !*b) continue;
    if (const std::string* s = std::get_if<std::string>(v);
        s != nullptr && (*s == "false" || s->empty()))
      continue;
    if (std::holds_alternative<std::monostate>(*v)) continue;
    return true;
  }
  return false;
}

bool IsSnapshotting(const ConnectorStatusInfo& status) {
  for (const TaskStatusInfo& task : status.tasks) {
    if (task.progress && task.progress->phase == plugin::TaskPhase::kSnapshot) return true;
  }
  return SnapshotRunning(status.offsets);
}

}  // namespace sluice::herder
