#ifndef SLUICE_RUNTIME_CLI_WORKER_COMMAND_H_
#define SLUICE_RUNTIME_CLI_WORKER_COMMAND_H_

namespace sluice::cli {

// `sluice worker --config worker.properties [connector.properties ...]`: runs a worker until
// SIGTERM or SIGINT, then stops every task (flush, commit) and exits 0. Returns the exit code.
int RunWorkerCommand(int argc, char** argv);

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_WORKER_COMMAND_H_
