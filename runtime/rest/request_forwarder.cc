#include "runtime/rest/request_forwarder.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "httplib.h"
#include "runtime/rest_json/rest_json.h"

namespace sluice::rest {
namespace {

// Percent-encodes every byte but the unreserved ones (and '/' in a path).
std::string Escape(absl::string_view text, bool keep_slash) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

RestResponse ErrorResponse(int status, absl::string_view message) {
  return {status, ErrorJson(status, message), ""};
}

}  // namespace

RequestForwarder::RequestForwarder(const config::WorkerConfig& config, absl::Duration timeout)
    : scheme_(!config.rest_advertised_listener.empty() ? config.rest_advertised_listener
              : config.rest_https                      ? "https"
                                                       : "http"),
      truststore_(config.rest_ssl_truststore),
      keystore_(config.rest_ssl_client_auth_required ? config.rest_ssl_keystore : ""),
      timeout_(timeout) {}

RestResponse RequestForwarder::Forward(const RestRequest& request,
                                      const std::string& worker_id) const {
  auto given = request.params.find("forward");
  const bool has_forward = given != request.params.end();
  if (has_forward && absl::AsciiStrToLower(given->second) != "true") {
    return ErrorResponse(409, kConflictingOperationMessage);
  }
  // The first hop allows one more (the leader may have changed since this worker last heard).
  std::string target = absl::StrCat(Escape(request.path, /*keep_slash=*/true),
                                    "?forward=", has_forward ? "false" : "true");
  for (const auto& [key, value] : request.params) {
    if (key == "forward") continue;
    absl::StrAppend(&target, "&", Escape(key, false), "=", Escape(value, false));
  }

  const std::string base = absl::StrCat(scheme_, "://", worker_id);
  std::unique_ptr<httplib::Client> client =
      keystore_.empty() ? std::make_unique<httplib::Client>(base)
                        : std::make_unique<httplib::Client>(base, keystore_, keystore_);
  client->set_url_encode(false);  // encoded above
  const int64_t micros = absl::ToInt64Microseconds(timeout_);
  client->set_connection_timeout(micros / 1000000, micros % 1000000);
  client->set_read_timeout(micros / 1000000, micros % 1000000);
  client->set_write_timeout(micros / 1000000, micros % 1000000);
  if (scheme_ == "https") {
    if (!truststore_.empty()) client->set_ca_cert_path(truststore_);
    client->enable_server_certificate_verification(true);
  }

  httplib::Request forwarded;
  forwarded.method = request.method;
  forwarded.path = target;
  forwarded.body = request.body;
  if (!request.authorization.empty()) {
    forwarded.headers.emplace("Authorization", request.authorization);
  }
  if (!request.body.empty()) forwarded.headers.emplace("Content-Type", "application/json");
  httplib::Result result = client->send(forwarded);
  if (!result && result.error() == httplib::Error::Connection) {
    // Nothing listens there: the worker left (a leader change under way, or the connector moving),
    // which this worker learns with the next assignment. Retry, as during a rebalance.
    return ErrorResponse(409, kRebalanceMessage);
  }
  if (!result) {
    return ErrorResponse(500, absl::StrCat("IO Error trying to forward REST request: ",
                                           httplib::to_string(result.error()), " (", base, ")"));
  }
  RestResponse out;
  out.status = result->status;
  out.body = result->body;
  const std::string type = result->get_header_value("Content-Type");
  if (!type.empty() && type != "application/json") out.content_type = type;
  return out;
}

}  // namespace sluice::rest
