// `sluice-binlog`: the binlog tools, which `sluice binlog ...` runs (runtime/cli/
// external_command.h) so that the runtime's binary links no connector code. Run alone it takes
// the same arguments: `sluice-binlog inspect FILE ...`.
#include <cstring>
#include <iostream>

#include "connectors/mysql/binlog_inspect/inspect_command.h"

namespace {

constexpr char kUsage[] =
    "usage: sluice binlog inspect FILE [--start-position=N] [--stop-position=N] [--json]\n"
    "  print a binlog file's events and rows (text like mysqlbinlog --verbose, or one JSON\n"
    "  object per event); exit 0 when everything decoded, 1 when something did not, 2 on bad "
    "usage\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "inspect") == 0) {
    return sluice::binlog::RunBinlogInspect(argc - 1, argv + 1, std::cout, std::cerr);
  }
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
                    std::strcmp(argv[1], "help") == 0)) {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << kUsage;
  return 2;
}
