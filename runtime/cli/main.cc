// The `sluice` binary: the worker and the commands that administer it.
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <vector>

#include <iostream>

#include "inspect_command.h"
#include "runtime/cli/connectors_command.h"
#include "runtime/cli/worker_command.h"

namespace {

constexpr char kUsage[] =
    "usage: sluice <command> [arguments]\n"
    "commands:\n"
    "  worker --config worker.properties [connector.properties ...]   run a worker\n"
    "  binlog inspect FILE [--start-position=N] [--stop-position=N] [--json]\n"
    "                                                                 print a binlog file's events\n"
    "  connectors <list|create|get|status|pause|resume|stop|restart|delete|config|offsets|\n"
    "              topics|validate|watch> ...                          administer connectors\n"
    "  plugins list                                                   installed plugins\n"
    "  validate -f conn.json                                          check a connector config\n"
    "  watch [NAME ...]                                               follow statuses and "
    "throughput\n"
    "  version                                                        print the version\n"
    "`sluice connectors --help` lists the client commands and their options.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const char* command = argv[1];
  if (std::strcmp(command, "--version") == 0 || std::strcmp(command, "version") == 0) {
    std::printf("sluice %s\n", SLUICE_VERSION);
    return 0;
  }
  if (std::strcmp(command, "worker") == 0) return sluice::cli::RunWorkerCommand(argc - 2, argv + 2);
  if (std::strcmp(command, "binlog") == 0 && argc >= 3 && std::strcmp(argv[2], "inspect") == 0) {
    return sluice::binlog::RunBinlogInspect(argc - 2, argv + 2, std::cout, std::cerr);
  }
  // Client commands accept their global options (--worker, -o, TLS files) before the command too.
  int at = 1;
  while (at < argc && argv[at][0] == '-') {
    const bool takes_value = std::strcmp(argv[at], "--tls") != 0 &&
                             std::strchr(argv[at], '=') == nullptr &&
                             std::strcmp(argv[at], "-ojson") != 0;
    at += takes_value ? 2 : 1;
  }
  if (at < argc) {
    for (const char* group : {"connectors", "plugins", "validate", "watch"}) {
      if (std::strcmp(argv[at], group) != 0) continue;
      std::vector<char*> rest;
      for (int i = 1; i < argc; ++i) {
        if (i != at) rest.push_back(argv[i]);
      }
      return sluice::cli::RunClientCommand(group, static_cast<int>(rest.size()), rest.data());
    }
  }
  if (std::strcmp(command, "--help") == 0 || std::strcmp(command, "help") == 0) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "sluice: unknown command '%s'\n%s", command, kUsage);
  return 2;
}
