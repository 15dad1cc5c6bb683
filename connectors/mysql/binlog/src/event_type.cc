#include "sluice/binlog/event_type.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace sluice::binlog {

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kUnknown:
      return "UNKNOWN_EVENT";
    case EventType::kStartV3:
      return "START_EVENT_V3";
    case EventType::kQuery:
      return "QUERY_EVENT";
    case EventType::kStop:
      return "STOP_EVENT";
    case EventType::kRotate:
      return "ROTATE_EVENT";
    case EventType::kIntvar:
      return "INTVAR_EVENT";
    case EventType::kRand:
      return "RAND_EVENT";
    case EventType::kUserVar:
      return "USER_VAR_EVENT";
    case EventType::kFormatDescription:
      return "FORMAT_DESCRIPTION_EVENT";
    case EventType::kXid:
      return "XID_EVENT";
    case EventType::kTableMap:
      return "TABLE_MAP_EVENT";
    case EventType::kWriteRowsV1:
      return "WRITE_ROWS_EVENT_V1";
    case EventType::kUpdateRowsV1:
      return "UPDATE_ROWS_EVENT_V1";
    case EventType::kDeleteRowsV1:
      return "DELETE_ROWS_EVENT_V1";
    case EventType::kIncident:
      return "INCIDENT_EVENT";
    case EventType::kHeartbeat:
      return "HEARTBEAT_LOG_EVENT";
    case EventType::kIgnorable:
      return "IGNORABLE_LOG_EVENT";
    case EventType::kRowsQuery:
      return "ROWS_QUERY_LOG_EVENT";
    case EventType::kWriteRowsV2:
      return "WRITE_ROWS_EVENT";
    case EventType::kUpdateRowsV2:
      return "UPDATE_ROWS_EVENT";
    case EventType::kDeleteRowsV2:
      return "DELETE_ROWS_EVENT";
    case EventType::kGtid:
      return "GTID_LOG_EVENT";
    case EventType::kAnonymousGtid:
      return "ANONYMOUS_GTID_LOG_EVENT";
    case EventType::kPreviousGtids:
      return "PREVIOUS_GTIDS_LOG_EVENT";
    case EventType::kTransactionContext:
      return "TRANSACTION_CONTEXT_EVENT";
    case EventType::kViewChange:
      return "VIEW_CHANGE_EVENT";
    case EventType::kXaPrepare:
      return "XA_PREPARE_LOG_EVENT";
    case EventType::kPartialUpdateRows:
      return "PARTIAL_UPDATE_ROWS_EVENT";
    case EventType::kTransactionPayload:
      return "TRANSACTION_PAYLOAD_EVENT";
    case EventType::kHeartbeatV2:
      return "HEARTBEAT_LOG_EVENT_V2";
    case EventType::kGtidTagged:
      return "GTID_TAGGED_LOG_EVENT";
    case EventType::kMariaAnnotateRows:
      return "ANNOTATE_ROWS_EVENT";
    case EventType::kMariaBinlogCheckpoint:
      return "BINLOG_CHECKPOINT_EVENT";
    case EventType::kMariaGtid:
      return "GTID_EVENT";
    case EventType::kMariaGtidList:
      return "GTID_LIST_EVENT";
    case EventType::kMariaStartEncryption:
      return "START_ENCRYPTION_EVENT";
    case EventType::kMariaQueryCompressed:
      return "QUERY_COMPRESSED_EVENT";
    case EventType::kMariaWriteRowsCompressedV1:
      return "WRITE_ROWS_COMPRESSED_EVENT_V1";
    case EventType::kMariaUpdateRowsCompressedV1:
      return "UPDATE_ROWS_COMPRESSED_EVENT_V1";
    case EventType::kMariaDeleteRowsCompressedV1:
      return "DELETE_ROWS_COMPRESSED_EVENT_V1";
    case EventType::kMariaWriteRowsCompressed:
      return "WRITE_ROWS_COMPRESSED_EVENT";
    case EventType::kMariaUpdateRowsCompressed:
      return "UPDATE_ROWS_COMPRESSED_EVENT";
    case EventType::kMariaDeleteRowsCompressed:
      return "DELETE_ROWS_COMPRESSED_EVENT";
  }
  return {};
}

std::string EventTypeLabel(EventType type) {
  std::string_view name = EventTypeName(type);
  if (!name.empty()) return std::string(name);
  return absl::StrCat("UNKNOWN_EVENT(", static_cast<int>(type), ")");
}

}  // namespace sluice::binlog
