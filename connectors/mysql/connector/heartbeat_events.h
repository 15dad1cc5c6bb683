#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_HEARTBEAT_EVENTS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_HEARTBEAT_EVENTS_H_

// Heartbeats to __debezium-heartbeat.<topic.prefix> (heartbeat.interval.ms): key {serverName},
// value {ts_ms}, carrying the current offset so an idle or fully filtered server still advances
// the committed position.
//
// Thread: the task thread.

#include <string>

#include "absl/status/status.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/offset.h"

namespace sluice::mysql {

class HeartbeatEvents {
 public:
  HeartbeatEvents(const Host& host, const ConnectorConfig& config);

  absl::Status Heartbeat(sluice_batch* batch, const OffsetState& offset);

 private:
  absl::Status EnsureSchemas();

  const Host& host_;
  const sluice_host_api* api_;
  const ConnectorConfig& config_;
  const sluice_schema* key_ = nullptr;
  const sluice_schema* value_ = nullptr;
  std::string topic_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_HEARTBEAT_EVENTS_H_
