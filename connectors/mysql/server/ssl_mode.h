#ifndef SLUICE_CONNECTORS_MYSQL_SERVER_SSL_MODE_H_
#define SLUICE_CONNECTORS_MYSQL_SERVER_SSL_MODE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sluice::mysql {

// database.ssl.mode, with Debezium's values. Every mode above kPreferred refuses a plaintext
// connection: there is never a silent fall-back once the user asked for TLS.
enum class SslMode {
  kDisabled,        // plaintext only
  kPreferred,       // TLS when the server offers it, plaintext otherwise
  kRequired,        // TLS or fail; the server's certificate is not checked
  kVerifyCa,        // TLS or fail; the certificate must chain to the CA in database.ssl.ca
  kVerifyIdentity,  // as kVerifyCa, and the certificate must name the host connected to
};

// Parses Debezium's spellings ("disabled", "preferred", "required", "verify_ca",
// "verify_identity"); anything else is InvalidArgument naming the allowed values.
absl::StatusOr<SslMode> ParseSslMode(absl::string_view text);
absl::string_view SslModeName(SslMode mode);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_SERVER_SSL_MODE_H_
