#include "runtime/cli/connectors_command.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "runtime/cli/exit_codes.h"
#include "runtime/cli/progress_line.h"
#include "runtime/cli/table.h"
#include "sluice/admin/v1/admin.grpc.pb.h"

namespace sluice::cli {
namespace {

namespace pb = ::sluice::admin::v1;

constexpr char kUsage[] =
    "usage: sluice [--worker host:port] [-o table|json] [TLS options] <command>\n"
    "commands:\n"
    "  connectors list\n"
    "  connectors create -f conn.json [--paused|--stopped]   conn.json: "
    "{\"name\":...,\"config\":{...}}\n"
    "  connectors get NAME | status NAME | topics NAME [--reset]\n"
    "  connectors pause NAME | resume NAME | stop NAME | delete NAME\n"
    "  connectors restart NAME [--include-tasks] [--only-failed] [--task N]\n"
    "  connectors config set NAME -f config.json             replace the whole config\n"
    "  connectors config patch NAME key=value ... [--unset key ...]\n"
    "  connectors offsets get NAME\n"
    "  connectors offsets set NAME -f offsets.json           "
    "{\"offsets\":[{\"partition\":{...},\"offset\":{...}}]}\n"
    "  connectors offsets reset NAME                          (set and reset need a STOPPED "
    "connector)\n"
    "  connectors validate -f conn.json                       also: sluice validate -f conn.json\n"
    "  connectors watch [NAME ...]                            also: sluice watch [NAME ...]\n"
    "  plugins list\n"
    "options:\n"
    "  --worker host:port   the worker's admin API (default $SLUICE_WORKER or 127.0.0.1:8083)\n"
    "  -o, --output FORMAT  table (default) or json\n"
    "  --tls                use TLS (implied by the options below)\n"
    "  --ca FILE            CA bundle that signed the worker's certificate (PEM)\n"
    "  --cert FILE --key FILE  client certificate and key for mutual TLS (PEM)\n"
    "  --timeout SECONDS    per call (default 60)\n"
    "exit codes: 0 ok, 1 error, 2 usage, 3 worker unreachable, 4 not found, 5 already exists,\n"
    "            6 invalid config, 7 wrong state, 8 refused (TLS/authentication)\n";

struct Options {
  std::string worker;
  bool json = false;
  bool tls = false;
  std::string ca, cert, key;
  int timeout_seconds = 60;
  std::vector<std::string> args;  // the rest, flags of subcommands included
};

int Usage(const std::string& problem) {
  std::fprintf(stderr, "sluice: %s\n%s", problem.c_str(), kUsage);
  return kExitUsage;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses the global options anywhere on the command line; everything else stays in order.
std::optional<Options> ParseOptions(int argc, char** argv, std::string* problem) {
  Options o;
  const char* env = std::getenv("SLUICE_WORKER");
  o.worker = env != nullptr && *env != '\0' ? env : "127.0.0.1:8083";
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) {
        *problem = absl::StrCat(a, " needs a value");
        return false;
      }
      *out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--worker") {
      if (!value(&o.worker)) return std::nullopt;
    } else if (a == "-o" || a == "--output") {
      if (!value(&v)) return std::nullopt;
      if (v != "json" && v != "table") {
        *problem = absl::StrCat("-o takes table or json, not `", v, "`");
        return std::nullopt;
      }
      o.json = v == "json";
    } else if (a == "-ojson" || a == "--output=json") {
      o.json = true;
    } else if (a == "--tls") {
      o.tls = true;
    } else if (a == "--ca") {
      if (!value(&o.ca)) return std::nullopt;
      o.tls = true;
    } else if (a == "--cert") {
      if (!value(&o.cert)) return std::nullopt;
      o.tls = true;
    } else if (a == "--key") {
      if (!value(&o.key)) return std::nullopt;
      o.tls = true;
    } else if (a == "--timeout") {
      if (!value(&v)) return std::nullopt;
      if (!absl::SimpleAtoi(v, &o.timeout_seconds) || o.timeout_seconds <= 0) {
        *problem = "--timeout takes a positive number of seconds";
        return std::nullopt;
      }
    } else {
      o.args.push_back(a);
    }
  }
  return o;
}

// True when something accepts a TCP connection at host:port within a second.
bool Listening(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
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

class Client {
 public:
  explicit Client(const Options& o) : options_(o) {}

  // nullopt with a message on stderr when the TLS files cannot be read.
  bool Connect() {
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    if (options_.tls) {
      grpc::SslCredentialsOptions ssl;
      for (auto [path, out, what] : {std::tuple{&options_.ca, &ssl.pem_root_certs, "--ca"},
                                     std::tuple{&options_.cert, &ssl.pem_cert_chain, "--cert"},
                                     std::tuple{&options_.key, &ssl.pem_private_key, "--key"}}) {
        if (path->empty()) continue;
        std::optional<std::string> pem = ReadFile(*path);
        if (!pem) {
          std::fprintf(stderr, "sluice: %s: cannot read `%s`\n", what, path->c_str());
          return false;
        }
        *out = *pem;
      }
      credentials = grpc::SslCredentials(ssl);
    } else {
      credentials = grpc::InsecureChannelCredentials();
    }
    stub_ = pb::Admin::NewStub(grpc::CreateChannel(options_.worker, credentials));
    return true;
  }

  pb::Admin::Stub& stub() { return *stub_; }

  std::unique_ptr<grpc::ClientContext> Context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(options_.timeout_seconds));
    return context;
  }

  // Prints why the call failed and returns the exit code for it.
  int Failed(const grpc::Status& status) const {
    ExitCode code = ExitCodeFor(status);
    // A worker that refuses our TLS handshake (or our plaintext, when it speaks TLS) often shows
    // only as "Socket closed"; if something accepts TCP connections there, it is up and refused us.
    if (code == kExitUnreachable && Listening(options_.worker)) code = kExitRefused;
    if (code == kExitRefused && !options_.tls) {
      std::fprintf(
          stderr,
          "sluice: the worker at %s refused a plaintext connection; if it serves TLS, pass --ca "
          "(and --cert/--key for mutual TLS): %s\n",
          options_.worker.c_str(), status.error_message().c_str());
    } else if (code == kExitUnreachable) {
      std::fprintf(stderr,
                   "sluice: no worker answered at %s (is `sluice worker` running there? --worker "
                   "host:port or $SLUICE_WORKER choose another): %s\n",
                   options_.worker.c_str(), status.error_message().c_str());
    } else if (code == kExitRefused) {
      std::fprintf(stderr,
                   "sluice: the worker at %s refused the connection (TLS or authentication: check "
                   "--ca, --cert, --key): %s\n",
                   options_.worker.c_str(), status.error_message().c_str());
    } else {
      std::fprintf(stderr, "sluice: %s\n", status.error_message().c_str());
    }
    return code;
  }

 private:
  Options options_;
  std::unique_ptr<pb::Admin::Stub> stub_;
};

std::string Json(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

// Reads {"name": ..., "config": {...}} (Kafka Connect's shape); a value that is not a string is
// written as its JSON text (tasks.max: 1 becomes "1").
bool ReadConnectorFile(const std::string& path, std::string* name,
                       std::map<std::string, std::string>* config, bool name_required) {
  std::optional<std::string> text = ReadFile(path);
  if (!text) {
    std::fprintf(stderr, "sluice: cannot read `%s`\n", path.c_str());
    return false;
  }
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
  if (doc.HasParseError() || !doc.IsObject()) {
    std::fprintf(stderr, "sluice: `%s` is not a JSON object\n", path.c_str());
    return false;
  }
  const rapidjson::Value* object = &doc;
  if (auto c = doc.FindMember("config"); c != doc.MemberEnd()) {
    if (!c->value.IsObject()) {
      std::fprintf(stderr, "sluice: `%s`: \"config\" must be an object\n", path.c_str());
      return false;
    }
    object = &c->value;
    if (auto n = doc.FindMember("name"); n != doc.MemberEnd() && n->value.IsString())
      *name = n->value.GetString();
  }
  for (auto m = object->MemberBegin(); m != object->MemberEnd(); ++m) {
    std::string value;
    if (m->value.IsString()) {
      value = m->value.GetString();
    } else if (m->value.IsNull()) {
      continue;
    } else {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      m->value.Accept(writer);
      value = buffer.GetString();
    }
    (*config)[m->name.GetString()] = value;
  }
  if (name->empty()) {
    if (auto it = config->find("name"); it != config->end()) *name = it->second;
  }
  if (name_required && name->empty()) {
    std::fprintf(stderr,
                 "sluice: `%s` names no connector: expected {\"name\": ..., \"config\": {...}}\n",
                 path.c_str());
    return false;
  }
  return true;
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Trace(const std::string& trace) {
  const size_t newline = trace.find('\n');
  return newline == std::string::npos ? trace : trace.substr(0, newline) + " ...";
}

void PrintStatus(const pb::ConnectorStatus& s) {
  Table connector({"CONNECTOR", "STATE", "WORKER", "TRACE"});
  connector.Add({s.name(), s.state_name(), s.worker_id(), Trace(s.trace())});
  std::fputs(connector.Render().c_str(), stdout);
  if (s.offsets_size() > 0) {
    Table progress({"PARTITION", "COMMITTED OFFSET"});
    for (const pb::PartitionOffset& po : s.offsets())
      progress.Add({po.partition_json(), po.offset_json()});
    std::fputs("\n", stdout);
    std::fputs(progress.Render().c_str(), stdout);
  }
  if (s.tasks_size() == 0) return;
  Table tasks({"TASK", "STATE", "WORKER", "TRACE"});
  for (const pb::TaskStatus& t : s.tasks())
    tasks.Add({std::to_string(t.id()), t.state_name(), t.worker_id(), Trace(t.trace())});
  std::fputs("\n", stdout);
  std::fputs(tasks.Render().c_str(), stdout);
  // Each task's own progress report; a plugin that reports none (built for ABI 1.0) leaves only
  // what the committed offsets tell.
  bool reported = false;
  for (const pb::TaskStatus& t : s.tasks()) {
    if (!t.has_progress()) continue;
    if (!reported) std::fputs("\n", stdout);
    reported = true;
    std::printf("task %d: %s%s\n", t.id(), ProgressLine(t.progress()).c_str(),
                StalenessNote(t.progress(), NowMillis()).c_str());
  }
  if (!reported && s.snapshot_running()) {
    std::fputs(
        "\nthe committed offsets say a snapshot is running (the connector reports no progress)\n",
        stdout);
  }
}

std::string TargetName(pb::TargetState s) {
  switch (s) {
    case pb::TARGET_STATE_PAUSED:
      return "PAUSED";
    case pb::TARGET_STATE_STOPPED:
      return "STOPPED";
    default:
      return "STARTED";
  }
}

void PrintConnector(const pb::Connector& c) {
  Table head({"NAME", "STATE", "TARGET", "TASKS"});
  head.Add({c.name(), c.status().state_name(), TargetName(c.target_state()),
            std::to_string(c.task_count())});
  std::fputs(head.Render().c_str(), stdout);
  std::map<std::string, std::string> sorted(c.config().begin(), c.config().end());
  Table config({"KEY", "VALUE"});
  for (const auto& [k, v] : sorted) config.Add({k, v});
  std::fputs("\n", stdout);
  std::fputs(config.Render().c_str(), stdout);
}

// ---- commands ----

int Create(Client& client, const Options& o, const std::vector<std::string>& args) {
  std::string file;
  pb::TargetState initial = pb::TARGET_STATE_STARTED;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-f" || args[i] == "--file") && i + 1 < args.size()) {
      file = args[++i];
    } else if (args[i] == "--paused") {
      initial = pb::TARGET_STATE_PAUSED;
    } else if (args[i] == "--stopped") {
      initial = pb::TARGET_STATE_STOPPED;
    } else {
      return Usage(absl::StrCat("connectors create: unexpected `", args[i], "`"));
    }
  }
  if (file.empty()) return Usage("connectors create needs -f conn.json");
  pb::CreateConnectorRequest request;
  std::string name;
  std::map<std::string, std::string> config;
  if (!ReadConnectorFile(file, &name, &config, true)) return kExitUsage;
  request.set_name(name);
  for (const auto& [k, v] : config) (*request.mutable_config())[k] = v;
  request.set_initial_state(initial);
  pb::Connector reply;
  grpc::Status status = client.stub().CreateConnector(client.Context().get(), request, &reply);
  if (!status.ok()) return client.Failed(status);
  if (o.json) {
    std::puts(Json(reply).c_str());
  } else {
    std::printf("connector %s created (%s)\n", reply.name().c_str(),
                reply.status().state_name().c_str());
  }
  return kExitOk;
}

int ConfigCommand(Client& client, const Options& o, const std::vector<std::string>& args) {
  if (args.size() < 2) return Usage("connectors config set|patch NAME ...");
  const std::string& verb = args[0];
  const std::string& name = args[1];
  pb::Connector connector;
  grpc::Status status;
  if (verb == "set") {
    if (args.size() != 4 || (args[2] != "-f" && args[2] != "--file")) {
      return Usage("connectors config set NAME -f config.json");
    }
    std::string file_name;
    std::map<std::string, std::string> config;
    if (!ReadConnectorFile(args[3], &file_name, &config, false)) return kExitUsage;
    pb::PutConnectorConfigRequest request;
    request.set_name(name);
    for (const auto& [k, v] : config) (*request.mutable_config())[k] = v;
    pb::PutConnectorConfigResponse reply;
    status = client.stub().PutConnectorConfig(client.Context().get(), request, &reply);
    connector = reply.connector();
  } else if (verb == "patch") {
    pb::PatchConnectorConfigRequest request;
    request.set_name(name);
    for (size_t i = 2; i < args.size(); ++i) {
      if (args[i] == "--unset" && i + 1 < args.size()) {
        request.add_remove(args[++i]);
        continue;
      }
      const size_t eq = args[i].find('=');
      if (eq == std::string::npos || eq == 0)
        return Usage(absl::StrCat("expected key=value, not `", args[i], "`"));
      (*request.mutable_set())[args[i].substr(0, eq)] = args[i].substr(eq + 1);
    }
    if (request.set().empty() && request.remove().empty())
      return Usage("connectors config patch: nothing to change");
    status = client.stub().PatchConnectorConfig(client.Context().get(), request, &connector);
  } else {
    return Usage(absl::StrCat("connectors config: unknown `", verb, "` (set, patch)"));
  }
  if (!status.ok()) return client.Failed(status);
  if (o.json) {
    std::puts(Json(connector).c_str());
  } else {
    std::printf("connector %s reconfigured (%s)\n", connector.name().c_str(),
                connector.status().state_name().c_str());
  }
  return kExitOk;
}

// {"offsets":[{"partition":{...},"offset":{...}|null}]} -> requests.
bool ReadOffsetsFile(const std::string& path, pb::AlterOffsetsRequest* request) {
  std::optional<std::string> text = ReadFile(path);
  if (!text) {
    std::fprintf(stderr, "sluice: cannot read `%s`\n", path.c_str());
    return false;
  }
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
  auto offsets = doc.IsObject() ? doc.FindMember("offsets") : doc.MemberEnd();
  if (doc.HasParseError() || !doc.IsObject() || offsets == doc.MemberEnd() ||
      !offsets->value.IsArray()) {
    std::fprintf(stderr,
                 "sluice: `%s`: expected {\"offsets\":[{\"partition\":{...},\"offset\":{...}}]}\n",
                 path.c_str());
    return false;
  }
  auto text_of = [](const rapidjson::Value& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    v.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
  };
  for (const rapidjson::Value& entry : offsets->value.GetArray()) {
    auto partition = entry.IsObject() ? entry.FindMember("partition") : entry.MemberEnd();
    if (!entry.IsObject() || partition == entry.MemberEnd() || !partition->value.IsObject()) {
      std::fprintf(stderr, "sluice: `%s`: every entry needs a \"partition\" object\n",
                   path.c_str());
      return false;
    }
    pb::PartitionOffset* po = request->add_offsets();
    po->set_partition_json(text_of(partition->value));
    if (auto offset = entry.FindMember("offset");
        offset != entry.MemberEnd() && offset->value.IsObject()) {
      po->set_offset_json(text_of(offset->value));
    }
  }
  return true;
}

int OffsetsCommand(Client& client, const Options& o, const std::vector<std::string>& args) {
  if (args.size() < 2) return Usage("connectors offsets get|set|reset NAME");
  const std::string& verb = args[0];
  const std::string& name = args[1];
  if (verb == "get") {
    pb::ConnectorRef request;
    request.set_name(name);
    pb::ConnectorOffsets reply;
    grpc::Status status = client.stub().GetOffsets(client.Context().get(), request, &reply);
    if (!status.ok()) return client.Failed(status);
    if (o.json) {
      // Kafka Connect's GET /connectors/NAME/offsets shape, objects kept as they are stored.
      std::string out = "{\"offsets\":[";
      for (int i = 0; i < reply.offsets_size(); ++i) {
        absl::StrAppend(
            &out, i == 0 ? "" : ",", "{\"partition\":", reply.offsets(i).partition_json(),
            ",\"offset\":",
            reply.offsets(i).offset_json().empty() ? "null" : reply.offsets(i).offset_json(), "}");
      }
      out += "]}";
      std::puts(out.c_str());
    } else {
      Table table({"PARTITION", "OFFSET"});
      for (const pb::PartitionOffset& po : reply.offsets())
        table.Add({po.partition_json(), po.offset_json()});
      std::fputs(table.Render().c_str(), stdout);
    }
    return kExitOk;
  }
  pb::AlterOffsetsResponse reply;
  grpc::Status status;
  if (verb == "set") {
    if (args.size() != 4 || (args[2] != "-f" && args[2] != "--file")) {
      return Usage("connectors offsets set NAME -f offsets.json");
    }
    pb::AlterOffsetsRequest request;
    request.set_name(name);
    if (!ReadOffsetsFile(args[3], &request)) return kExitUsage;
    status = client.stub().AlterOffsets(client.Context().get(), request, &reply);
  } else if (verb == "reset") {
    pb::ConnectorRef request;
    request.set_name(name);
    status = client.stub().ResetOffsets(client.Context().get(), request, &reply);
  } else {
    return Usage(absl::StrCat("connectors offsets: unknown `", verb, "` (get, set, reset)"));
  }
  if (!status.ok()) return client.Failed(status);
  if (o.json) {
    std::puts(Json(reply).c_str());
  } else {
    std::puts(reply.message().c_str());
  }
  return kExitOk;
}

int Validate(Client& client, const Options& o, const std::vector<std::string>& args) {
  if (args.size() != 2 || (args[0] != "-f" && args[0] != "--file"))
    return Usage("validate -f conn.json");
  std::string name;
  std::map<std::string, std::string> config;
  if (!ReadConnectorFile(args[1], &name, &config, false)) return kExitUsage;
  pb::ValidateConfigRequest request;
  for (const auto& [k, v] : config) (*request.mutable_config())[k] = v;
  pb::ValidateConfigResponse reply;
  grpc::Status status = client.stub().ValidateConfig(client.Context().get(), request, &reply);
  if (!status.ok()) return client.Failed(status);
  if (o.json) {
    std::puts(Json(reply).c_str());
  } else {
    Table table({"KEY", "VALUE", "ERRORS"});
    for (const pb::ConfigValueResult& v : reply.values()) {
      table.Add({v.name(), v.value(), absl::StrJoin(v.errors(), "; ")});
    }
    std::fputs(table.Render().c_str(), stdout);
    std::printf(
        "\n%d error(s)%s\n", reply.error_count(),
        reply.plugin().empty() ? "" : absl::StrCat(" (plugin ", reply.plugin(), ")").c_str());
  }
  return reply.error_count() == 0 ? kExitOk : kExitInvalid;
}

int Watch(Client& client, const Options& o, const std::vector<std::string>& names) {
  pb::WatchRequest request;
  for (const std::string& n : names) request.add_connectors(n);
  grpc::ClientContext context;  // no deadline: runs until interrupted
  std::unique_ptr<grpc::ClientReader<pb::WatchEvent>> reader =
      client.stub().Watch(&context, request);
  pb::WatchEvent event;
  // The progress line last printed per task: printed again only when it changes.
  std::map<std::pair<std::string, int>, std::string> last_progress;
  while (reader->Read(&event)) {
    if (o.json) {
      std::string line;
      google::protobuf::util::JsonPrintOptions options;
      options.preserve_proto_field_names = true;
      (void)google::protobuf::util::MessageToJsonString(event, &line, options);
      std::puts(line.c_str());
    } else if (event.has_connector_status()) {
      const pb::ConnectorStatus& s = event.connector_status();
      std::printf("%s  %s%s%s\n", s.name().c_str(), s.state_name().c_str(),
                  s.trace().empty() ? "" : "  ", Trace(s.trace()).c_str());
    } else if (event.has_task_status()) {
      const pb::TaskStatusChange& t = event.task_status();
      std::printf("%s-%d  %s%s%s\n", t.connector().c_str(), t.status().id(),
                  t.status().state_name().c_str(), t.status().trace().empty() ? "" : "  ",
                  Trace(t.status().trace()).c_str());
    } else if (event.has_task_metrics()) {
      const pb::TaskMetrics& m = event.task_metrics();
      std::printf("%s-%d  %lld records sent, %.1f/s, %lld bytes awaiting Kafka's ack\n",
                  m.connector().c_str(), m.task(), static_cast<long long>(m.records_sent()),
                  m.records_per_second(), static_cast<long long>(m.in_flight_bytes()));
      if (m.has_progress()) {
        std::string line = ProgressLine(m.progress());
        std::string& last = last_progress[{m.connector(), m.task()}];
        if (line != last) {
          std::printf("%s-%d  %s\n", m.connector().c_str(), m.task(), line.c_str());
          last = std::move(line);
        }
      }
    } else if (event.has_connector_progress()) {
      const pb::ConnectorProgress& p = event.connector_progress();
      std::vector<std::string> parts;
      for (const pb::PartitionOffset& po : p.offsets())
        parts.push_back(po.partition_json() + " @ " + po.offset_json());
      std::printf("%s  progress%s: %s\n", p.connector().c_str(),
                  p.snapshot_running() ? " (snapshot running)" : "",
                  absl::StrJoin(parts, ", ").c_str());
    } else if (!event.connector_deleted().empty()) {
      std::printf("%s  deleted\n", event.connector_deleted().c_str());
    }
    std::fflush(stdout);
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return client.Failed(status);
  return kExitOk;
}

int Connectors(Client& client, const Options& o, const std::vector<std::string>& args) {
  if (args.empty()) return Usage("connectors: which command?");
  const std::string& cmd = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "list") {
    pb::ListConnectorsResponse reply;
    grpc::Status status =
        client.stub().ListConnectors(client.Context().get(), pb::ListConnectorsRequest(), &reply);
    if (!status.ok()) return client.Failed(status);
    if (o.json) {
      std::puts(Json(reply).c_str());
      return kExitOk;
    }
    Table table({"NAME", "STATE", "TARGET", "TASKS", "CLASS"});
    for (const pb::Connector& c : reply.connectors()) {
      int running = 0;
      for (const pb::TaskStatus& t : c.status().tasks())
        running += t.state() == pb::STATE_RUNNING ? 1 : 0;
      auto cls = c.config().find("connector.class");
      table.Add({c.name(), c.status().state_name(), TargetName(c.target_state()),
                 absl::StrCat(running, "/", c.task_count(), " running"),
                 cls == c.config().end() ? "" : cls->second});
    }
    std::fputs(table.Render().c_str(), stdout);
    return kExitOk;
  }
  if (cmd == "create") return Create(client, o, rest);
  if (cmd == "config") return ConfigCommand(client, o, rest);
  if (cmd == "offsets") return OffsetsCommand(client, o, rest);
  if (cmd == "validate") return Validate(client, o, rest);
  if (cmd == "watch") return Watch(client, o, rest);
  if (rest.empty()) return Usage(absl::StrCat("connectors ", cmd, " needs a connector name"));
  pb::ConnectorRef ref;
  ref.set_name(rest[0]);
  if (cmd == "get") {
    pb::Connector reply;
    grpc::Status status = client.stub().GetConnector(client.Context().get(), ref, &reply);
    if (!status.ok()) return client.Failed(status);
    if (o.json) {
      std::puts(Json(reply).c_str());
    } else {
      PrintConnector(reply);
    }
    return kExitOk;
  }
  if (cmd == "topics") {
    pb::ConnectorTopics reply;
    const bool reset = rest.size() > 1 && rest[1] == "--reset";
    grpc::Status status =
        reset ? client.stub().ResetConnectorTopics(client.Context().get(), ref, &reply)
              : client.stub().GetConnectorTopics(client.Context().get(), ref, &reply);
    if (!status.ok()) return client.Failed(status);
    if (o.json) {
      std::puts(Json(reply).c_str());
    } else {
      for (const std::string& t : reply.topics()) std::puts(t.c_str());
    }
    return kExitOk;
  }
  if (cmd == "delete") {
    pb::DeleteConnectorResponse reply;
    grpc::Status status = client.stub().DeleteConnector(client.Context().get(), ref, &reply);
    if (!status.ok()) return client.Failed(status);
    if (o.json) {
      std::puts("{}");
    } else {
      std::printf("connector %s deleted\n", ref.name().c_str());
    }
    return kExitOk;
  }
  pb::ConnectorStatus reply;
  grpc::Status status;
  if (cmd == "status") {
    status = client.stub().GetConnectorStatus(client.Context().get(), ref, &reply);
  } else if (cmd == "pause") {
    status = client.stub().PauseConnector(client.Context().get(), ref, &reply);
  } else if (cmd == "resume") {
    status = client.stub().ResumeConnector(client.Context().get(), ref, &reply);
  } else if (cmd == "stop") {
    status = client.stub().StopConnector(client.Context().get(), ref, &reply);
  } else if (cmd == "restart") {
    std::optional<int> task;
    pb::RestartConnectorRequest request;
    request.set_name(ref.name());
    for (size_t i = 1; i < rest.size(); ++i) {
      int n = 0;
      if (rest[i] == "--include-tasks") {
        request.set_include_tasks(true);
      } else if (rest[i] == "--only-failed") {
        request.set_only_failed(true);
      } else if (rest[i] == "--task" && i + 1 < rest.size() && absl::SimpleAtoi(rest[i + 1], &n)) {
        task = n;
        ++i;
      } else {
        return Usage(absl::StrCat("connectors restart: unexpected `", rest[i], "`"));
      }
    }
    if (task) {
      pb::TaskRef task_ref;
      task_ref.set_connector(ref.name());
      task_ref.set_task(*task);
      status = client.stub().RestartTask(client.Context().get(), task_ref, &reply);
    } else {
      status = client.stub().RestartConnector(client.Context().get(), request, &reply);
    }
  } else {
    return Usage(absl::StrCat("connectors: unknown command `", cmd, "`"));
  }
  if (!status.ok()) return client.Failed(status);
  if (o.json) {
    std::puts(Json(reply).c_str());
  } else {
    PrintStatus(reply);
  }
  return kExitOk;
}

}  // namespace

int RunClientCommand(const char* group, int argc, char** argv) {
  std::string problem;
  std::optional<Options> options = ParseOptions(argc, argv, &problem);
  if (!options) return Usage(problem);
  for (const std::string& a : options->args) {
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    }
  }
  Client client(*options);
  if (!client.Connect()) return kExitUsage;
  const std::string g = group;
  if (g == "connectors") return Connectors(client, *options, options->args);
  if (g == "validate") return Validate(client, *options, options->args);
  if (g == "watch") return Watch(client, *options, options->args);
  if (g == "plugins") {
    if (options->args.size() != 1 || options->args[0] != "list") return Usage("plugins list");
    pb::ListPluginsResponse reply;
    grpc::Status status =
        client.stub().ListPlugins(client.Context().get(), pb::ListPluginsRequest(), &reply);
    if (!status.ok()) return client.Failed(status);
    if (options->json) {
      std::puts(Json(reply).c_str());
      return kExitOk;
    }
    Table table({"NAME", "VERSION", "ABI", "FILE", "ALIASES"});
    for (const pb::Plugin& p : reply.plugins()) {
      table.Add({p.name(), p.version(), p.abi_version(), p.file(),
                 absl::StrJoin(p.aliases(), ", ")});
    }
    std::fputs(table.Render().c_str(), stdout);
    return kExitOk;
  }
  return Usage(absl::StrCat("unknown command `", g, "`"));
}

}  // namespace sluice::cli
