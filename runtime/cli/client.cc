#include "runtime/cli/client.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "runtime/cli/client_files.h"

namespace sluice::cli {
namespace {

// True when something accepts a TCP connection at host:port within a second.
bool Listening(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port = address.substr(colon + 1);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return false;
  bool ok = false;
  for (addrinfo* a = found; a != nullptr && !ok; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    timeval timeout{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    ok = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0;
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return ok;
}

}  // namespace

int GlobalOptionLength(std::string_view arg) {
  if (arg == "--tls" || arg == "-ojson" || arg == "--output=json" || arg == "-oproto" ||
      arg == "--output=proto") {
    return 1;
  }
  if (arg == "--worker" || arg == "-o" || arg == "--output" || arg == "--ca" || arg == "--cert" ||
      arg == "--key" || arg == "--timeout" || arg == "--token-file") {
    return 2;
  }
  return 0;
}

absl::StatusOr<ClientOptions> ParseClientOptions(int argc, char** argv) {
  ClientOptions o;
  const char* env = std::getenv("SLUICE_WORKER");
  o.worker = env != nullptr && *env != '\0' ? env : "127.0.0.1:8083";
  const char* token = std::getenv("SLUICE_TOKEN");
  if (token != nullptr) o.token = std::string(absl::StripAsciiWhitespace(token));
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    const int length = GlobalOptionLength(a);
    if (length == 0) {
      o.args.push_back(a);
      continue;
    }
    if (length == 1) {
      if (a == "--tls") {
        o.tls = true;
      } else {
        o.json = true;
        o.proto = absl::EndsWith(a, "proto");
      }
      continue;
    }
    if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat(a, " needs a value"));
    const std::string v = argv[++i];
    if (a == "--worker") {
      o.worker = v;
    } else if (a == "-o" || a == "--output") {
      if (v != "json" && v != "table" && v != "proto") {
        return absl::InvalidArgumentError(
            absl::StrCat("-o takes table, json or proto, not `", v, "`"));
      }
      o.json = v != "table";
      o.proto = v == "proto";
    } else if (a == "--token-file") {
      o.token_file = v;
    } else if (a == "--timeout") {
      if (!absl::SimpleAtoi(v, &o.timeout_seconds) || o.timeout_seconds <= 0) {
        return absl::InvalidArgumentError("--timeout takes a positive number of seconds");
      }
    } else {
      (a == "--ca" ? o.ca : a == "--cert" ? o.cert : o.key) = v;
      o.tls = true;
    }
  }
  return o;
}

std::string ProtoJson(const google::protobuf::Message& message, bool indented) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = indented;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = indented;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

Client::Client(ClientOptions options, std::ostream& out, std::ostream& err)
    : options_(std::move(options)), out_(out), err_(err) {}

bool Client::Connect() {
  if (!options_.token_file.empty()) {
    std::optional<std::string> text = ReadWholeFile(options_.token_file);
    if (!text) {
      err_ << "sluice: --token-file: cannot read `" << options_.token_file << "`\n";
      return false;
    }
    options_.token = std::string(absl::StripAsciiWhitespace(*text));
    if (options_.token.empty()) {
      err_ << "sluice: --token-file: `" << options_.token_file << "` is empty\n";
      return false;
    }
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options_.tls) {
    grpc::SslCredentialsOptions ssl;
    for (auto [path, pem, what] : {std::tuple{&options_.ca, &ssl.pem_root_certs, "--ca"},
                                   std::tuple{&options_.cert, &ssl.pem_cert_chain, "--cert"},
                                   std::tuple{&options_.key, &ssl.pem_private_key, "--key"}}) {
      if (path->empty()) continue;
      std::optional<std::string> text = ReadWholeFile(*path);
      if (!text) {
        err_ << "sluice: " << what << ": cannot read `" << *path << "`\n";
        return false;
      }
      *pem = std::move(*text);
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  stub_ = ::sluice::admin::v1::Admin::NewStub(grpc::CreateChannel(options_.worker, credentials));
  return true;
}

void Client::Authorize(grpc::ClientContext& context) const {
  if (!options_.token.empty()) context.AddMetadata("authorization", "Bearer " + options_.token);
}

int Client::Failed(const grpc::Status& status) {
  ExitCode code = ExitCodeFor(status);
  const std::string& worker = options_.worker;
  const std::string& message = status.error_message();
  // The worker's own answer while it waits for Kafka at start (runtime/admin/admin_service.cc
  // words it so): it is there and will answer, it did not refuse us.
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
      absl::StrContains(message, "the worker is starting")) {
    err_ << "sluice: the worker at " << worker << " is still starting: " << message << '\n';
    return kExitUnreachable;
  }
  // A worker that refuses our TLS handshake (or our plaintext, when it speaks TLS) often shows
  // only as "Socket closed"; if something accepts TCP connections there, it is up and refused us.
  if (code == kExitUnreachable && Listening(options_.worker)) code = kExitRefused;
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    const std::string source = !options_.token_file.empty()
                                   ? "the token of --token-file " + options_.token_file
                                   : "the token of $SLUICE_TOKEN";
    if (options_.token.empty()) {
      err_ << "sluice: the worker at " << worker
           << " asks for an admin token: pass --token-file FILE or set $SLUICE_TOKEN to the "
              "token in the worker's sluice.admin.token.file: "
           << message << '\n';
    } else {
      err_ << "sluice: the worker at " << worker << " refused " << source
           << " (it must be the one in the worker's sluice.admin.token.file): " << message
           << '\n';
    }
  } else if (code == kExitRefused && !options_.tls) {
    err_ << "sluice: the worker at " << worker
         << " refused a plaintext connection; if it serves TLS, pass --ca (and --cert/--key for "
            "mutual TLS): "
         << message << '\n';
  } else if (code == kExitUnreachable) {
    err_ << "sluice: no worker answered at " << worker
         << " (is `sluice worker` running there? --worker host:port or $SLUICE_WORKER choose "
            "another): "
         << message << '\n';
  } else if (code == kExitRefused) {
    err_ << "sluice: the worker at " << worker
         << " refused the connection (TLS or authentication: check --ca, --cert, --key): "
         << message << '\n';
  } else {
    err_ << "sluice: " << message << '\n';
  }
  return code;
}

}  // namespace sluice::cli
