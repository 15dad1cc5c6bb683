#include "connectors/mysql/server/tls_preflight.h"

#include <netdb.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace sluice::mysql {
namespace {

// Capability flags of the MySQL client/server protocol used here.
constexpr uint32_t kClientLongPassword = 0x00000001;
constexpr uint32_t kClientProtocol41 = 0x00000200;
constexpr uint32_t kClientSsl = 0x00000800;
constexpr uint32_t kClientSecureConnection = 0x00008000;
constexpr uint8_t kUtf8mb4GeneralCi = 45;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

struct SslCtxFree {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};

std::string OpenSslErrors() {
  std::string text;
  while (unsigned long error = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(error, buffer, sizeof buffer);
    absl::StrAppend(&text, text.empty() ? "" : "; ", buffer);
  }
  return text;
}

absl::StatusOr<std::unique_ptr<Socket>> ConnectTcp(const TlsPreflightTarget& target) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* addresses = nullptr;
  const std::string port = absl::StrCat(target.port);
  if (int error = getaddrinfo(target.host.c_str(), port.c_str(), &hints, &addresses); error != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot resolve ", target.host, ": ", gai_strerror(error)));
  }
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(absl::ToInt64Seconds(target.timeout));
  std::unique_ptr<Socket> connected;
  for (addrinfo* address = addresses; address != nullptr && !connected; address = address->ai_next) {
    auto candidate = std::make_unique<Socket>(
        socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol));
    if (candidate->fd() < 0) continue;
    setsockopt(candidate->fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(candidate->fd(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (connect(candidate->fd(), address->ai_addr, address->ai_addrlen) == 0) {
      connected = std::move(candidate);
    }
  }
  freeaddrinfo(addresses);
  if (!connected) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to ", target.host, ":", target.port, ": ", strerror(errno)));
  }
  return connected;
}

bool ReadExactly(int fd, uint8_t* buffer, size_t size) {
  while (size > 0) {
    const ssize_t got = recv(fd, buffer, size, 0);
    if (got <= 0) return false;
    buffer += got;
    size -= static_cast<size_t>(got);
  }
  return true;
}

// Reads the server's greeting and returns its capability flags (lower 16 bits suffice for SSL).
absl::StatusOr<uint32_t> ReadGreetingCapabilities(int fd, const std::string& endpoint) {
  std::array<uint8_t, 4> header{};
  if (!ReadExactly(fd, header.data(), header.size())) {
    return absl::UnavailableError(absl::StrCat(endpoint, " closed the connection before greeting"));
  }
  const size_t length = header[0] | (header[1] << 8) | (header[2] << 16);
  std::string payload(length, '\0');
  if (length == 0 || !ReadExactly(fd, reinterpret_cast<uint8_t*>(payload.data()), length)) {
    return absl::UnavailableError(absl::StrCat(endpoint, " sent a truncated greeting"));
  }
  if (static_cast<uint8_t>(payload[0]) == 0xff) {
    return absl::UnavailableError(
        absl::StrCat(endpoint, " refused the connection: ", payload.substr(3)));
  }
  if (payload[0] != 10) {
    return absl::FailedPreconditionError(
        absl::StrCat(endpoint, " does not speak protocol version 10"));
  }
  // version string, NUL-terminated; then thread id (4), scramble (8), filler (1), capabilities (2).
  const size_t version_end = payload.find('\0', 1);
  const size_t capabilities_at = version_end + 1 + 4 + 8 + 1;
  if (version_end == std::string::npos || capabilities_at + 2 > payload.size()) {
    return absl::FailedPreconditionError(absl::StrCat(endpoint, " sent a malformed greeting"));
  }
  return static_cast<uint32_t>(static_cast<uint8_t>(payload[capabilities_at]) |
                               (static_cast<uint8_t>(payload[capabilities_at + 1]) << 8));
}

bool SendSslRequest(int fd) {
  std::array<uint8_t, 4 + 32> packet{};
  packet[0] = 32;  // payload length, 3 bytes little-endian
  packet[3] = 1;   // sequence id: the reply to the greeting
  const uint32_t capabilities =
      kClientLongPassword | kClientProtocol41 | kClientSsl | kClientSecureConnection;
  for (int i = 0; i < 4; ++i) packet[4 + i] = static_cast<uint8_t>(capabilities >> (8 * i));
  const uint32_t max_packet = 16u << 20;
  for (int i = 0; i < 4; ++i) packet[8 + i] = static_cast<uint8_t>(max_packet >> (8 * i));
  packet[12] = kUtf8mb4GeneralCi;
  return send(fd, packet.data(), packet.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(packet.size());
}

}  // namespace

absl::StatusOr<std::string> VerifiedServerCertificateFingerprint(const TlsPreflightTarget& target) {
  const std::string endpoint = absl::StrCat(target.host, ":", target.port);
  absl::StatusOr<std::unique_ptr<Socket>> socket = ConnectTcp(target);
  if (!socket.ok()) return socket.status();
  const int fd = (*socket)->fd();
  absl::StatusOr<uint32_t> capabilities = ReadGreetingCapabilities(fd, endpoint);
  if (!capabilities.ok()) return capabilities.status();
  if ((*capabilities & kClientSsl) == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the server at ", endpoint,
        " does not offer TLS, and database.ssl.mode=verify_ca requires it: configure ssl-cert "
        "and ssl-key on the server, or choose another mode"));
  }
  if (!SendSslRequest(fd)) {
    return absl::UnavailableError(absl::StrCat("sending the TLS request to ", endpoint, " failed"));
  }

  std::unique_ptr<SSL_CTX, SslCtxFree> context(SSL_CTX_new(TLS_client_method()));
  if (!context) return absl::InternalError(absl::StrCat("SSL_CTX_new: ", OpenSslErrors()));
  if (SSL_CTX_load_verify_locations(context.get(), target.ca_file.c_str(), nullptr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("database.ssl.ca: cannot load CA file ",
                                                   target.ca_file, ": ", OpenSslErrors()));
  }
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(context.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
    return absl::InternalError(absl::StrCat("SSL_new: ", OpenSslErrors()));
  }
  if (SSL_connect(ssl.get()) != 1) {
    const long verify = SSL_get_verify_result(ssl.get());
    return absl::FailedPreconditionError(absl::StrCat(
        "the TLS certificate of ", endpoint, " does not verify against database.ssl.ca (",
        target.ca_file, "): ",
        verify != X509_V_OK ? X509_verify_cert_error_string(verify) : OpenSslErrors()));
  }
  std::unique_ptr<X509, X509Free> certificate(SSL_get1_peer_certificate(ssl.get()));
  if (!certificate) {
    return absl::FailedPreconditionError(absl::StrCat(endpoint, " presented no TLS certificate"));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (X509_digest(certificate.get(), EVP_sha1(), digest, &digest_length) != 1) {
    return absl::InternalError(absl::StrCat("X509_digest: ", OpenSslErrors()));
  }
  SSL_shutdown(ssl.get());
  return absl::AsciiStrToUpper(absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), digest_length)));
}

}  // namespace sluice::mysql
