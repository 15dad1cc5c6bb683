#include "runtime/admin/tls_files.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace sluice::admin {
namespace {

constexpr char kCertificateKey[] = "sluice.admin.ssl.certificate.location";
constexpr char kKeyKey[] = "sluice.admin.ssl.key.location";
constexpr char kClientCaKey[] = "sluice.admin.ssl.client.ca.location";

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioHandle = std::unique_ptr<BIO, BioFree>;
using X509Handle = std::unique_ptr<X509, X509Free>;
using PkeyHandle = std::unique_ptr<EVP_PKEY, PkeyFree>;

absl::Status Refuse(absl::string_view key, const std::string& path, absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat("`", key, "`: `", path, "` ", why));
}

// OpenSSL's oldest queued error as words (and the queue emptied), or "" when there is none.
std::string OpenSslError() {
  const unsigned long code = ERR_peek_error();
  ERR_clear_error();
  if (code == 0) return "";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return absl::StrCat(" (OpenSSL: ", text, ")");
}

absl::StatusOr<std::string> ReadFile(absl::string_view key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Refuse(key, path, absl::StrCat("cannot be read: ", std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

BioHandle Bio(const std::string& pem) {
  return BioHandle(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// The PEM certificates in `pem`, first one returned; the count in `count`.
X509Handle FirstCertificate(const std::string& pem, int* count) {
  BioHandle bio = Bio(pem);
  X509Handle first;
  *count = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    if (*count == 0) first.reset(cert); else X509_free(cert);
    ++*count;
  }
  ERR_clear_error();  // the end of the file reads as an error
  return first;
}

// A passphrase callback that offers none, so an encrypted key fails instead of prompting on the
// worker's terminal.
int NoPassphrase(char*, int, int, void*) { return -1; }

}  // namespace

absl::StatusOr<TlsFiles> LoadTlsFiles(const config::WorkerConfig& config) {
  ERR_clear_error();
  TlsFiles files;
  absl::StatusOr<std::string> chain = ReadFile(kCertificateKey, config.admin_ssl_certificate);
  if (!chain.ok()) return chain.status();
  absl::StatusOr<std::string> key = ReadFile(kKeyKey, config.admin_ssl_key);
  if (!key.ok()) return key.status();

  int certificates = 0;
  X509Handle server = FirstCertificate(*chain, &certificates);
  if (server == nullptr) {
    return Refuse(kCertificateKey, config.admin_ssl_certificate,
                  "holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
  }
  if (X509_cmp_current_time(X509_get0_notAfter(server.get())) <= 0) {
    return Refuse(kCertificateKey, config.admin_ssl_certificate,
                  "holds a certificate that has expired; renew it");
  }
  if (X509_cmp_current_time(X509_get0_notBefore(server.get())) > 0) {
    return Refuse(kCertificateKey, config.admin_ssl_certificate,
                  "holds a certificate that is not valid yet (check the clock)");
  }
  BioHandle key_bio = Bio(*key);
  PkeyHandle private_key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr));
  if (private_key == nullptr) {
    return Refuse(kKeyKey, config.admin_ssl_key,
                  absl::StrCat("holds no unencrypted PEM private key (an encrypted key is not "
                               "supported: `openssl pkey -in KEY -out PLAIN`)",
                               OpenSslError()));
  }
  if (X509_check_private_key(server.get(), private_key.get()) != 1) {
    OpenSslError();
    return absl::FailedPreconditionError(absl::StrCat(
        "`", kKeyKey, "`: the private key in `", config.admin_ssl_key,
        "` does not belong to the certificate in `", config.admin_ssl_certificate, "` (`",
        kCertificateKey, "`): their public keys differ; give the key the certificate was made for"));
  }
  files.certificate_chain = *std::move(chain);
  files.private_key = *std::move(key);

  if (!config.admin_ssl_client_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadFile(kClientCaKey, config.admin_ssl_client_ca);
    if (!ca.ok()) return ca.status();
    int authorities = 0;
    if (FirstCertificate(*ca, &authorities) == nullptr) {
      return Refuse(kClientCaKey, config.admin_ssl_client_ca,
                    "holds no PEM certificate (expected the CA certificates that sign clients' "
                    "certificates)");
    }
    files.client_ca = *std::move(ca);
  }
  return files;
}

}  // namespace sluice::admin
