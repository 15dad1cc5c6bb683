#include "runtime/herder/herder_types.h"

namespace sluice::herder {

bool IsSnapshotting(const ConnectorStatusInfo& status) {
  for (const TaskStatusInfo& task : status.tasks) {
    if (task.progress && task.progress->phase == plugin::TaskPhase::kSnapshot) return true;
  }
  return false;
}

absl::string_view ConfigTypeName(plugin::ConfigType type) {
  switch (type) {
    case plugin::ConfigType::kString:
      return "STRING";
    case plugin::ConfigType::kInt:
      return "INT";
    case plugin::ConfigType::kLong:
      return "LONG";
    case plugin::ConfigType::kDouble:
      return "DOUBLE";
    case plugin::ConfigType::kBoolean:
      return "BOOLEAN";
    case plugin::ConfigType::kList:
      return "LIST";
    case plugin::ConfigType::kPassword:
      return "PASSWORD";
  }
  return "STRING";
}

}  // namespace sluice::herder
