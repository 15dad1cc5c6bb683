// BinlogDecoder: the stateful part of decoding. It remembers the FORMAT_DESCRIPTION in force
// (post-header lengths, checksums), the table maps by table id, and the current file name, and
// turns one complete event at a time into a typed Event.
//
// Feeding it: a streaming client passes each event the server sends (the network packet minus
// its leading OK byte); a file reader passes each event of a file (see binlog_file.h). Either
// way one call = one whole event, header to checksum.
//
// Lifetime: views inside an Event (strings, row bytes) point into the bytes passed to Decode,
// or into Event::owned when the decoder had to decompress. Keep both alive while using them.
// Table maps are shared_ptr and outlive later TABLE_MAP events for the same id.
//
// Thread safety: none; one decoder per stream.
#ifndef SLUICE_BINLOG_DECODER_H_
#define SLUICE_BINLOG_DECODER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "sluice/binlog/event_context.h"
#include "sluice/binlog/event_header.h"
#include "sluice/binlog/events.h"
#include "sluice/binlog/format_description.h"
#include "sluice/binlog/rows_event.h"
#include "sluice/binlog/table_map.h"

namespace sluice::binlog {

struct TableMapEvent {
  std::shared_ptr<const TableMap> table;
};

using EventBody =
    std::variant<SkippedEvent, FormatDescriptionEvent, RotateEvent, StopEvent, QueryEvent, XidEvent,
                 StatementContextEvent, IncidentEvent, HeartbeatEvent, TableMapEvent, RowsEvent,
                 MariaGtidEvent, MariaGtidListEvent, BinlogCheckpointEvent, AnnotateRowsEvent,
                 MysqlGtidEvent, PreviousGtidsEvent, RowsQueryEvent, TransactionPayloadEvent,
                 XaPrepareEvent>;

struct Event {
  EventHeader header;
  EventContext context;  // type, file and start position, for messages and offsets
  EventBody body;
  // Decompressed bytes that views in `body` point into (MariaDB compressed events, events
  // inside a TRANSACTION_PAYLOAD); null otherwise.
  std::shared_ptr<const std::vector<uint8_t>> owned;

  template <typename T>
  const T* As() const {
    return std::get_if<T>(&body);
  }
};

struct DecoderOptions {
  bool verify_checksums = true;
  // Name of the file the first events belong to, when the caller knows it (a file reader
  // does; a stream learns it from the first ROTATE).
  std::string initial_file;
  // Largest decompressed size accepted for one MariaDB compressed event.
  uint64_t max_decompressed_size = uint64_t{1} << 30;
};

struct DecoderStats {
  uint64_t events = 0;
  uint64_t unknown_events = 0;  // types this library does not know, skipped
  uint64_t skipped_events = 0;  // known types with nothing to decode, including the above
  uint64_t checksum_verified = 0;
};

class BinlogDecoder {
 public:
  explicit BinlogDecoder(DecoderOptions options = {});

  // Decodes one complete event. `position` is where the event starts in its file when the
  // caller knows it (a file reader); otherwise it is derived from the header (log_pos minus
  // event size). On error the message names the event type, file and position; the decoder
  // stays usable, but a failed TABLE_MAP or FORMAT_DESCRIPTION leaves the old state in place.
  absl::StatusOr<Event> Decode(std::span<const uint8_t> event,
                               std::optional<uint64_t> position = std::nullopt);

  // Decodes one event from inside a TRANSACTION_PAYLOAD (no checksum), as PayloadReader hands
  // them out; the Event keeps the buffer. `payload` is the event that carried it: its file and
  // position are reported for the inner event.
  absl::StatusOr<Event> DecodeEmbedded(std::shared_ptr<const std::vector<uint8_t>> event,
                                       const Event& payload);

  const FormatDescription& format() const { return format_; }
  const std::string& current_file() const { return *file_; }
  std::shared_ptr<const TableMap> FindTable(uint64_t table_id) const;
  const DecoderStats& stats() const { return stats_; }

 private:
  absl::StatusOr<Event> DecodeImpl(std::span<const uint8_t> event, std::optional<uint64_t> position,
                                   bool embedded, const Event* payload);
  absl::Status DecodeBody(std::span<const uint8_t> data, Event& event);

  DecoderOptions options_;
  FormatDescription format_ = FormatDescription::Default();
  bool has_format_ = false;
  std::shared_ptr<const std::string> file_;
  absl::flat_hash_map<uint64_t, std::shared_ptr<const TableMap>> tables_;
  DecoderStats stats_;
};

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_DECODER_H_
