// Binlog event type codes, MySQL's and MariaDB's (they never collide: MariaDB's start at 160).
#ifndef SLUICE_BINLOG_EVENT_TYPE_H_
#define SLUICE_BINLOG_EVENT_TYPE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::binlog {

enum class EventType : uint8_t {
  kUnknown = 0,
  kStartV3 = 1,
  kQuery = 2,
  kStop = 3,
  kRotate = 4,
  kIntvar = 5,
  kRand = 13,
  kUserVar = 14,
  kFormatDescription = 15,
  kXid = 16,
  kTableMap = 19,
  kWriteRowsV1 = 23,
  kUpdateRowsV1 = 24,
  kDeleteRowsV1 = 25,
  kIncident = 26,
  kHeartbeat = 27,
  kIgnorable = 28,
  kRowsQuery = 29,
  kWriteRowsV2 = 30,
  kUpdateRowsV2 = 31,
  kDeleteRowsV2 = 32,
  kGtid = 33,
  kAnonymousGtid = 34,
  kPreviousGtids = 35,
  kTransactionContext = 36,
  kViewChange = 37,
  kXaPrepare = 38,
  kPartialUpdateRows = 39,
  kTransactionPayload = 40,
  kHeartbeatV2 = 41,
  kGtidTagged = 42,
  // MariaDB.
  kMariaAnnotateRows = 160,
  kMariaBinlogCheckpoint = 161,
  kMariaGtid = 162,
  kMariaGtidList = 163,
  kMariaStartEncryption = 164,
  kMariaQueryCompressed = 165,
  kMariaWriteRowsCompressedV1 = 166,
  kMariaUpdateRowsCompressedV1 = 167,
  kMariaDeleteRowsCompressedV1 = 168,
  kMariaWriteRowsCompressed = 169,
  kMariaUpdateRowsCompressed = 170,
  kMariaDeleteRowsCompressed = 171,
};

// MySQL's upper-case name ("WRITE_ROWS_EVENT_V1"), or an empty view for a code this library
// does not know. EventTypeLabel never returns empty: unknown codes read "UNKNOWN_EVENT(<code>)".
std::string_view EventTypeName(EventType type);
std::string EventTypeLabel(EventType type);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_EVENT_TYPE_H_
