#ifndef SLUICE_CONNECTORS_MYSQL_BINLOG_INSPECT_INSPECT_COMMAND_H_
#define SLUICE_CONNECTORS_MYSQL_BINLOG_INSPECT_INSPECT_COMMAND_H_

#include <ostream>

namespace sluice::binlog {

// `sluice binlog inspect FILE [--start-position=N] [--stop-position=N] [--json]`, run by the
// `sluice-binlog` executable: `argv[0]` is the word before FILE. Events go to `output`, errors
// (each with its binlog position) to `errors`. Returns the exit code: 0 when every event and row
// decoded, 1 when any did not (corrupt or truncated file, a damaged row or value, an unknown
// event type; everything else is still printed), 2 bad usage.
int RunBinlogInspect(int argc, char** argv, std::ostream& output, std::ostream& errors);

}  // namespace sluice::binlog

#endif  // SLUICE_CONNECTORS_MYSQL_BINLOG_INSPECT_INSPECT_COMMAND_H_
