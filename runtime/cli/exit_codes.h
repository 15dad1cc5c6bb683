// The `sluice` commands' exit codes, which scripts may rely on (docs/cli.md).
#ifndef SLUICE_RUNTIME_CLI_EXIT_CODES_H_
#define SLUICE_RUNTIME_CLI_EXIT_CODES_H_

#include "grpcpp/support/status.h"

namespace sluice::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,          // anything not below (an internal error on the worker)
  kExitUsage = 2,          // bad command line or unreadable input file
  kExitUnreachable = 3,    // no worker answered at --worker (UNAVAILABLE, DEADLINE_EXCEEDED), or
                           // the one there is still starting
  kExitNotFound = 4,       // NOT_FOUND
  kExitAlreadyExists = 5,  // ALREADY_EXISTS
  kExitInvalid = 6,        // INVALID_ARGUMENT, or `validate` found errors
  kExitWrongState = 7,     // FAILED_PRECONDITION
  kExitRefused = 8,        // TLS handshake refused, UNAUTHENTICATED, PERMISSION_DENIED
  // A command another executable provides (external_command.h), as shells report them:
  kExitCommandNotRunnable = 126,  // found, but it could not be started
  kExitCommandMissing = 127,      // found neither beside `sluice` nor on PATH
};

// The exit code for an RPC's failure. A TLS refusal reaches the client as UNAVAILABLE with the
// handshake's error in the message, so the message decides between 3 and 8.
ExitCode ExitCodeFor(const grpc::Status& status);

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_EXIT_CODES_H_
