#ifndef SLUICE_CONNECTORS_MYSQL_BINLOG_INSPECT_INSPECT_COMMAND_H_
#define SLUICE_CONNECTORS_MYSQL_BINLOG_INSPECT_INSPECT_COMMAND_H_

#include <ostream>

namespace sluice::binlog {

// `sluice binlog inspect FILE [--start-position=N] [--stop-position=N] [--json]`: `argv[0]` is
// the word before FILE. Events go to `output`, errors (with their binlog position) to `errors`.
// Returns the exit code: 0 done, 1 corrupt or truncated file, 2 bad usage.
int RunBinlogInspect(int argc, char** argv, std::ostream& output, std::ostream& errors);

}  // namespace sluice::binlog

#endif  // SLUICE_CONNECTORS_MYSQL_BINLOG_INSPECT_INSPECT_COMMAND_H_
