// The client side of the `sluice` commands: their global options, the connection to a worker's
// admin API, and the one way a command calls it and prints the answer (Client::Call).
#ifndef SLUICE_RUNTIME_CLI_CLIENT_H_
#define SLUICE_RUNTIME_CLI_CLIENT_H_

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "runtime/cli/exit_codes.h"
#include "sluice/admin/v1/admin.grpc.pb.h"

namespace sluice::cli {

struct ClientOptions {
  std::string worker;             // host:port: --worker, else $SLUICE_WORKER, else 127.0.0.1:8083
  bool json = false;              // -o json (or -o proto)
  bool proto = false;             // -o proto: always the proto's JSON mapping, every field
  bool tls = false;               // --tls, implied by --ca, --cert and --key
  std::string ca, cert, key;      // PEM files
  // The admin token sent as `authorization: Bearer <token>`: --token-file FILE (read by
  // Client::Connect), else $SLUICE_TOKEN. Empty: none is sent.
  std::string token_file;
  std::string token;
  int timeout_seconds = 60;       // per unary call
  std::vector<std::string> args;  // everything else, in order: the command words and arguments
};

// How many words `arg` and its value take when it is a global option (2 for `--worker X`, 1 for
// `--tls` or `-ojson`), 0 when it is not one. `sluice` uses it to find a client command's word
// after options written before it.
int GlobalOptionLength(std::string_view arg);

// Reads the global options anywhere on the command line. InvalidArgument names a bad one.
absl::StatusOr<ClientOptions> ParseClientOptions(int argc, char** argv);

// How a command's answer prints.
template <typename Reply>
struct Printer {
  // -o table, the default: text for people.
  std::function<void(const Reply&, std::ostream&)> table = nullptr;
  // -o json: the text for scripts, Kafka Connect's REST body where the REST API has the call
  // (kafka_connect_json.h); unset, and with -o proto, the proto's JSON mapping (ProtoJson).
  std::function<std::string(const Reply&)> json = nullptr;
  // The exit code of an answer; unset, 0 (validate: 6 when the config has errors).
  std::function<int(const Reply&)> exit_code = nullptr;
};

// A message in the proto's JSON mapping, field names as in admin.proto: an answer indented,
// with every field (defaults included); a stream's message (indented = false) on one line, with
// the fields that are set.
std::string ProtoJson(const google::protobuf::Message& message, bool indented = true);

// One command's connection to a worker. Writes answers to `out`, failures to `err`.
class Client {
 public:
  using Stub = ::sluice::admin::v1::Admin::StubInterface;

  Client(ClientOptions options, std::ostream& out, std::ostream& err);

  // Opens the channel. False, with the reason on `err`, when a TLS file or the token file cannot
  // be read.
  bool Connect();

  const ClientOptions& options() const { return options_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // Calls `rpc` with `request` under the --timeout deadline, again while the worker answers
  // ABORTED (retry). On success prints the answer as
  // `-o` asks and returns `print.exit_code` of it (0 when unset); on failure prints why (where it
  // looked, when no worker answered or one refused us) and returns the documented exit code for
  // the gRPC status (exit_codes.h).
  template <typename Request, typename Reply>
  int Call(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Reply*),
           const Request& request, const std::type_identity_t<Printer<Reply>>& print);

  // Follows a server stream (watch) until the worker ends it or the user interrupts: no deadline;
  // each message printed as it comes and flushed (`-o json`: one line of JSON each). Failures as
  // for Call.
  template <typename Request, typename Reply>
  int Follow(std::unique_ptr<grpc::ClientReaderInterface<Reply>> (Stub::*rpc)(grpc::ClientContext*,
                                                                              const Request&),
             const Request& request,
             const std::type_identity_t<std::function<void(const Reply&, std::ostream&)>>& table);

 private:
  static constexpr std::chrono::milliseconds kMaxRetryPause{1000};
  // Prints why a call failed; returns its exit code.
  int Failed(const grpc::Status& status);
  // Adds the admin token to a call's metadata, when there is one.
  void Authorize(grpc::ClientContext& context) const;

  ClientOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<Stub> stub_;
};

template <typename Request, typename Reply>
int Client::Call(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Reply*),
                 const Request& request, const std::type_identity_t<Printer<Reply>>& print) {
  const auto deadline =
      std::chrono::system_clock::now() + std::chrono::seconds(options_.timeout_seconds);
  Reply reply;
  grpc::Status status;
  // ABORTED is the admin API's "retry in a moment" (a rebalance, a connector moving between
  // workers, a stopped connector's tasks still committing: docs/admin-api.md), and nothing was
  // done: ask again, backing off, until the --timeout deadline, as Kafka Connect's clients retry
  // its 409. `stop NAME` then `offsets reset NAME` works without a sleep between them.
  for (std::chrono::milliseconds pause(100);; pause = std::min(2 * pause, kMaxRetryPause)) {
    grpc::ClientContext context;
    Authorize(context);
    context.set_deadline(deadline);
    reply.Clear();
    status = (stub_.get()->*rpc)(&context, request, &reply);
    if (status.error_code() != grpc::StatusCode::ABORTED ||
        std::chrono::system_clock::now() + pause >= deadline) {
      break;
    }
    std::this_thread::sleep_for(pause);
  }
  if (!status.ok()) return Failed(status);
  if (options_.json) {
    out_ << (print.json && !options_.proto ? print.json(reply) : ProtoJson(reply)) << '\n';
  } else {
    print.table(reply, out_);
  }
  out_.flush();
  return print.exit_code ? print.exit_code(reply) : kExitOk;
}

template <typename Request, typename Reply>
int Client::Follow(
    std::unique_ptr<grpc::ClientReaderInterface<Reply>> (Stub::*rpc)(grpc::ClientContext*,
                                                                     const Request&),
    const Request& request,
    const std::type_identity_t<std::function<void(const Reply&, std::ostream&)>>& table) {
  grpc::ClientContext context;
  Authorize(context);
  std::unique_ptr<grpc::ClientReaderInterface<Reply>> reader =
      (stub_.get()->*rpc)(&context, request);
  Reply message;
  while (reader->Read(&message)) {
    if (options_.json) {
      out_ << ProtoJson(message, /*indented=*/false) << '\n';
    } else {
      table(message, out_);
    }
    out_.flush();
  }
  const grpc::Status status = reader->Finish();
  return status.ok() ? kExitOk : Failed(status);
}

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_CLIENT_H_
