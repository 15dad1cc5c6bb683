#include "runtime/herder/herder_types.h"

#include "absl/strings/cord.h"

namespace sluice::herder {
namespace {

// The status payloads' type URLs that carry the target's addresses.
constexpr char kTargetIdPayload[] = "type.sluice.dev/herder.RequestTarget.id";
constexpr char kTargetAdminPayload[] = "type.sluice.dev/herder.RequestTarget.admin";

}  // namespace

absl::Status RequestTargetError(absl::string_view message, const WorkerAddress& target) {
  absl::Status status = absl::AbortedError(message);
  status.SetPayload(kTargetIdPayload, absl::Cord(target.id));
  status.SetPayload(kTargetAdminPayload, absl::Cord(target.admin));
  return status;
}

std::optional<WorkerAddress> RequestTargetOf(const absl::Status& status) {
  absl::optional<absl::Cord> id = status.GetPayload(kTargetIdPayload);
  if (!id) return std::nullopt;
  WorkerAddress out{std::string(*id), ""};
  if (absl::optional<absl::Cord> admin = status.GetPayload(kTargetAdminPayload)) {
    out.admin = std::string(*admin);
  }
  return out;
}

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
