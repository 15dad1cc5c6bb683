// The admin API's bearer token (`sluice.admin.token.file`): read once at start from a file only its
// owner may read, and compared in constant time with the `authorization: Bearer <token>` metadata
// of every Admin RPC.
#ifndef SLUICE_RUNTIME_ADMIN_ADMIN_TOKEN_H_
#define SLUICE_RUNTIME_ADMIN_ADMIN_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"

namespace sluice::admin {

// The shortest token accepted: shorter ones can be guessed (`openssl rand -hex 32` makes 64).
inline constexpr size_t kMinimumTokenLength = 16;

// Reads the token from `path`: the file's text without the blanks and line ends around it.
// FailedPrecondition naming the file and the fix when it cannot be read, is not a regular file,
// may be read or written by its group or others (mode must be 0600 or stricter, as ssh asks of
// its keys), belongs to another user than the worker's (root excepted), or holds no token, a token
// shorter than kMinimumTokenLength, or one with characters a gRPC header cannot carry (it must be
// printable ASCII without blanks).
absl::StatusOr<std::string> ReadAdminToken(const std::string& path);

// Whether `presented` equals `expected`, in a time that depends on neither's content or length
// (both are hashed with SHA-256 and the digests compared with CRYPTO_memcmp), so timing the
// answers does not reveal how much of a guess was right.
bool TokenMatches(absl::string_view presented, absl::string_view expected);

// OK when the call carries `authorization: Bearer <expected>`; otherwise UNAUTHENTICATED with a
// message saying what is missing and what to configure (never the token). `expected` empty:
// no token is configured, every call is OK.
grpc::Status CheckBearerToken(const grpc::ServerContext& context, const std::string& expected);

}  // namespace sluice::admin

#endif  // SLUICE_RUNTIME_ADMIN_ADMIN_TOKEN_H_
