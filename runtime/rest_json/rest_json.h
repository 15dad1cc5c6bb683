// Kafka Connect 4.x's REST bodies, written from the herder's answers and read from requests, with
// RapidJSON. The REST API (runtime/rest) answers with them and the CLI's `-o json` prints them,
// so the two cannot differ. The shapes (field names, nesting, what is omitted) are Kafka
// Connect's (ServerInfo, ConnectorInfo, ConnectorStateInfo, TaskInfo, PluginInfo, ConfigInfos,
// ErrorMessage, KIP-495's loggers); docs/rest-api.md lists them.
//
// Threads: pure functions.
#ifndef SLUICE_RUNTIME_REST_JSON_REST_JSON_H_
#define SLUICE_RUNTIME_REST_JSON_REST_JSON_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/herder/herder_types.h"
#include "runtime/logging/log_levels.h"
#include "runtime/plugin/config_validation.h"
#include "runtime/plugin/plugin.h"

namespace sluice::rest {

// GET /: {"version","commit","kafka_cluster_id"}; a nullopt cluster id is written as null.
std::string ServerInfoJson(absl::string_view version, absl::string_view commit,
                           const std::optional<std::string>& kafka_cluster_id);

// {"name","config":{...},"tasks":[{"connector","task"}...],"type":"source"}
std::string ConnectorInfoJson(const herder::ConnectorInfo& info);
// {"name","connector":{"state","worker_id"[,"trace"]},"tasks":[{"id","state","worker_id"
// [,"trace"]}...],"type":"source"}; a trace is written only when there is one.
std::string ConnectorStatusJson(const herder::ConnectorStatusInfo& status);
// {"id","state","worker_id"[,"trace"]}
std::string TaskStatusJson(const herder::TaskStatusInfo& task);
// [{"id":{"connector","task"},"config":{...}}...]
std::string TaskInfosJson(const std::string& connector, const std::vector<ConfigMap>& tasks);
// GET /connectors/{name}/topics: {"<name>":{"topics":[...]}}
std::string ActiveTopicsJson(const std::string& connector, const std::vector<std::string>& topics);
// A config as one JSON object of strings.
std::string ConfigJson(const ConfigMap& config);
// GET /connectors: ["a","b"]; with expand: {"a":{"status":{...},"info":{...}}, ...}, each part
// only when asked for.
std::string ConnectorListJson(const std::vector<herder::ConnectorInfo>& connectors,
                              bool expand_status, bool expand_info);
// GET /connector-plugins: [{"class","type":"source","version"}...]
struct PluginSummary {
  std::string class_name;
  std::string version;
};
std::string PluginsJson(const std::vector<PluginSummary>& plugins);
std::string PluginsJson(const std::vector<std::shared_ptr<const plugin::Plugin>>& plugins);
// PUT /connector-plugins/{type}/config/validate: {"name","error_count","groups":[],"configs":[
// {"definition":{...},"value":{"name","value","recommended_values","errors","visible"}}...]}:
// first every key `plugin` declares (in its order), then the given keys it does not declare. A
// key not in `given` shows its default as its value (null without one), as Kafka Connect does.
// `plugin` may be null (no definitions known).
std::string ConfigInfosJson(const plugin::ConfigValidation& validation,
                            const plugin::Plugin* plugin, const ConfigMap& given);
// GET /connector-plugins/{type}/config: [ConfigKeyInfo...], every key `plugin` declares.
std::string PluginConfigJson(const plugin::Plugin& plugin);
// GET /connectors/{name}/offsets (KIP-875): {"offsets":[{"partition":{...},"offset":{...}}...]},
// each map as the offsets topic spells it; partitions without an offset are left out.
std::string ConnectorOffsetsJson(const std::vector<herder::PartitionOffset>& offsets);
// GET /health (KIP-1017): {"status":"healthy"|"starting","message":"..."}.
std::string HealthJson(absl::string_view status, absl::string_view message);
// GET /admin/loggers (KIP-495): {"<logger>":{"level","last_modified"}...}, by name; a
// last_modified never set is null.
std::string LoggerLevelsJson(const std::map<std::string, logging::LoggerLevel>& levels);
// GET /admin/loggers/{name}: {"level","last_modified"}.
std::string LoggerLevelJson(const logging::LoggerLevel& level);
// PUT /admin/loggers/{name}: the loggers whose level changed, ["a","b"].
std::string StringsJson(const std::vector<std::string>& strings);
// {"message":"..."}: the answer of PATCH and DELETE /connectors/{name}/offsets.
std::string MessageJson(absl::string_view message);
// {"error_code":N,"message":"..."}
std::string ErrorJson(int code, absl::string_view message);

// A JSON object whose values are strings (numbers and booleans are taken as their text, as
// Kafka Connect's Jackson mapping does). InvalidArgument naming what is wrong.
absl::StatusOr<ConfigMap> ParseConfigObject(absl::string_view body);

// PATCH /connectors/{name}/config: keys with a value are set, keys with null removed.
struct ConfigPatch {
  ConfigMap set;
  std::vector<std::string> remove;
};
absl::StatusOr<ConfigPatch> ParseConfigPatch(absl::string_view body);

// PATCH /connectors/{name}/offsets: {"offsets":[{"partition":{...},"offset":{...}|null}...]};
// a null offset resets that partition. An empty list is returned as such (the router refuses
// it with Kafka Connect's words); InvalidArgument for another shape or a nested value.
absl::StatusOr<std::vector<herder::PartitionOffset>> ParseConnectorOffsets(absl::string_view body);

// POST /connectors: {"name","config":{...}[,"initial_state":"RUNNING"|"PAUSED"|"STOPPED"]}.
struct CreateRequest {
  std::string name;
  ConfigMap config;
  herder::TargetState initial_state = herder::TargetState::kStarted;
};
absl::StatusOr<CreateRequest> ParseCreateRequest(absl::string_view body);

}  // namespace sluice::rest

#endif  // SLUICE_RUNTIME_REST_JSON_REST_JSON_H_
