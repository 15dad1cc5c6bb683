#include "sluice/binlog/decoder.h"

#include "absl/strings/str_cat.h"
#include "event_parsers.h"
#include "sluice/binlog/checksum.h"

namespace sluice::binlog {

BinlogDecoder::BinlogDecoder(DecoderOptions options)
    : options_(std::move(options)),
      file_(std::make_shared<const std::string>(options_.initial_file)) {}

std::shared_ptr<const TableMap> BinlogDecoder::FindTable(uint64_t table_id) const {
  auto it = tables_.find(table_id);
  return it == tables_.end() ? nullptr : it->second;
}

absl::StatusOr<Event> BinlogDecoder::Decode(std::span<const uint8_t> event,
                                            std::optional<uint64_t> position) {
  return DecodeImpl(event, position, /*embedded=*/false, nullptr);
}

absl::StatusOr<Event> BinlogDecoder::DecodeEmbedded(
    std::shared_ptr<const std::vector<uint8_t>> event, const Event& payload) {
  if (event == nullptr) return absl::InvalidArgumentError("no event given");
  absl::StatusOr<Event> decoded =
      DecodeImpl(*event, payload.context.position, /*embedded=*/true, &payload);
  // Views in the inner event point into its own buffer; keep it with the event (unless the
  // event had to own decompressed bytes of its own, which never happens inside a payload).
  if (decoded.ok() && decoded->owned == nullptr) decoded->owned = std::move(event);
  return decoded;
}

absl::StatusOr<Event> BinlogDecoder::DecodeImpl(std::span<const uint8_t> bytes,
                                                std::optional<uint64_t> position, bool embedded,
                                                const Event* payload) {
  Event event;
  event.context.file = embedded ? payload->context.file : file_;
  event.context.position = position.value_or(0);
  absl::StatusOr<EventHeader> header = ParseEventHeader(bytes);
  if (!header.ok()) return AnnotateError(header.status(), event.context);
  event.header = *header;
  event.context.type = header->type;
  if (!position.has_value() && header->log_pos >= header->event_size) {
    event.context.position = header->log_pos - header->event_size;
  }
  auto fail = [&event](const absl::Status& s) { return AnnotateError(s, event.context); };
  if (bytes.size() != header->event_size) {
    return fail(absl::DataLossError(absl::StrCat("header says ", header->event_size, " bytes but ",
                                                 bytes.size(), " were given")));
  }
  ++stats_.events;

  // Decide whether the event ends in a checksum. A FORMAT_DESCRIPTION says so for itself; the
  // events before the first one (the artificial ROTATE of a dump) are checked by trying.
  size_t checksum_size = 0;
  if (!embedded) {
    bool has_checksum = false;
    if (header->type == EventType::kFormatDescription) {
      // Decided after parsing, below.
    } else if (has_format_) {
      has_checksum = format_.checksum == ChecksumAlgorithm::kCrc32;
    } else {
      has_checksum =
          bytes.size() >= kEventHeaderSize + kChecksumSize && VerifyEventChecksum(bytes).ok();
    }
    if (has_checksum) {
      if (bytes.size() < kEventHeaderSize + kChecksumSize) {
        return fail(absl::DataLossError("event too short to hold its checksum"));
      }
      if (options_.verify_checksums) {
        if (absl::Status s = VerifyEventChecksum(bytes); !s.ok()) return fail(s);
        ++stats_.checksum_verified;
      }
      checksum_size = kChecksumSize;
    }
  }

  const size_t header_size = header->type == EventType::kFormatDescription
                                 ? kEventHeaderSize
                                 : format_.common_header_length;
  if (bytes.size() < header_size + checksum_size) {
    return fail(absl::DataLossError(absl::StrCat(
        "event of ", bytes.size(), " bytes is shorter than its ", header_size, "-byte header")));
  }
  std::span<const uint8_t> data =
      bytes.subspan(header_size, bytes.size() - header_size - checksum_size);

  if (header->type == EventType::kFormatDescription) {
    absl::StatusOr<FormatDescription> fd = ParseFormatDescription(data);
    if (!fd.ok()) return fail(fd.status());
    if (fd->checksum == ChecksumAlgorithm::kCrc32 && options_.verify_checksums && !embedded) {
      if (absl::Status s = VerifyEventChecksum(bytes, /*clear_in_use_flag=*/true); !s.ok()) {
        return fail(s);
      }
      ++stats_.checksum_verified;
    }
    format_ = *fd;
    has_format_ = true;
    // A new FORMAT_DESCRIPTION means a new file or a restarted server: old table ids are void.
    tables_.clear();
    event.body = FormatDescriptionEvent{*std::move(fd)};
    return event;
  }
  if (absl::Status s = DecodeBody(data, event); !s.ok()) return fail(s);
  return event;
}

absl::Status BinlogDecoder::DecodeBody(std::span<const uint8_t> data, Event& event) {
  const EventType type = event.header.type;
  auto assign = [&event](auto parsed) -> absl::Status {
    if (!parsed.ok()) return parsed.status();
    event.body = *std::move(parsed);
    return absl::OkStatus();
  };
  switch (type) {
    case EventType::kRotate: {
      auto rotate = internal::ParseRotate(data, format_);
      if (!rotate.ok()) return rotate.status();
      // The ROTATE itself belongs to the old file; what follows belongs to the new one.
      file_ = std::make_shared<const std::string>(rotate->next_file);
      if (event.header.log_pos == 0 || event.context.file->empty()) {
        event.context.file = file_;  // the artificial ROTATE that opens a dump stream
      }
      event.body = *rotate;
      return absl::OkStatus();
    }
    case EventType::kStop:
      event.body = StopEvent{};
      return absl::OkStatus();
    case EventType::kQuery:
    case EventType::kMariaQueryCompressed:
      return assign(
          internal::ParseQuery(data, format_, type, options_.max_decompressed_size, &event.owned));
    case EventType::kXid:
      return assign(internal::ParseXid(data));
    case EventType::kIntvar:
    case EventType::kRand:
    case EventType::kUserVar:
      event.body = StatementContextEvent{type, data};
      return absl::OkStatus();
    case EventType::kIncident:
      return assign(internal::ParseIncident(data));
    case EventType::kHeartbeat:
      event.body =
          HeartbeatEvent{std::string_view(reinterpret_cast<const char*>(data.data()), data.size())};
      return absl::OkStatus();
    case EventType::kTableMap: {
      auto table = ParseTableMap(data,
                                 format_.PostHeaderLength(EventType::kTableMap) == 0
                                     ? 8
                                     : format_.PostHeaderLength(EventType::kTableMap),
                                 format_.flavor);
      if (!table.ok()) return table.status();
      tables_[(*table)->table_id] = *table;
      event.body = TableMapEvent{*std::move(table)};
      return absl::OkStatus();
    }
    case EventType::kMariaGtid:
      return assign(internal::ParseMariaGtid(data, event.header.server_id));
    case EventType::kMariaGtidList:
      return assign(internal::ParseMariaGtidList(data));
    case EventType::kMariaBinlogCheckpoint:
      return assign(internal::ParseBinlogCheckpoint(data));
    case EventType::kMariaAnnotateRows:
      event.body = AnnotateRowsEvent{
          std::string_view(reinterpret_cast<const char*>(data.data()), data.size())};
      return absl::OkStatus();
    case EventType::kGtid:
    case EventType::kAnonymousGtid:
      return assign(internal::ParseMysqlGtid(data, type == EventType::kAnonymousGtid));
    case EventType::kGtidTagged:
      return assign(internal::ParseMysqlTaggedGtid(data));
    case EventType::kPreviousGtids:
      return assign(internal::ParsePreviousGtids(data));
    case EventType::kRowsQuery:
      return assign(internal::ParseRowsQuery(data));
    case EventType::kXaPrepare:
      return assign(internal::ParseXaPrepare(data));
    case EventType::kTransactionPayload:
      return assign(internal::ParseTransactionPayload(data));
    case EventType::kStartV3:
    case EventType::kIgnorable:
    case EventType::kTransactionContext:
    case EventType::kViewChange:
    case EventType::kHeartbeatV2:
    case EventType::kMariaStartEncryption:
    case EventType::kUnknown:
      ++stats_.skipped_events;
      event.body = SkippedEvent{false, data};
      return absl::OkStatus();
    default:
      break;
  }
  if (internal::IsRowsEvent(type)) {
    RowsEvent rows;
    if (absl::Status s = internal::ParseRowsEvent(
            data, type, format_, options_.max_decompressed_size, &rows, &event.owned);
        !s.ok()) {
      return s;
    }
    rows.table = FindTable(rows.table_id);
    if (rows.table == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("no TABLE_MAP_EVENT seen for table id ", rows.table_id,
                       "; reading must start at a transaction boundary (a GTID or BEGIN event)"));
    }
    if (rows.column_count > rows.table->columns.size()) {
      return absl::DataLossError(absl::StrCat(
          "rows event has ", rows.column_count, " columns but the table map of `",
          rows.table->database, "`.`", rows.table->table, "` has ", rows.table->columns.size()));
    }
    rows.context = event.context;
    event.body = std::move(rows);
    return absl::OkStatus();
  }
  // Rows events of a version this library does not know must not be silently dropped: the
  // rows would be lost. Other unknown types carry nothing we need.
  if (static_cast<uint8_t>(type) >= 20 && static_cast<uint8_t>(type) <= 22) {
    return absl::UnimplementedError("pre-GA (MySQL 5.1.0-5.1.15) rows events are not supported");
  }
  ++stats_.unknown_events;
  ++stats_.skipped_events;
  event.body = SkippedEvent{true, data};
  return absl::OkStatus();
}

}  // namespace sluice::binlog
