#ifndef SLUICE_RUNTIME_CLI_CONNECTORS_COMMAND_H_
#define SLUICE_RUNTIME_CLI_CONNECTORS_COMMAND_H_

namespace sluice::cli {

// The client commands, which speak the admin API of a running worker:
//   sluice connectors <list|create|get|status|pause|resume|stop|restart|delete|config|offsets|
//                      topics|validate|watch> ...
//   sluice plugins list
//   sluice validate -f conn.json, sluice watch [NAME ...]
// `group` is "connectors", "plugins", "validate" or "watch"; argv follows it. Returns the exit
// code (exit_codes.h). Usage: docs/cli.md or `sluice connectors --help`.
int RunClientCommand(const char* group, int argc, char** argv);

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_CONNECTORS_COMMAND_H_
