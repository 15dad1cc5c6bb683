#include "runtime/cli/client_output.h"

#include <chrono>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "runtime/cli/progress_line.h"
#include "runtime/cli/table.h"

namespace sluice::cli {
namespace {

namespace pb = ::sluice::admin::v1;

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The first line of an error trace.
std::string Trace(const std::string& trace) {
  const size_t newline = trace.find('\n');
  return newline == std::string::npos ? trace : trace.substr(0, newline) + " ...";
}

std::string TargetName(pb::TargetState s) {
  switch (s) {
    case pb::TARGET_STATE_PAUSED:
      return "PAUSED";
    case pb::TARGET_STATE_STOPPED:
      return "STOPPED";
    default:
      return "STARTED";
  }
}

}  // namespace

void PrintConnectorList(const pb::ListConnectorsResponse& list, std::ostream& out) {
  Table table({"NAME", "STATE", "TARGET", "TASKS", "CLASS"});
  for (const pb::Connector& c : list.connectors()) {
    int running = 0;
    for (const pb::TaskStatus& t : c.status().tasks()) {
      running += t.state() == pb::STATE_RUNNING ? 1 : 0;
    }
    auto cls = c.config().find("connector.class");
    table.Add({c.name(), c.status().state_name(), TargetName(c.target_state()),
               absl::StrCat(running, "/", c.task_count(), " running"),
               cls == c.config().end() ? "" : cls->second});
  }
  out << table.Render();
}

void PrintConnector(const pb::Connector& c, std::ostream& out) {
  Table head({"NAME", "STATE", "TARGET", "TASKS"});
  head.Add({c.name(), c.status().state_name(), TargetName(c.target_state()),
            std::to_string(c.task_count())});
  out << head.Render() << '\n';
  PrintConfig(c.config(), out);
}

void PrintConfig(const google::protobuf::Map<std::string, std::string>& config, std::ostream& out) {
  const std::map<std::string, std::string> sorted(config.begin(), config.end());
  Table table({"KEY", "VALUE"});
  for (const auto& [k, v] : sorted) table.Add({k, v});
  out << table.Render();
}

void PrintTasks(const pb::TaskConfigs& tasks, std::ostream& out) {
  Table table({"TASK", "KEY", "VALUE"});
  for (const pb::TaskConfig& t : tasks.tasks()) {
    const std::map<std::string, std::string> sorted(t.config().begin(), t.config().end());
    for (const auto& [k, v] : sorted) table.Add({std::to_string(t.id()), k, v});
  }
  out << table.Render();
}

std::string RestartedLine(const pb::ConnectorStatus& s) {
  const pb::Restarted& r = s.restarted();
  std::vector<std::string> tasks;
  for (int32_t task : r.tasks()) tasks.push_back(std::to_string(task));
  if (r.connector()) {
    return absl::StrCat("restarted connector ", s.name(), " and its ", r.tasks_size(), " task(s)");
  }
  if (tasks.empty()) {
    return absl::StrCat("nothing restarted: neither connector ", s.name(),
                        " nor any of its tasks is FAILED");
  }
  return absl::StrCat("restarted task(s) ", absl::StrJoin(tasks, ", "), " of connector ", s.name());
}

void PrintConnectorStatus(const pb::ConnectorStatus& s, std::ostream& out) {
  Table connector({"CONNECTOR", "STATE", "WORKER", "TRACE"});
  connector.Add({s.name(), s.state_name(), s.worker_id(), Trace(s.trace())});
  out << connector.Render();
  for (const std::string& warning : s.warnings()) out << "warning: " << warning << '\n';
  if (s.offsets_size() > 0) {
    Table progress({"PARTITION", "COMMITTED OFFSET"});
    for (const pb::PartitionOffset& po : s.offsets()) {
      progress.Add({po.partition_json(), po.offset_json()});
    }
    out << '\n' << progress.Render();
  }
  if (s.tasks_size() == 0) return;
  Table tasks({"TASK", "STATE", "WORKER", "TRACE"});
  for (const pb::TaskStatus& t : s.tasks()) {
    tasks.Add({std::to_string(t.id()), t.state_name(), t.worker_id(), Trace(t.trace())});
  }
  out << '\n' << tasks.Render();
  // Each task's own progress report; a plugin that reports none (built for ABI 1.0) leaves only
  // what the committed offsets tell.
  bool reported = false;
  for (const pb::TaskStatus& t : s.tasks()) {
    if (!t.has_progress()) continue;
    if (!reported) out << '\n';
    reported = true;
    out << "task " << t.id() << ": " << ProgressLine(t.progress())
        << StalenessNote(t.progress(), NowMillis()) << '\n';
  }
  if (!reported && s.snapshot_running()) {
    out << "\nthe committed offsets say a snapshot is running (the connector reports no "
           "progress)\n";
  }
}

void PrintOffsets(const pb::ConnectorOffsets& offsets, std::ostream& out) {
  Table table({"PARTITION", "OFFSET"});
  for (const pb::PartitionOffset& po : offsets.offsets()) {
    table.Add({po.partition_json(), po.offset_json()});
  }
  out << table.Render();
}

void PrintValidation(const pb::ValidateConfigResponse& result, std::ostream& out) {
  Table table({"KEY", "VALUE", "ERRORS", "WARNINGS"});
  for (const pb::ConfigValueResult& v : result.values()) {
    table.Add({v.name(), v.value(), absl::StrJoin(v.errors(), "; "),
               absl::StrJoin(v.warnings(), "; ")});
  }
  out << table.Render() << '\n'
      << result.error_count() << " error(s), " << result.warning_count() << " warning(s)"
      << (result.plugin().empty() ? "" : absl::StrCat(" (plugin ", result.plugin(), ")")) << '\n';
}

void PrintPlugins(const pb::ListPluginsResponse& plugins, std::ostream& out) {
  Table table({"NAME", "VERSION", "ABI", "FILE", "ALIASES"});
  for (const pb::Plugin& p : plugins.plugins()) {
    table.Add({p.name(), p.version(), p.abi_version(), p.file(), absl::StrJoin(p.aliases(), ", ")});
  }
  out << table.Render();
}

void PrintCluster(const pb::ClusterInfo& cluster, std::ostream& out) {
  if (!cluster.enabled()) {
    out << "worker " << cluster.worker_id()
        << " runs alone (sluice.cluster.enable=false): it runs every connector\n";
    return;
  }
  out << "cluster " << cluster.group_id() << ": assignment epoch " << cluster.epoch()
      << ", leader " << cluster.leader() << "; asked " << cluster.worker_id() << " (rebalance "
      << cluster.generation() << (cluster.lease_valid() ? ")" : ", its lease has ended)") << '\n';
  Table table({"WORKER", "ROLE", "CONNECTORS", "TASKS"});
  for (const pb::ClusterMember& m : cluster.members()) {
    table.Add({m.worker_id(), m.leader() ? "leader" : "member", absl::StrJoin(m.connectors(), ", "),
               absl::StrJoin(m.tasks(), ", ")});
  }
  if (!cluster.unassigned().empty() || !cluster.unassigned_tasks().empty()) {
    table.Add({"(none)", "", absl::StrJoin(cluster.unassigned(), ", "),
               absl::StrJoin(cluster.unassigned_tasks(), ", ")});
  }
  out << table.Render();
}

void WatchPrinter::Print(const pb::WatchEvent& event, std::ostream& out) {
  if (event.has_connector_status()) {
    const pb::ConnectorStatus& s = event.connector_status();
    out << s.name() << "  " << s.state_name() << (s.trace().empty() ? "" : "  ") << Trace(s.trace())
        << '\n';
  } else if (event.has_task_status()) {
    const pb::TaskStatusChange& t = event.task_status();
    out << t.connector() << '-' << t.status().id() << "  " << t.status().state_name()
        << (t.status().trace().empty() ? "" : "  ") << Trace(t.status().trace()) << '\n';
  } else if (event.has_task_metrics()) {
    const pb::TaskMetrics& m = event.task_metrics();
    out << absl::StrFormat("%s-%d  %d records sent, %.1f/s, %d bytes awaiting Kafka's ack\n",
                           m.connector(), m.task(), m.records_sent(), m.records_per_second(),
                           m.in_flight_bytes());
    if (m.has_progress()) {
      std::string line = ProgressLine(m.progress());
      std::string& last = last_progress_[{m.connector(), m.task()}];
      if (line != last) {
        out << m.connector() << '-' << m.task() << "  " << line << '\n';
        last = std::move(line);
      }
    }
  } else if (event.has_connector_progress()) {
    const pb::ConnectorProgress& p = event.connector_progress();
    std::vector<std::string> parts;
    for (const pb::PartitionOffset& po : p.offsets()) {
      parts.push_back(po.partition_json() + " @ " + po.offset_json());
    }
    out << p.connector() << "  progress" << (p.snapshot_running() ? " (snapshot running)" : "")
        << ": " << absl::StrJoin(parts, ", ") << '\n';
  } else if (!event.connector_deleted().empty()) {
    out << event.connector_deleted() << "  deleted\n";
  }
}

}  // namespace sluice::cli
