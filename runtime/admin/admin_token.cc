#include "runtime/admin/admin_token.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace sluice::admin {
namespace {

constexpr char kKey[] = "sluice.admin.token.file";

absl::Status Refuse(const std::string& path, absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("`", kKey, "`: `", path, "` ", why));
}

}  // namespace

absl::StatusOr<std::string> ReadAdminToken(const std::string& path) {
  // O_NOFOLLOW is not used: a token file may be a symlink into a secrets mount; what counts is
  // the file read, and fstat checks that one.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Refuse(path, absl::StrCat("cannot be read: ", std::strerror(errno)));
  struct stat st {};
  std::string text;
  const bool stat_ok = ::fstat(fd, &st) == 0;
  if (stat_ok && S_ISREG(st.st_mode)) {
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0 && text.size() < (1 << 16)) {
      text.append(buffer, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  if (!stat_ok || !S_ISREG(st.st_mode)) return Refuse(path, "is not a regular file");
  if ((st.st_mode & 077) != 0) {
    return Refuse(path, absl::StrFormat("has mode %04o: other users may read or change the token; "
                                        "`chmod 600 %s`",
                                        st.st_mode & 07777, path));
  }
  if (st.st_uid != ::geteuid() && st.st_uid != 0) {
    return Refuse(path, absl::StrCat("belongs to user id ", st.st_uid,
                                     ", not to the worker's user (", ::geteuid(),
                                     ") or root: `chown` it to the worker's user"));
  }
  const std::string token(absl::StripAsciiWhitespace(text));
  if (token.empty()) {
    return Refuse(path, "is empty; write a token into it, e.g. `openssl rand -hex 32`");
  }
  if (token.size() < kMinimumTokenLength) {
    return Refuse(path, absl::StrCat("holds a token of ", token.size(),
                                     " characters; use at least ", kMinimumTokenLength,
                                     ", e.g. `openssl rand -hex 32`"));
  }
  for (const char c : token) {
    if (c <= ' ' || c > '~') {
      return Refuse(path, "holds characters other than printable ASCII without blanks (one "
                          "token on one line, e.g. `openssl rand -hex 32`)");
    }
  }
  return token;
}

bool TokenMatches(absl::string_view presented, absl::string_view expected) {
  unsigned char a[SHA256_DIGEST_LENGTH];
  unsigned char b[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(presented.data()), presented.size(), a);
  SHA256(reinterpret_cast<const unsigned char*>(expected.data()), expected.size(), b);
  return CRYPTO_memcmp(a, b, sizeof a) == 0;
}

grpc::Status CheckBearerToken(const grpc::ServerContext& context, const std::string& expected) {
  if (expected.empty()) return grpc::Status::OK;
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find("authorization");
  if (found == metadata.end()) {
    return grpc::Status(
        grpc::StatusCode::UNAUTHENTICATED,
        "this worker's admin API needs a token (its `sluice.admin.token.file` is set): send "
        "`authorization: Bearer <token>` metadata; the sluice CLI sends the token of "
        "--token-file FILE or $SLUICE_TOKEN");
  }
  absl::string_view value(found->second.data(), found->second.size());
  // The scheme's name is case-insensitive (RFC 9110); the token is not.
  const bool bearer = absl::StartsWithIgnoreCase(value, "bearer ");
  if (bearer) value.remove_prefix(7);
  if (!bearer || !TokenMatches(value, expected)) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "the admin token sent does not match this worker's "
                        "`sluice.admin.token.file`");
  }
  return grpc::Status::OK;
}

}  // namespace sluice::admin
