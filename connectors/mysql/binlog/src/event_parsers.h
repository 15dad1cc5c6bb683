// Parsers for single event types, one file per family (query_event.cc, gtid_events.cc,
// rows_event_parser.cc, small_events.cc, transaction_payload.cc). Each takes the event data
// (post-header + body, checksum already removed) and either fills the typed event or says
// what was wrong; the decoder adds the event type, file and position to the message.
#ifndef SLUICE_BINLOG_SRC_EVENT_PARSERS_H_
#define SLUICE_BINLOG_SRC_EVENT_PARSERS_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "sluice/binlog/events.h"
#include "sluice/binlog/format_description.h"
#include "sluice/binlog/rows_event.h"

namespace sluice::binlog::internal {

using Owned = std::shared_ptr<const std::vector<uint8_t>>;

absl::StatusOr<RotateEvent> ParseRotate(std::span<const uint8_t> data, const FormatDescription& fd);
// `compressed`: MariaDB QUERY_COMPRESSED_EVENT; the query text is then decompressed into *owned.
absl::StatusOr<QueryEvent> ParseQuery(std::span<const uint8_t> data, const FormatDescription& fd,
                                      EventType type, uint64_t max_size, Owned* owned);
absl::StatusOr<XidEvent> ParseXid(std::span<const uint8_t> data);
absl::StatusOr<IncidentEvent> ParseIncident(std::span<const uint8_t> data);
absl::StatusOr<MariaGtidEvent> ParseMariaGtid(std::span<const uint8_t> data, uint32_t server_id);
absl::StatusOr<MariaGtidListEvent> ParseMariaGtidList(std::span<const uint8_t> data);
absl::StatusOr<BinlogCheckpointEvent> ParseBinlogCheckpoint(std::span<const uint8_t> data);
absl::StatusOr<MysqlGtidEvent> ParseMysqlGtid(std::span<const uint8_t> data, bool anonymous);
// GTID_TAGGED_LOG_EVENT: MySQL's serialization format (a message of numbered fields).
absl::StatusOr<MysqlGtidEvent> ParseMysqlTaggedGtid(std::span<const uint8_t> data);
// Either encoding: untagged (MySQL 5.6+) or tagged (8.3+).
absl::StatusOr<PreviousGtidsEvent> ParsePreviousGtids(std::span<const uint8_t> data);
absl::StatusOr<RowsQueryEvent> ParseRowsQuery(std::span<const uint8_t> data);
absl::StatusOr<XaPrepareEvent> ParseXaPrepare(std::span<const uint8_t> data);
// Reads the payload header; the events stay compressed until a PayloadReader reads them.
absl::StatusOr<TransactionPayloadEvent> ParseTransactionPayload(std::span<const uint8_t> data);

// Fills everything of a rows event but `table` and `context`. Handles v1, v2, PARTIAL_UPDATE
// and MariaDB's compressed forms (whose rows are decompressed into *owned).
absl::Status ParseRowsEvent(std::span<const uint8_t> data, EventType type,
                            const FormatDescription& fd, uint64_t max_size, RowsEvent* out,
                            Owned* owned);

// True for every rows event type, compressed or not.
bool IsRowsEvent(EventType type);

}  // namespace sluice::binlog::internal

#endif  // SLUICE_BINLOG_SRC_EVENT_PARSERS_H_
