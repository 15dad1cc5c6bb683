// The `sluice` binary: the worker, the client commands that administer it, and the commands
// other executables provide. One table of top-level commands drives both dispatch and
// `sluice --help`.
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/cli/client.h"
#include "runtime/cli/client_commands.h"
#include "runtime/cli/exit_codes.h"
#include "runtime/cli/external_command.h"
#include "runtime/cli/table.h"
#include "runtime/cli/worker_command.h"

namespace {

using sluice::cli::ClientCommandUsage;

struct Command {
  std::string_view name;   // the word after `sluice`
  std::string_view alias;  // another spelling, or empty
  std::string usage;       // the word and its arguments, for --help
  std::string_view help;   // one line, for --help
  // A client command: the global options (--worker, -o, TLS) may come before its word too.
  bool client;
  // `argv`: every argument after `sluice`, the command's word included.
  int (*run)(int argc, char** argv);
};

int Help(int, char**);

int RunClient(int argc, char** argv) {
  return sluice::cli::RunClientCommand(argc, argv, std::cout, std::cerr);
}

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"worker", "", "worker --config worker.properties [connector.properties ...]", "run a worker",
       false,
       [](int argc, char** argv) { return sluice::cli::RunWorkerCommand(argc - 1, argv + 1); }},
      // The binlog tools live with the MySQL connector, in the `sluice-binlog` executable.
      {"binlog", "", "binlog inspect FILE [--start-position=N] [--stop-position=N] [--json]",
       "print a binlog file's events (runs sluice-binlog)", false,
       [](int argc, char** argv) {
         return sluice::cli::RunExternalCommand("binlog", argc - 1, argv + 1, std::cerr);
       }},
      {"connectors", "", ClientCommandUsage("connectors"), "administer connectors", true,
       RunClient},
      {"plugins", "", ClientCommandUsage("plugins"), "installed plugins", true, RunClient},
      {"cluster", "workers", ClientCommandUsage("cluster"), "members, leader and assignment", true,
       RunClient},
      {"validate", "", ClientCommandUsage("validate"), "check a connector config", true, RunClient},
      {"watch", "", ClientCommandUsage("watch"), "follow statuses and throughput", true, RunClient},
      {"loggers", "", ClientCommandUsage("loggers"), "log levels, at run time", true, RunClient},
      {"version", "--version", "version", "print the version", false,
       [](int, char**) {
         std::cout << "sluice " << SLUICE_VERSION << '\n';
         return 0;
       }},
      {"help", "--help", "help", "this list", false, Help},
  };
  return commands;
}

std::string Usage() {
  std::vector<sluice::cli::UsageEntry> entries;
  for (const Command& c : Commands()) entries.push_back({c.usage, std::string(c.help)});
  return "usage: sluice <command> [arguments]\ncommands:\n" + RenderUsage(entries, 47) +
         "`sluice connectors --help` lists the client commands and their options.\n";
}

int Help(int, char**) {
  std::cout << Usage();
  return sluice::cli::kExitOk;
}

const Command* Find(std::string_view word) {
  for (const Command& c : Commands()) {
    if (word == c.name || (!c.alias.empty() && word == c.alias)) return &c;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << Usage();
    return sluice::cli::kExitUsage;
  }
  const Command* command = Find(argv[1]);
  if (command == nullptr) {
    // Global options first, then a client command: `sluice --worker h:p connectors list`.
    int at = 1;
    while (at < argc && sluice::cli::GlobalOptionLength(argv[at]) > 0) {
      at += sluice::cli::GlobalOptionLength(argv[at]);
    }
    if (at < argc && (command = Find(argv[at])) != nullptr && !command->client) command = nullptr;
  }
  if (command == nullptr) {
    std::cerr << "sluice: unknown command '" << argv[1] << "'\n" << Usage();
    return sluice::cli::kExitUsage;
  }
  return command->run(argc - 1, argv + 1);
}
