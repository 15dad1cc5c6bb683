// How the client commands' answers print for people (`-o table`, the default), and the one
// answer whose `-o json` is not the proto's mapping (offsets, in Kafka Connect's shape).
// Formats are documented in docs/cli.md; scripts should use `-o json`.
#ifndef SLUICE_RUNTIME_CLI_CLIENT_OUTPUT_H_
#define SLUICE_RUNTIME_CLI_CLIENT_OUTPUT_H_

#include <map>
#include <ostream>
#include <string>
#include <utility>

#include "sluice/admin/v1/admin.pb.h"

namespace sluice::cli {

// NAME STATE TARGET TASKS CLASS, one row per connector.
void PrintConnectorList(const ::sluice::admin::v1::ListConnectorsResponse& list, std::ostream& out);

// The connector's state, target state and task count, then its config sorted by key.
void PrintConnector(const ::sluice::admin::v1::Connector& connector, std::ostream& out);
// KEY VALUE, sorted by key.
void PrintConfig(const google::protobuf::Map<std::string, std::string>& config, std::ostream& out);
// TASK KEY VALUE: each task's config, by task and key.
void PrintTasks(const ::sluice::admin::v1::TaskConfigs& tasks, std::ostream& out);

// The connector's state, its committed offsets, its tasks' states (first line of each trace),
// and each task's progress line (progress_line.h).
void PrintConnectorStatus(const ::sluice::admin::v1::ConnectorStatus& status, std::ostream& out);
// What a restart's answer says it restarted, in a line: "restarted connector NAME and its 2
// task(s)", "restarted task(s) 0, 2 of connector NAME", or "nothing restarted: ...".
std::string RestartedLine(const ::sluice::admin::v1::ConnectorStatus& status);

// PARTITION OFFSET, one row per source partition.
void PrintOffsets(const ::sluice::admin::v1::ConnectorOffsets& offsets, std::ostream& out);

// KEY VALUE ERRORS, then the error count (and the plugin that checked).
void PrintValidation(const ::sluice::admin::v1::ValidateConfigResponse& result, std::ostream& out);

// NAME VERSION ABI FILE ALIASES, one row per plugin.
void PrintPlugins(const ::sluice::admin::v1::ListPluginsResponse& plugins, std::ostream& out);
void PrintCluster(const ::sluice::admin::v1::ClusterInfo& cluster, std::ostream& out);

// `watch` events as lines: state changes, throughput, committed offsets, deletions, and each
// task's progress line when it differs from the last one printed for that task.
class WatchPrinter {
 public:
  void Print(const ::sluice::admin::v1::WatchEvent& event, std::ostream& out);

 private:
  std::map<std::pair<std::string, int>, std::string> last_progress_;
};

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_CLIENT_OUTPUT_H_
