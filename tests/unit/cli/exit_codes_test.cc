#include "runtime/cli/exit_codes.h"

#include "gtest/gtest.h"

namespace sluice::cli {
namespace {

TEST(ExitCodes, EachGrpcCodeHasTheDocumentedExitCode) {
  EXPECT_EQ(ExitCodeFor(grpc::Status::OK), kExitOk);
  EXPECT_EQ(ExitCodeFor(grpc::Status(grpc::StatusCode::NOT_FOUND, "")), 4);
  EXPECT_EQ(ExitCodeFor(grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "")), 5);
  EXPECT_EQ(ExitCodeFor(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "")), 6);
  EXPECT_EQ(ExitCodeFor(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "")), 7);
  EXPECT_EQ(ExitCodeFor(grpc::Status(grpc::StatusCode::UNAVAILABLE, "Connection refused")), 3);
  EXPECT_EQ(ExitCodeFor(grpc::Status(grpc::StatusCode::UNAVAILABLE, "Ssl handshake failed")), 8);
  EXPECT_EQ(ExitCodeFor(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "")), 8);
  EXPECT_EQ(ExitCodeFor(grpc::Status(grpc::StatusCode::INTERNAL, "")), 1);
}

}  // namespace
}  // namespace sluice::cli
