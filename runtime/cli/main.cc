// The `sluice` binary: the worker and the commands that administer it.
#include <cstdio>
#include <cstring>

#include <iostream>

#include "inspect_command.h"
#include "runtime/cli/worker_command.h"

namespace {

constexpr char kUsage[] =
    "usage: sluice <command> [arguments]\n"
    "commands:\n"
    "  worker --config worker.properties [connector.properties ...]   run a worker\n"
    "  binlog inspect FILE [--start-position=N] [--stop-position=N] [--json]\n"
    "                                                                 print a binlog file's events\n"
    "  version                                                        print the version\n";

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
  if (std::strcmp(command, "--help") == 0 || std::strcmp(command, "help") == 0) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "sluice: unknown command '%s'\n%s", command, kUsage);
  return 2;
}
