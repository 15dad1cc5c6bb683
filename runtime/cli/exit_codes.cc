#include "runtime/cli/exit_codes.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace sluice::cli {

ExitCode ExitCodeFor(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::NOT_FOUND:
      return kExitNotFound;
    case grpc::StatusCode::ALREADY_EXISTS:
      return kExitAlreadyExists;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return kExitInvalid;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return kExitWrongState;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return kExitRefused;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED: {
      const std::string lower = absl::AsciiStrToLower(status.error_message());
      for (const char* word : {"ssl", "tls", "handshake", "certificate"}) {
        if (absl::StrContains(lower, word)) return kExitRefused;
      }
      return kExitUnreachable;
    }
    default:
      return kExitError;
  }
}

}  // namespace sluice::cli
