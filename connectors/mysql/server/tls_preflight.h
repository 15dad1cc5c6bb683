#ifndef SLUICE_CONNECTORS_MYSQL_SERVER_TLS_PREFLIGHT_H_
#define SLUICE_CONNECTORS_MYSQL_SERVER_TLS_PREFLIGHT_H_

// database.ssl.mode=verify_ca: the server's certificate must chain to the configured CA, but its
// host name is not checked. MariaDB Connector/C 3.3 checks the chain and the name together, so
// this mode is built from two steps:
//   1. a pre-flight TLS handshake of our own (the MySQL protocol's SSLRequest, then OpenSSL with
//      the CA and peer verification, no name check) that yields the verified certificate's
//      SHA-1 fingerprint;
//   2. the real connection, pinned to that fingerprint (MARIADB_OPT_TLS_PEER_FP), so it can only
//      succeed with the very certificate that step 1 verified.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace sluice::mysql {

struct TlsPreflightTarget {
  std::string host;
  unsigned port = 3306;
  std::string ca_file;
  absl::Duration timeout = absl::Seconds(30);
};

// The server certificate's SHA-1 fingerprint in upper-case hex, after verifying its chain against
// target.ca_file. Unavailable when the server cannot be reached; FailedPrecondition when it offers
// no TLS or its certificate does not verify (the message says why).
absl::StatusOr<std::string> VerifiedServerCertificateFingerprint(const TlsPreflightTarget& target);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_SERVER_TLS_PREFLIGHT_H_
