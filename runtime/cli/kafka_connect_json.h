// `-o json` where Kafka Connect's REST API has an equivalent: the admin API's answer turned back
// into the herder's types (runtime/admin/proto_convert.h) and written by the REST API's own
// writers (runtime/rest_json), so the CLI prints the body the REST API answers for the same state.
// Each function names the REST call whose body it prints.
//
// Threads: pure functions.
#ifndef SLUICE_RUNTIME_CLI_KAFKA_CONNECT_JSON_H_
#define SLUICE_RUNTIME_CLI_KAFKA_CONNECT_JSON_H_

#include <string>

#include "sluice/admin/v1/admin.pb.h"

namespace sluice::cli {

namespace pb = ::sluice::admin::v1;

// GET /connectors?expand=status&expand=info
std::string ConnectorListJson(const pb::ListConnectorsResponse& reply);
// GET /connectors/{name}; POST /connectors; PUT and PATCH /connectors/{name}/config
std::string ConnectorInfoJson(const pb::Connector& connector);
// GET /connectors/{name}/config
std::string ConnectorConfigJson(const pb::Connector& connector);
// GET /connectors/{name}/status (and the state after pause, resume, stop and restart)
std::string ConnectorStatusJson(const pb::ConnectorStatus& status);
// GET /connectors/{name}/tasks
std::string TaskConfigsJson(const std::string& connector, const pb::TaskConfigs& tasks);
// GET /connectors/{name}/topics
std::string ActiveTopicsJson(const std::string& connector, const pb::ConnectorTopics& topics);
// GET /connectors/{name}/offsets
std::string ConnectorOffsetsJson(const pb::ConnectorOffsets& offsets);
// PATCH and DELETE /connectors/{name}/offsets: {"message":...}
std::string OffsetsChangedJson(const pb::AlterOffsetsResponse& reply);
// GET /connector-plugins
std::string PluginsJson(const pb::ListPluginsResponse& reply);
// GET /admin/loggers, GET /admin/loggers/{name}, PUT /admin/loggers/{name}
std::string LoggersJson(const pb::ListLoggersResponse& reply);
std::string LoggerJson(const pb::Logger& logger);
std::string LoggersSetJson(const pb::SetLoggerLevelResponse& reply);

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_KAFKA_CONNECT_JSON_H_
