#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_TRANSACTION_EVENTS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_TRANSACTION_EVENTS_H_

// Transaction boundaries to <topic.prefix>.transaction (provide.transaction.metadata): BEGIN, and
// END with the number of events per table; key {id}.
//
// Thread: the task thread.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/offset.h"

namespace sluice::mysql {

class TransactionEvents {
 public:
  TransactionEvents(const Host& host, const ConnectorConfig& config);

  // BEGIN of transaction `id` (event_count and data_collections null).
  absl::Status Begin(sluice_batch* batch, const std::string& id, int64_t ts_ms,
                     const OffsetState& offset);
  // END of transaction `id`: `event_count` events, per table ("db.table", events) in order of
  // first appearance.
  absl::Status End(sluice_batch* batch, const std::string& id, int64_t event_count,
                   const std::vector<std::pair<std::string, int64_t>>& collections, int64_t ts_ms,
                   const OffsetState& offset);

 private:
  absl::Status EnsureSchemas();
  absl::Status Boundary(sluice_batch* batch, bool begin, const std::string& id,
                        int64_t event_count,
                        const std::vector<std::pair<std::string, int64_t>>& collections,
                        int64_t ts_ms, const OffsetState& offset);

  const Host& host_;
  const sluice_host_api* api_;
  const ConnectorConfig& config_;
  const sluice_schema* key_ = nullptr;
  const sluice_schema* value_ = nullptr;
  const sluice_schema* collection_ = nullptr;
  const sluice_schema* collections_ = nullptr;
  std::string topic_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_TRANSACTION_EVENTS_H_
