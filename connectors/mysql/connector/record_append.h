#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_RECORD_APPEND_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_RECORD_APPEND_H_

// How every kind of event becomes a record of the batch: under the connector's source partition
// {"server": topic.prefix}, carrying its Debezium offset (offset.h).
//
// Thread: the task thread.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/connector/offset.h"
#include "sluice/connector.h"

namespace sluice::mysql {

struct OutgoingRecord {
  absl::string_view topic;
  int32_t kafka_partition = -1;  // -1: chosen from the key
  const sluice_schema* key_schema = nullptr;
  sluice_value* key = nullptr;  // null: Kafka's null key
  const sluice_schema* value_schema = nullptr;
  sluice_value* value = nullptr;          // null: a tombstone
  const sluice_header* header = nullptr;  // at most one header
  // When the change happened on the server (the binlog event's time, Unix ms); 0: no such time
  // (snapshot rows, heartbeats). The host's commit-to-ack lag starts here (ABI 1.6).
  int64_t source_timestamp_ms = 0;
};

// Appends `record` at `offset` under the partition of `server_name` (topic.prefix). A refusal
// keeps the host's code; its message names the record as `what` ("a heartbeat record").
absl::Status AppendRecord(const sluice_host_api* api, sluice_batch* batch,
                          const std::string& server_name, const OutgoingRecord& record,
                          const OffsetState& offset, absl::string_view what);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_RECORD_APPEND_H_
