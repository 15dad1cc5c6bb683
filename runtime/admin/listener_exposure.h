// Who can reach the admin listener, and what the worker accepts for that: loopback is reachable
// only from this host; any other address (0.0.0.0, a LAN address, a name that resolves to one)
// from others too, so it must not serve plaintext unless the operator says so by name.
#ifndef SLUICE_RUNTIME_ADMIN_LISTENER_EXPOSURE_H_
#define SLUICE_RUNTIME_ADMIN_LISTENER_EXPOSURE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "runtime/common/log.h"
#include "runtime/config/worker_config.h"

namespace sluice::admin {

// A listener's host (brackets of an IPv6 literal removed; empty for "all addresses") and port.
struct ListenerAddress {
  std::string host;
  std::string port;
};
ListenerAddress SplitListener(absl::string_view listener);

// Whether `listener` (host:port, `[v6]:port`) binds only loopback addresses: 127.0.0.0/8, ::1,
// `localhost`, or a name every address of which is one of those. An empty host, 0.0.0.0, [::],
// and a name that does not resolve count as reachable from other hosts.
bool IsLoopbackListener(absl::string_view listener);

// A listener of one of the worker's APIs (the gRPC admin API, the REST API), as the rule below
// sees it.
struct ExposedListener {
  std::string api;           // "admin API", "REST API": how messages name it
  std::string listener;      // host:port
  std::string listener_key;  // the key that set it
  bool tls = false;
  bool callers_identified = false;  // mutual TLS or a token says who may call
  std::string secure_advice;        // how to make it TLS (and identify callers), for the refusal
  std::string identify_advice;      // how to identify callers, for the warning
  std::string allow_key;            // the key that allows plaintext on it
  bool plaintext_allowed = false;   // that key's value
};

// The one rule for every listener, applied before anything listens:
//   - a listener other hosts can reach without TLS is refused (FailedPrecondition naming
//     the listener key, how to secure it and the allow key), unless the allow key is true; then a
//     WARN naming it is logged, on every start;
//   - a listener other hosts can reach with TLS but without identified callers gets a WARN
//     that anyone who reaches it may change connectors.
absl::Status CheckListenerExposure(const ExposedListener& listener, const LogSink& log);

// The rule for the admin listener (`sluice.admin.*` keys).
absl::Status CheckListenerExposure(const config::WorkerConfig& config, const LogSink& log);

}  // namespace sluice::admin

#endif  // SLUICE_RUNTIME_ADMIN_LISTENER_EXPOSURE_H_
