#include "tests/support/service_endpoints.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace sluice::testing {
namespace {

std::string EnvOr(const char* name, absl::string_view fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : std::string(fallback);
}

unsigned PortFromEnv(const char* name, unsigned fallback) {
  unsigned port = 0;
  return absl::SimpleAtoi(EnvOr(name, ""), &port) ? port : fallback;
}

}  // namespace

unsigned KafkaPort() { return PortFromEnv("KAFKA_PORT", 19092); }
unsigned MariaDbPort() { return PortFromEnv("MARIADB_PORT", 13306); }
unsigned MariaDbScratchPort() { return PortFromEnv("MARIADB_SCRATCH_PORT", 13307); }
unsigned MySqlPort() { return PortFromEnv("MYSQL_PORT", 13316); }
unsigned MySqlScratchPort() { return PortFromEnv("MYSQL_SCRATCH_PORT", MySqlPort() + 1); }
unsigned KafkaScratchPort() { return PortFromEnv("KAFKA_SCRATCH_PORT", 19094); }

std::string KafkaBootstrap() {
  return EnvOr("SLUICE_KAFKA_BOOTSTRAP", absl::StrCat("127.0.0.1:", KafkaPort()));
}

std::string KafkaScratchBootstrap() { return absl::StrCat("127.0.0.1:", KafkaScratchPort()); }

MariaDbAccount MariaDbAdmin() {
  return {EnvOr("SLUICE_MARIADB_HOST", "127.0.0.1"), MariaDbPort(), "sluice_admin", "sluice-admin"};
}

MariaDbAccount MariaDbCdc() {
  return {EnvOr("SLUICE_MARIADB_HOST", "127.0.0.1"), MariaDbPort(), "sluice_cdc", "sluice-cdc"};
}

namespace {
// The same account on a scratch server's port.
MariaDbAccount OnPort(MariaDbAccount account, unsigned port) {
  account.port = port;
  return account;
}
}  // namespace

MariaDbAccount MariaDbScratchAdmin() { return OnPort(MariaDbAdmin(), MariaDbScratchPort()); }
MariaDbAccount MariaDbScratchCdc() { return OnPort(MariaDbCdc(), MariaDbScratchPort()); }

namespace {
std::string ServiceFolder(absl::string_view service, unsigned port) {
  const std::string cache = EnvOr("SLUICE_CACHE", absl::StrCat(EnvOr("SLUICE_SOURCE_DIR", "."), "/.cache"));
  return absl::StrCat(cache, "/services/", service, "-", port);
}
}  // namespace

std::string MariaDbTlsFile(absl::string_view name) {
  return absl::StrCat(ServiceFolder("mariadb", MariaDbPort()), "/tls/", name);
}

MariaDbAccount MySqlAdmin() { return {"127.0.0.1", MySqlPort(), "sluice_admin", "sluice-admin"}; }

MariaDbAccount MySqlCdc() { return {"127.0.0.1", MySqlPort(), "sluice_cdc", "sluice-cdc"}; }

MariaDbAccount MySqlScratchAdmin() { return OnPort(MySqlAdmin(), MySqlScratchPort()); }
MariaDbAccount MySqlScratchCdc() { return OnPort(MySqlCdc(), MySqlScratchPort()); }

std::string MySqlTlsFile(absl::string_view name) {
  return absl::StrCat(ServiceFolder("mysql", MySqlPort()), "/tls/", name);
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string UniqueName(absl::string_view prefix) {
  static std::atomic<int> counter{0};
  return absl::StrCat(prefix, "_", static_cast<int>(getpid()), "_", counter.fetch_add(1));
}

absl::Status CheckServiceReachable(absl::string_view service, unsigned port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  if (!connected && errno == EINPROGRESS) {
    pollfd waiting{fd, POLLOUT, 0};
    int error = 0;
    socklen_t length = sizeof error;
    connected = poll(&waiting, 1, 1000) == 1 &&
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
  }
  close(fd);
  if (connected) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(
      service, " is not accepting connections on 127.0.0.1:", port,
      ". The CTest fixture starts it (scripts/services/", service,
      " start); if it was running, it died: see its log under .cache/services/"));
}

}  // namespace sluice::testing
