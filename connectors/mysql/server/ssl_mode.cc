#include "connectors/mysql/server/ssl_mode.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace sluice::mysql {

absl::StatusOr<SslMode> ParseSslMode(absl::string_view text) {
  const std::string mode = absl::AsciiStrToLower(text);
  if (mode == "disabled") return SslMode::kDisabled;
  if (mode == "preferred") return SslMode::kPreferred;
  if (mode == "required") return SslMode::kRequired;
  if (mode == "verify_ca") return SslMode::kVerifyCa;
  if (mode == "verify_identity") return SslMode::kVerifyIdentity;
  return absl::InvalidArgumentError(absl::StrCat(
      "database.ssl.mode: '", text,
      "' is not a mode; use one of disabled, preferred, required, verify_ca, verify_identity"));
}

absl::string_view SslModeName(SslMode mode) {
  switch (mode) {
    case SslMode::kDisabled: return "disabled";
    case SslMode::kPreferred: return "preferred";
    case SslMode::kRequired: return "required";
    case SslMode::kVerifyCa: return "verify_ca";
    case SslMode::kVerifyIdentity: return "verify_identity";
  }
  return "unknown";
}

}  // namespace sluice::mysql
