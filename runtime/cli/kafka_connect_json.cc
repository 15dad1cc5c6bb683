#include "runtime/cli/kafka_connect_json.h"

#include <map>
#include <vector>

#include "runtime/admin/proto_convert.h"
#include "runtime/rest_json/rest_json.h"

namespace sluice::cli {
namespace {

logging::LoggerLevel LevelOf(const pb::Logger& logger) {
  return {logger.level(), logger.has_last_modified_ms()
                              ? std::optional<int64_t>(logger.last_modified_ms())
                              : std::nullopt};
}

}  // namespace

std::string ConnectorListJson(const pb::ListConnectorsResponse& reply) {
  std::vector<herder::ConnectorInfo> connectors;
  for (const pb::Connector& c : reply.connectors()) connectors.push_back(admin::FromProto(c));
  return rest::ConnectorListJson(connectors, /*expand_status=*/true, /*expand_info=*/true);
}

std::string ConnectorInfoJson(const pb::Connector& connector) {
  return rest::ConnectorInfoJson(admin::FromProto(connector));
}

std::string ConnectorConfigJson(const pb::Connector& connector) {
  return rest::ConfigJson(admin::FromProto(connector.config()));
}

std::string ConnectorStatusJson(const pb::ConnectorStatus& status) {
  return rest::ConnectorStatusJson(admin::FromProto(status));
}

std::string TaskConfigsJson(const std::string& connector, const pb::TaskConfigs& tasks) {
  std::vector<ConfigMap> configs;
  for (const pb::TaskConfig& t : tasks.tasks()) configs.push_back(admin::FromProto(t.config()));
  return rest::TaskInfosJson(connector, configs);
}

std::string ActiveTopicsJson(const std::string& connector, const pb::ConnectorTopics& topics) {
  return rest::ActiveTopicsJson(connector, {topics.topics().begin(), topics.topics().end()});
}

std::string ConnectorOffsetsJson(const pb::ConnectorOffsets& offsets) {
  absl::StatusOr<std::vector<herder::PartitionOffset>> decoded = admin::FromProto(offsets.offsets());
  // The worker wrote them from decoded offsets: they decode. Should one not, say so as REST would.
  if (!decoded.ok()) return rest::ErrorJson(500, decoded.status().message());
  return rest::ConnectorOffsetsJson(*decoded);
}

std::string OffsetsChangedJson(const pb::AlterOffsetsResponse& reply) {
  return rest::MessageJson(reply.message());
}

std::string PluginsJson(const pb::ListPluginsResponse& reply) {
  std::vector<rest::PluginSummary> plugins;
  for (const pb::Plugin& p : reply.plugins()) plugins.push_back({p.name(), p.version()});
  return rest::PluginsJson(plugins);
}

std::string LoggersJson(const pb::ListLoggersResponse& reply) {
  std::map<std::string, logging::LoggerLevel> levels;
  for (const pb::Logger& l : reply.loggers()) levels[l.name()] = LevelOf(l);
  return rest::LoggerLevelsJson(levels);
}

std::string LoggerJson(const pb::Logger& logger) { return rest::LoggerLevelJson(LevelOf(logger)); }

std::string LoggersSetJson(const pb::SetLoggerLevelResponse& reply) {
  return rest::StringsJson({reply.modified().begin(), reply.modified().end()});
}

}  // namespace sluice::cli
