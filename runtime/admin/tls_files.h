// The admin listener's TLS files (`sluice.admin.ssl.*`), read and checked before the server
// starts, so a wrong file is reported by name and reason instead of as a listener that cannot
// start.
#ifndef SLUICE_RUNTIME_ADMIN_TLS_FILES_H_
#define SLUICE_RUNTIME_ADMIN_TLS_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "runtime/config/worker_config.h"

namespace sluice::admin {

// The PEM texts gRPC's server credentials take.
struct TlsFiles {
  std::string certificate_chain;  // sluice.admin.ssl.certificate.location
  std::string private_key;        // sluice.admin.ssl.key.location
  std::string client_ca;          // sluice.admin.ssl.client.ca.location; empty: no mutual TLS
};

// Reads the files `config` names and checks what a TLS handshake would need of them: each is
// readable; the certificate file holds at least one PEM certificate, the first (the server's own)
// not expired; the key file an unencrypted PEM private key that belongs to that certificate
// (X509_check_private_key); the client CA file at least one PEM certificate. FailedPrecondition
// naming the key, the file and the reason (with OpenSSL's words) otherwise. Call only when
// `config.admin_ssl_certificate` is set.
absl::StatusOr<TlsFiles> LoadTlsFiles(const config::WorkerConfig& config);

}  // namespace sluice::admin

#endif  // SLUICE_RUNTIME_ADMIN_TLS_FILES_H_
