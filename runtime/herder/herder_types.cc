#include "runtime/herder/herder_types.h"


namespace sluice::herder {

bool IsSnapshotting(const ConnectorStatusInfo& status) {
  for (const TaskStatusInfo& task : status.tasks) {
    if (task.progress && task.progress->phase == plugin::TaskPhase::kSnapshot) return true;
  }
  return false;
}

}  // namespace sluice::herder
