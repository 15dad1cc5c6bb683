#include "runtime/cli/client_commands.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "runtime/cli/client.h"
#include "runtime/cli/client_files.h"
#include "runtime/cli/client_output.h"
#include "runtime/cli/exit_codes.h"
#include "runtime/cli/kafka_connect_json.h"
#include "runtime/cli/table.h"

namespace sluice::cli {
namespace {

namespace pb = ::sluice::admin::v1;
using Stub = Client::Stub;
using Args = std::vector<std::string>;

constexpr char kUsageHead[] =
    "usage: sluice [--worker host:port] [-o table|json|proto] [TLS options] [--token-file FILE] "
    "<command>\n"
    "commands:\n";
constexpr char kUsageTail[] =
    "options:\n"
    "  --worker host:port   the worker's admin API (default $SLUICE_WORKER or 127.0.0.1:8083)\n"
    "  -o, --output FORMAT  table (default); json: Kafka Connect's REST bodies where the REST API\n"
    "                       has the call, else the admin API's answer; proto: the admin API's\n"
    "                       answer (every field, as admin.proto names them)\n"
    "  --tls                use TLS (implied by the options below)\n"
    "  --ca FILE            CA bundle that signed the worker's certificate (PEM)\n"
    "  --cert FILE --key FILE  client certificate and key for mutual TLS (PEM)\n"
    "  --token-file FILE    the admin token (the worker's sluice.admin.token.file; default\n"
    "                       $SLUICE_TOKEN)\n"
    "  --timeout SECONDS    per call (default 60)\n"
    "exit codes: 0 ok, 1 error, 2 usage, 3 worker unreachable, 4 not found, 5 already exists,\n"
    "            6 invalid config, 7 wrong state, 8 refused (TLS/authentication)\n";
constexpr size_t kHelpColumn = 47;

std::string UsageText();

// One run of a command: the connection, the command as the user spelled it (for messages) and
// the arguments after its words.
struct Invocation {
  Client& client;
  absl::string_view command;
  absl::string_view arguments;  // the command's documented arguments
  Args args;

  // A bad command line: the problem, then the usage. Returns the exit code for it.
  int Usage(absl::string_view problem) const {
    client.err() << "sluice: " << command << ": " << problem << '\n' << UsageText();
    return kExitUsage;
  }
  int Expected() const { return Usage(absl::StrCat("expected ", command, " ", arguments)); }
  int Unexpected(const std::string& arg) const {
    return Usage(absl::StrCat("unexpected `", arg, "`"));
  }
  // An input file the command could not use (exit 2, no usage: the message says what is wrong).
  int BadFile(const absl::Status& status) const {
    client.err() << "sluice: " << status.message() << '\n';
    return kExitUsage;
  }
};

// ---- how answers print ----

// `-o json` prints Kafka Connect's REST bodies where the REST API has the call
// (kafka_connect_json.h); the rest print the proto's JSON mapping.
const Printer<pb::ConnectorStatus> kStatus{.table = PrintConnectorStatus,
                                           .json = ConnectorStatusJson};

// A changed config: its state in a line, or the connector as Kafka Connect's ConnectorInfo.
Printer<pb::Connector> Reconfigured() {
  return {.table =
              [](const pb::Connector& c, std::ostream& out) {
                out << "connector " << c.name() << " reconfigured (" << c.status().state_name()
                    << ")\n";
              },
          .json = ConnectorInfoJson};
}

// What the worker says it did to the offsets.
const Printer<pb::AlterOffsetsResponse> kOffsetsChanged{
    .table = [](const pb::AlterOffsetsResponse& r,
                std::ostream& out) { out << r.message() << '\n'; },
    .json = OffsetsChangedJson};

// ---- the commands ----

// A command whose only argument is the connector's NAME.
template <typename Reply>
int OnName(const Invocation& in,
           grpc::Status (Stub::*rpc)(grpc::ClientContext*, const pb::ConnectorRef&, Reply*),
           const std::type_identity_t<Printer<Reply>>& print) {
  if (in.args.size() != 1) return in.Expected();
  pb::ConnectorRef ref;
  ref.set_name(in.args[0]);
  return in.client.Call(rpc, ref, print);
}

int List(const Invocation& in) {
  if (!in.args.empty()) return in.Unexpected(in.args[0]);
  return in.client.Call(&Stub::ListConnectors, pb::ListConnectorsRequest(),
                        {.table = PrintConnectorList, .json = ConnectorListJson});
}

int Create(const Invocation& in) {
  std::string file;
  pb::CreateConnectorRequest request;
  request.set_initial_state(pb::TARGET_STATE_STARTED);
  for (size_t i = 0; i < in.args.size(); ++i) {
    const std::string& a = in.args[i];
    if ((a == "-f" || a == "--file") && i + 1 < in.args.size()) {
      file = in.args[++i];
    } else if (a == "--paused") {
      request.set_initial_state(pb::TARGET_STATE_PAUSED);
    } else if (a == "--stopped") {
      request.set_initial_state(pb::TARGET_STATE_STOPPED);
    } else {
      return in.Unexpected(a);
    }
  }
  if (file.empty()) return in.Usage("needs -f conn.json");
  absl::StatusOr<ConnectorFile> connector = ReadConnectorFile(file, /*name_required=*/true);
  if (!connector.ok()) return in.BadFile(connector.status());
  request.set_name(connector->name);
  request.mutable_config()->insert(connector->config.begin(), connector->config.end());
  return in.client.Call(&Stub::CreateConnector, request,
                        {.table =
                             [](const pb::Connector& c, std::ostream& out) {
                               out << "connector " << c.name() << " created ("
                                   << c.status().state_name() << ")\n";
                             },
                         .json = ConnectorInfoJson});
}

int Get(const Invocation& in) {
  return OnName(in, &Stub::GetConnector, {.table = PrintConnector, .json = ConnectorInfoJson});
}

int ConfigGet(const Invocation& in) {
  return OnName(in, &Stub::GetConnector,
                {.table = [](const pb::Connector& c,
                             std::ostream& out) { PrintConfig(c.config(), out); },
                 .json = ConnectorConfigJson});
}

int Tasks(const Invocation& in) {
  const std::string name = in.args.empty() ? "" : in.args[0];
  return OnName(in, &Stub::GetTaskConfigs,
                {.table = [](const pb::TaskConfigs& t, std::ostream& out) { PrintTasks(t, out); },
                 .json = [&name](const pb::TaskConfigs& t) { return TaskConfigsJson(name, t); }});
}
int Status(const Invocation& in) { return OnName(in, &Stub::GetConnectorStatus, kStatus); }
int Pause(const Invocation& in) { return OnName(in, &Stub::PauseConnector, kStatus); }
int Resume(const Invocation& in) { return OnName(in, &Stub::ResumeConnector, kStatus); }
int Stop(const Invocation& in) { return OnName(in, &Stub::StopConnector, kStatus); }

int Delete(const Invocation& in) {
  const std::string name = in.args.empty() ? "" : in.args[0];
  return OnName(
      in, &Stub::DeleteConnector,
      {.table = [&name](const pb::DeleteConnectorResponse&,
                        std::ostream& out) { out << "connector " << name << " deleted\n"; },
       .json = [](const pb::DeleteConnectorResponse&) { return std::string("{}"); }});
}

int Restart(const Invocation& in) {
  if (in.args.empty()) return in.Expected();
  pb::RestartConnectorRequest request;
  request.set_name(in.args[0]);
  std::optional<int> task;
  for (size_t i = 1; i < in.args.size(); ++i) {
    const std::string& a = in.args[i];
    int n = 0;
    if (a == "--include-tasks") {
      request.set_include_tasks(true);
    } else if (a == "--only-failed") {
      request.set_only_failed(true);
    } else if (a == "--task" && i + 1 < in.args.size() && absl::SimpleAtoi(in.args[i + 1], &n)) {
      task = n;
      ++i;
    } else {
      return in.Unexpected(a);
    }
  }
  const Printer<pb::ConnectorStatus> restarted{
      .table = [](const pb::ConnectorStatus& s, std::ostream& out) {
        out << RestartedLine(s) << "\n\n";
        PrintConnectorStatus(s, out);
      }};
  if (!task) return in.client.Call(&Stub::RestartConnector, request, restarted);
  pb::TaskRef task_ref;
  task_ref.set_connector(request.name());
  task_ref.set_task(*task);
  return in.client.Call(&Stub::RestartTask, task_ref, restarted);
}

int Topics(const Invocation& in) {
  if (in.args.empty() || in.args.size() > 2) return in.Expected();
  if (in.args.size() == 2 && in.args[1] != "--reset") return in.Unexpected(in.args[1]);
  pb::ConnectorRef ref;
  ref.set_name(in.args[0]);
  return in.client.Call(
      in.args.size() == 2 ? &Stub::ResetConnectorTopics : &Stub::GetConnectorTopics, ref,
      {.table =
           [](const pb::ConnectorTopics& t, std::ostream& out) {
             for (const std::string& topic : t.topics()) out << topic << '\n';
           },
       .json = [&ref](const pb::ConnectorTopics& t) { return ActiveTopicsJson(ref.name(), t); }});
}

// One row per logger: name, effective level, when it was last set at run time (UTC) or "-".
std::string LoggerTable(const std::vector<const pb::Logger*>& loggers) {
  Table table({"LOGGER", "LEVEL", "SET AT"});
  for (const pb::Logger* l : loggers) {
    table.Add({l->name(), l->level(),
               l->has_last_modified_ms()
                   ? absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                      absl::FromUnixMillis(l->last_modified_ms()),
                                      absl::UTCTimeZone())
                   : "-"});
  }
  return table.Render();
}

int LoggersList(const Invocation& in) {
  if (!in.args.empty()) return in.Unexpected(in.args[0]);
  return in.client.Call(&Stub::ListLoggers, pb::ListLoggersRequest(),
                        {.table = [](const pb::ListLoggersResponse& r, std::ostream& out) {
                          std::vector<const pb::Logger*> loggers;
                          for (const pb::Logger& l : r.loggers()) loggers.push_back(&l);
                          out << LoggerTable(loggers);
                        },
                         .json = LoggersJson});
}

int LoggersGet(const Invocation& in) {
  if (in.args.size() != 1) return in.Expected();
  pb::LoggerRef ref;
  ref.set_name(in.args[0]);
  return in.client.Call(&Stub::GetLogger, ref,
                        {.table = [](const pb::Logger& l,
                                     std::ostream& out) { out << LoggerTable({&l}); },
                         .json = LoggerJson});
}

int LoggersSet(const Invocation& in) {
  if (in.args.size() != 2) return in.Expected();
  pb::SetLoggerLevelRequest request;
  request.set_name(in.args[0]);
  request.set_level(in.args[1]);
  return in.client.Call(&Stub::SetLoggerLevel, request,
                        {.table =
                             [](const pb::SetLoggerLevelResponse& r, std::ostream& out) {
                               for (const std::string& name : r.modified()) out << name << '\n';
                             },
                         .json = LoggersSetJson});
}

// `NAME -f FILE` or `NAME --file FILE`: the file, or nullopt.
std::optional<std::string> NameAndFile(const Invocation& in) {
  if (in.args.size() != 3 || (in.args[1] != "-f" && in.args[1] != "--file")) return std::nullopt;
  return in.args[2];
}

int ConfigSet(const Invocation& in) {
  std::optional<std::string> file = NameAndFile(in);
  if (!file) return in.Expected();
  absl::StatusOr<ConnectorFile> connector = ReadConnectorFile(*file, /*name_required=*/false);
  if (!connector.ok()) return in.BadFile(connector.status());
  pb::PutConnectorConfigRequest request;
  request.set_name(in.args[0]);
  request.mutable_config()->insert(connector->config.begin(), connector->config.end());
  const Printer<pb::Connector> reconfigured = Reconfigured();
  return in.client.Call(
      &Stub::PutConnectorConfig, request,
      {.table = [&](const pb::PutConnectorConfigResponse& r,
                    std::ostream& out) { reconfigured.table(r.connector(), out); },
       .json = [](const pb::PutConnectorConfigResponse& r) {
         return ConnectorInfoJson(r.connector());
       }});
}

int ConfigPatch(const Invocation& in) {
  if (in.args.empty()) return in.Expected();
  pb::PatchConnectorConfigRequest request;
  request.set_name(in.args[0]);
  for (size_t i = 1; i < in.args.size(); ++i) {
    const std::string& a = in.args[i];
    if (a == "--unset" && i + 1 < in.args.size()) {
      request.add_remove(in.args[++i]);
      continue;
    }
    const size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      return in.Usage(absl::StrCat("expected key=value, not `", a, "`"));
    }
    (*request.mutable_set())[a.substr(0, eq)] = a.substr(eq + 1);
  }
  if (request.set().empty() && request.remove().empty()) return in.Usage("nothing to change");
  return in.client.Call(&Stub::PatchConnectorConfig, request, Reconfigured());
}

int OffsetsGet(const Invocation& in) {
  return OnName(in, &Stub::GetOffsets, {.table = PrintOffsets, .json = ConnectorOffsetsJson});
}

int OffsetsSet(const Invocation& in) {
  std::optional<std::string> file = NameAndFile(in);
  if (!file) return in.Expected();
  absl::StatusOr<std::vector<pb::PartitionOffset>> offsets = ReadOffsetsFile(*file);
  if (!offsets.ok()) return in.BadFile(offsets.status());
  pb::AlterOffsetsRequest request;
  request.set_name(in.args[0]);
  for (pb::PartitionOffset& po : *offsets) *request.add_offsets() = std::move(po);
  return in.client.Call(&Stub::AlterOffsets, request, kOffsetsChanged);
}

int OffsetsReset(const Invocation& in) { return OnName(in, &Stub::ResetOffsets, kOffsetsChanged); }

int Validate(const Invocation& in) {
  if (in.args.size() != 2 || (in.args[0] != "-f" && in.args[0] != "--file")) {
    return in.Expected();
  }
  absl::StatusOr<ConnectorFile> connector = ReadConnectorFile(in.args[1], /*name_required=*/false);
  if (!connector.ok()) return in.BadFile(connector.status());
  pb::ValidateConfigRequest request;
  request.mutable_config()->insert(connector->config.begin(), connector->config.end());
  return in.client.Call(
      &Stub::ValidateConfig, request,
      {.table = PrintValidation, .exit_code = [](const pb::ValidateConfigResponse& r) {
         return r.error_count() == 0 ? kExitOk : kExitInvalid;
       }});
}

int Watch(const Invocation& in) {
  pb::WatchRequest request;
  for (const std::string& name : in.args) request.add_connectors(name);
  WatchPrinter printer;
  return in.client.Follow(
      &Stub::Watch, request,
      [&printer](const pb::WatchEvent& e, std::ostream& out) { printer.Print(e, out); });
}

int Plugins(const Invocation& in) {
  if (!in.args.empty()) return in.Unexpected(in.args[0]);
  return in.client.Call(&Stub::ListPlugins, pb::ListPluginsRequest(),
                        {.table = PrintPlugins, .json = PluginsJson});
}

int Cluster(const Invocation& in) {
  if (!in.args.empty()) return in.Unexpected(in.args[0]);
  return in.client.Call(&Stub::GetCluster, pb::GetClusterRequest(), {.table = PrintCluster});
}

// ---- the table ----

struct ClientCommand {
  absl::string_view name;       // the words after `sluice`
  absl::string_view alias;      // a shorter spelling of the same command, or empty
  absl::string_view arguments;  // what follows the words
  absl::string_view help;       // one line for --help
  int (*run)(const Invocation&);
};

constexpr ClientCommand kCommands[] = {
    {"connectors list", "", "", "every connector: state, target, tasks, plugin", List},
    {"connectors create", "", "-f conn.json [--paused|--stopped]",
     "conn.json: {\"name\":...,\"config\":{...}}", Create},
    {"connectors get", "", "NAME", "state, target state, task count and config", Get},
    {"connectors config get", "", "NAME", "its config (secrets masked)", ConfigGet},
    {"connectors tasks", "", "NAME", "each task's generated config", Tasks},
    {"connectors status", "", "NAME", "connector and task states, offsets, progress", Status},
    {"connectors pause", "", "NAME", "pause its tasks", Pause},
    {"connectors resume", "", "NAME", "resume it (from PAUSED or STOPPED)", Resume},
    {"connectors stop", "", "NAME", "stop its tasks (offsets may then change)", Stop},
    {"connectors delete", "", "NAME", "delete it", Delete},
    {"connectors restart", "", "NAME [--include-tasks] [--only-failed] [--task N]",
     "restart it, its tasks, or one task", Restart},
    {"connectors config set", "", "NAME -f config.json", "replace the whole config", ConfigSet},
    {"connectors config patch", "", "NAME key=value ... [--unset key ...]", "change some keys",
     ConfigPatch},
    {"connectors offsets get", "", "NAME", "source partitions and committed offsets", OffsetsGet},
    {"connectors offsets set", "", "NAME -f offsets.json",
     "{\"offsets\":[...]} as Kafka Connect's; STOPPED only", OffsetsSet},
    {"connectors offsets reset", "", "NAME", "forget every offset; STOPPED only", OffsetsReset},
    {"connectors topics", "", "NAME [--reset]", "topics it wrote to; --reset forgets them", Topics},
    {"connectors validate", "validate", "-f conn.json", "errors per key", Validate},
    {"connectors watch", "watch", "[NAME ...]", "follow states and progress", Watch},
    {"plugins list", "", "", "installed plugins", Plugins},
    {"cluster", "workers", "", "members, leader, epoch and which worker runs each connector",
     Cluster},
    {"loggers list", "", "", "log levels: every logger and root (/admin/loggers)", LoggersList},
    {"loggers get", "", "LOGGER", "one logger's effective level", LoggersGet},
    {"loggers set", "", "LOGGER LEVEL",
     "set it and the loggers below it (root: all); TRACE..ERROR, OFF", LoggersSet},
};

std::vector<absl::string_view> Words(absl::string_view spelling) {
  std::vector<absl::string_view> words;
  while (!spelling.empty()) {
    const size_t space = spelling.find(' ');
    words.push_back(spelling.substr(0, space));
    spelling = space == absl::string_view::npos ? "" : spelling.substr(space + 1);
  }
  return words;
}

// How many leading words of `args` match `spelling`'s.
size_t SharedWords(absl::string_view spelling, const Args& args) {
  const std::vector<absl::string_view> words = Words(spelling);
  size_t n = 0;
  while (n < words.size() && n < args.size() && words[n] == args[n]) ++n;
  return n;
}

// Calls `visit(command, spelling)` for each spelling (name, then alias) of each command.
template <typename Visit>
void ForEachSpelling(Visit visit) {
  for (const ClientCommand& c : kCommands) {
    visit(c, c.name);
    if (!c.alias.empty()) visit(c, c.alias);
  }
}

std::string UsageText() {
  std::vector<UsageEntry> entries;
  for (const ClientCommand& c : kCommands) {
    std::string help(c.help);
    if (!c.alias.empty()) {
      absl::StrAppend(&help, help.empty() ? "" : " ", "(also: sluice ", c.alias, ")");
    }
    entries.push_back({absl::StrCat(c.name, c.arguments.empty() ? "" : " ", c.arguments), help});
  }
  return absl::StrCat(kUsageHead, RenderUsage(entries, kHelpColumn), kUsageTail);
}

}  // namespace

bool IsClientCommand(std::string_view std_word) {
  const absl::string_view word(std_word.data(), std_word.size());
  bool found = false;
  ForEachSpelling([&](const ClientCommand&, absl::string_view spelling) {
    found = found || Words(spelling).front() == word;
  });
  return found;
}

std::string ClientCommandUsage(std::string_view std_word) {
  const absl::string_view word(std_word.data(), std_word.size());
  std::vector<std::string> usages, next_words;
  ForEachSpelling([&](const ClientCommand& c, absl::string_view spelling) {
    const std::vector<absl::string_view> words = Words(spelling);
    if (words.front() != word) return;
    usages.push_back(absl::StrCat(spelling, c.arguments.empty() ? "" : " ", c.arguments));
    const std::string next(words.size() > 1 ? words[1] : "");
    if (std::find(next_words.begin(), next_words.end(), next) == next_words.end()) {
      next_words.push_back(next);
    }
  });
  if (usages.size() == 1) return usages[0];
  return absl::StrCat(word, " <", absl::StrJoin(next_words, "|"), "> ...");
}

int RunClientCommand(int argc, char** argv, std::ostream& out, std::ostream& err) {
  absl::StatusOr<ClientOptions> options = ParseClientOptions(argc, argv);
  if (!options.ok()) {
    err << "sluice: " << options.status().message() << '\n' << UsageText();
    return kExitUsage;
  }
  const Args& args = options->args;
  if (std::find(args.begin(), args.end(), "--help") != args.end() ||
      std::find(args.begin(), args.end(), "-h") != args.end()) {
    out << UsageText();
    return kExitOk;
  }
  // The command whose spelling matches the most leading words.
  const ClientCommand* command = nullptr;
  absl::string_view spelled;
  size_t matched = 0, shared = 0;
  ForEachSpelling([&](const ClientCommand& c, absl::string_view spelling) {
    const size_t n = SharedWords(spelling, args);
    shared = std::max(shared, n);
    if (n == Words(spelling).size() && n > matched) {
      command = &c;
      spelled = spelling;
      matched = n;
    }
  });
  if (command == nullptr) {
    // Say which words are right and what may follow them.
    std::vector<std::string> choices;
    ForEachSpelling([&](const ClientCommand&, absl::string_view spelling) {
      const std::vector<absl::string_view> words = Words(spelling);
      if (SharedWords(spelling, args) < shared || words.size() <= shared) return;
      const std::string next(words[shared]);
      if (std::find(choices.begin(), choices.end(), next) == choices.end()) {
        choices.push_back(next);
      }
    });
    const std::string known = absl::StrJoin(args.begin(), args.begin() + shared, " ");
    err << "sluice: " << known << (known.empty() ? "" : ": ")
        << (shared < args.size() ? absl::StrCat("unknown command `", args[shared], "`")
                                 : "which command?")
        << " (" << absl::StrJoin(choices, ", ") << ")\n"
        << UsageText();
    return kExitUsage;
  }
  Client client(*std::move(options), out, err);
  if (!client.Connect()) return kExitUsage;
  const Args& all = client.options().args;
  return command->run(
      Invocation{client, spelled, command->arguments, Args(all.begin() + matched, all.end())});
}

}  // namespace sluice::cli
