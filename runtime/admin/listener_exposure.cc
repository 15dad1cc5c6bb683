#include "runtime/admin/listener_exposure.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace sluice::admin {
namespace {

constexpr char kWho[] = "admin";

bool IsLoopbackAddress(const sockaddr* address) {
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  if (address->sa_family == AF_INET6) {
    const in6_addr& v6 = reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

}  // namespace

ListenerAddress SplitListener(absl::string_view listener) {
  const size_t colon = listener.rfind(':');
  if (colon == absl::string_view::npos) return {std::string(listener), ""};
  ListenerAddress out{std::string(listener.substr(0, colon)),
                      std::string(listener.substr(colon + 1))};
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  return out;
}

bool IsLoopbackListener(absl::string_view listener) {
  const std::string host = SplitListener(listener).host;
  if (host.empty()) return false;
  if (absl::AsciiStrToLower(host) == "localhost") return true;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return false;
  bool loopback = found != nullptr;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    loopback = loopback && IsLoopbackAddress(a->ai_addr);
  }
  ::freeaddrinfo(found);
  return loopback;
}

absl::Status CheckListenerExposure(const ExposedListener& l, const LogSink& log) {
  if (IsLoopbackListener(l.listener)) return absl::OkStatus();
  if (!l.tls && !l.plaintext_allowed) {
    return absl::FailedPreconditionError(absl::StrCat(
        l.api, ": `", l.listener_key, "` ", l.listener,
        " is reachable from other hosts, and without TLS anyone who reaches it could create "
        "and delete connectors and read their offsets in plaintext. Listen on loopback "
        "(127.0.0.1:PORT), or ", l.secure_advice, "; to serve plaintext there anyway, set `",
        l.allow_key, "=true`"));
  }
  if (!l.tls) {
    log(LogLevel::kWarn, kWho,
        absl::StrCat("INSECURE: the ", l.api, " listens on ", l.listener,
                     " in plaintext, reachable from other hosts, because `", l.allow_key,
                     "=true`: calls travel unencrypted",
                     l.callers_identified
                         ? " (the token too)"
                         : absl::StrCat(", and anyone who reaches it may create and delete "
                                        "connectors; ",
                                        l.identify_advice)));
    return absl::OkStatus();
  }
  if (!l.callers_identified) {
    log(LogLevel::kWarn, kWho,
        absl::StrCat("the ", l.api, " on ", l.listener,
                     " is reachable from other hosts and asks callers for neither a client "
                     "certificate nor a token: anyone who reaches it may create and delete "
                     "connectors; ",
                     l.identify_advice));
  }
  return absl::OkStatus();
}

absl::Status CheckListenerExposure(const config::WorkerConfig& config, const LogSink& log) {
  ExposedListener l;
  l.api = "admin API";
  l.listener = config.admin_listener;
  l.listener_key = "sluice.admin.listener";
  l.tls = !config.admin_ssl_certificate.empty();
  l.callers_identified = !config.admin_ssl_client_ca.empty() || !config.admin_token_file.empty();
  l.secure_advice =
      "set `sluice.admin.ssl.certificate.location` and `sluice.admin.ssl.key.location` (with "
      "`sluice.admin.ssl.client.ca.location` or `sluice.admin.token.file` to say who may call)";
  l.identify_advice = l.tls ? "set `sluice.admin.ssl.client.ca.location` or `sluice.admin.token.file`"
                            : "set `sluice.admin.token.file`";
  l.allow_key = "sluice.admin.insecure.listener.allowed";
  l.plaintext_allowed = config.admin_insecure_listener_allowed;
  return CheckListenerExposure(l, log);
}

}  // namespace sluice::admin
