// Commands another executable provides, run git-style: `sluice binlog ARGS` runs
// `sluice-binlog ARGS`. The runtime links no connector code; a tool built with a connector (the
// MySQL binlog inspector, connectors/mysql/binlog_inspect) ships as its own executable, and the
// build puts it beside `sluice`.
#ifndef SLUICE_RUNTIME_CLI_EXTERNAL_COMMAND_H_
#define SLUICE_RUNTIME_CLI_EXTERNAL_COMMAND_H_

#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sluice::cli {

// The executable for `sluice <name>`: `sluice-<name>` in `self_dir` (the directory of the running
// `sluice`; empty when unknown), else in the first directory of `path` (as in $PATH) that holds
// an executable file of that name. NotFound, naming every place it looked, when there is none.
absl::StatusOr<std::string> FindExternalCommand(std::string_view name, std::string_view self_dir,
                                                std::string_view path);

// Replaces this process with `sluice-<name>` given `argv` (the arguments after `sluice <name>`),
// so the command's exit status (or signal) is `sluice`'s. Returns only when that could not
// happen, with the reason on `err`: kExitCommandMissing when there is no such executable,
// kExitCommandNotRunnable when it would not start.
int RunExternalCommand(std::string_view name, int argc, char** argv, std::ostream& err);

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_EXTERNAL_COMMAND_H_
