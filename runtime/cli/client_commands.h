// The client commands, which speak the admin API of a running worker: `sluice connectors ...`,
// `sluice plugins list`, `sluice validate`, `sluice watch`. One table (client_commands.cc) holds
// each command's words, arguments, help line and the function that parses its arguments, calls
// the worker through Client::Call and says how the answer prints. Usage: docs/cli.md or
// `sluice connectors --help`.
#ifndef SLUICE_RUNTIME_CLI_CLIENT_COMMANDS_H_
#define SLUICE_RUNTIME_CLI_CLIENT_COMMANDS_H_

#include <ostream>
#include <string>
#include <string_view>

namespace sluice::cli {

// Runs the client command in `argv`, every argument after `sluice` (the global options may come
// anywhere: `--worker h:p connectors list -o json`). Answers go to `out`, errors to `err`.
// Returns the exit code (exit_codes.h).
int RunClientCommand(int argc, char** argv, std::ostream& out, std::ostream& err);

// True when `word` starts a client command ("connectors", "plugins", "validate", "watch").
bool IsClientCommand(std::string_view word);

// The usage of the commands that start with `word`, for `sluice --help`: the whole command
// when there is one ("plugins list"), else the choices ("connectors <list|create|...> ...").
std::string ClientCommandUsage(std::string_view word);

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_CLIENT_COMMANDS_H_
