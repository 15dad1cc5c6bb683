#include "event_parsers.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "byte_reader.h"
#include "compression.h"

namespace sluice::binlog {

std::string UuidToString(const Uuid& u) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (size_t i = 0; i < u.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(kHex[u[i] >> 4]);
    s.push_back(kHex[u[i] & 0xf]);
  }
  return s;
}

std::string MariaGtidEvent::ToString() const {
  return absl::StrCat(domain_id, "-", server_id, "-", sequence);
}

std::string MariaGtidListEvent::ToString() const {
  return absl::StrJoin(gtids, ",", [](std::string* out, const MariaGtid& g) {
    absl::StrAppend(out, g.domain_id, "-", g.server_id, "-", g.sequence);
  });
}

std::string MysqlGtidEvent::ToString() const {
  return absl::StrCat(UuidToString(source_id), ":", gno);
}

std::string PreviousGtidsEvent::ToString() const {
  return absl::StrJoin(sources, ",", [](std::string* out, const Source& s) {
    out->append(UuidToString(s.source_id));
    for (const GtidInterval& i : s.intervals) {
      if (i.end - 1 == i.start) {
        absl::StrAppend(out, ":", i.start);
      } else {
        absl::StrAppend(out, ":", i.start, "-", i.end - 1);
      }
    }
  });
}

namespace internal {

namespace {

constexpr uint8_t kMaxDbsOverflow = 254;  // Q_UPDATED_DB_NAMES: "too many to list"

// Reads QUERY_EVENT status variables. Each is a code byte and a code-specific value with no
// length of its own, so an unknown code ends parsing; the block's total length still lets the
// caller find the database name and query that follow.
void ParseQueryStatus(ByteReader& r, QueryStatus& s) {
  auto short_string = [&r](const char* field) {
    uint8_t n = r.U8(field);
    return r.String(n, field);
  };
  while (r.ok() && !r.empty()) {
    uint8_t code = r.U8("status variable code");
    switch (code) {
      case 0:
        s.flags2 = r.U32("Q_FLAGS2");
        break;
      case 1:
        s.sql_mode = r.U64("Q_SQL_MODE");
        break;
      case 2:
        s.catalog = short_string("Q_CATALOG");
        r.Skip(1, "Q_CATALOG NUL");
        break;
      case 3:
        s.auto_increment_increment = r.U16("Q_AUTO_INCREMENT");
        s.auto_increment_offset = r.U16("Q_AUTO_INCREMENT");
        break;
      case 4:
        s.charset_client = r.U16("Q_CHARSET");
        s.collation_connection = r.U16("Q_CHARSET");
        s.collation_server = r.U16("Q_CHARSET");
        break;
      case 5:
        s.time_zone = short_string("Q_TIME_ZONE");
        break;
      case 6:
        s.catalog = short_string("Q_CATALOG_NZ");
        break;
      case 7:
        s.lc_time_names = r.U16("Q_LC_TIME_NAMES");
        break;
      case 8:
        s.collation_database = r.U16("Q_CHARSET_DATABASE");
        break;
      case 9:
        s.table_map_for_update = r.U64("Q_TABLE_MAP_FOR_UPDATE");
        break;
      case 10:
        r.Skip(4, "Q_MASTER_DATA_WRITTEN");
        break;
      case 11:
        s.invoker_user = short_string("Q_INVOKER user");
        s.invoker_host = short_string("Q_INVOKER host");
        break;
      case 12: {
        uint8_t count = r.U8("Q_UPDATED_DB_NAMES");
        if (count == kMaxDbsOverflow) break;
        for (uint8_t i = 0; i < count && r.ok(); ++i) {
          s.updated_databases.push_back(r.NulTerminated("Q_UPDATED_DB_NAMES name"));
        }
        break;
      }
      case 13:
        s.microseconds = static_cast<uint32_t>(r.UintLE(3, "Q_MICROSECONDS"));
        break;
      case 16:
        r.Skip(1, "Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP");
        break;
      case 17:
        s.ddl_xid = r.U64("Q_DDL_LOGGED_WITH_XID");
        break;
      case 18:
        s.default_collation_for_utf8mb4 = r.U16("Q_DEFAULT_COLLATION_FOR_UTF8MB4");
        break;
      case 19:
        r.Skip(1, "Q_SQL_REQUIRE_PRIMARY_KEY");
        break;
      case 20:
        r.Skip(1, "Q_DEFAULT_TABLE_ENCRYPTION");
        break;
      case 128:
        r.Skip(3, "Q_HRNOW");
        break;  // MariaDB: microseconds of the start time
      case 129:
        s.mariadb_xid = r.U64("Q_XID");
        break;
      default:
        s.stopped_at_unknown = true;
        s.unknown_code = code;
        r.Rest();
        return;
    }
  }
}

}  // namespace

bool IsRowsEvent(EventType type) {
  switch (type) {
    case EventType::kWriteRowsV1:
    case EventType::kUpdateRowsV1:
    case EventType::kDeleteRowsV1:
    case EventType::kWriteRowsV2:
    case EventType::kUpdateRowsV2:
    case EventType::kDeleteRowsV2:
    case EventType::kPartialUpdateRows:
    case EventType::kMariaWriteRowsCompressedV1:
    case EventType::kMariaUpdateRowsCompressedV1:
    case EventType::kMariaDeleteRowsCompressedV1:
    case EventType::kMariaWriteRowsCompressed:
    case EventType::kMariaUpdateRowsCompressed:
    case EventType::kMariaDeleteRowsCompressed:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<RotateEvent> ParseRotate(std::span<const uint8_t> data,
                                        const FormatDescription& fd) {
  ByteReader r(data);
  RotateEvent e;
  uint8_t ph = fd.PostHeaderLength(EventType::kRotate);
  if (ph == 0) ph = 8;
  e.position = r.U64("rotate position");
  if (ph > 8) r.Skip(ph - 8, "rotate post-header");
  e.next_file = r.RestAsString();
  if (!r.ok()) return r.status();
  if (e.next_file.empty()) return absl::DataLossError("rotate names no file");
  return e;
}

absl::StatusOr<QueryEvent> ParseQuery(std::span<const uint8_t> data, const FormatDescription& fd,
                                      EventType type, uint64_t max_size, Owned* owned) {
  ByteReader r(data);
  QueryEvent e;
  uint8_t ph = fd.PostHeaderLength(type);
  if (ph == 0) ph = 13;
  e.thread_id = r.U32("thread id");
  e.exec_time = r.U32("execution time");
  uint8_t db_len = r.U8("database name length");
  e.error_code = r.U16("error code");
  uint16_t status_len = ph >= 13 ? r.U16("status variables length") : 0;
  if (ph > 13) r.Skip(ph - 13, "query post-header");
  std::span<const uint8_t> status = r.Bytes(status_len, "status variables");
  e.database = r.String(db_len, "database name");
  r.Skip(1, "database name NUL");
  if (!r.ok()) return r.status();
  ByteReader sr(status);
  ParseQueryStatus(sr, e.status);
  if (!sr.ok())
    return absl::DataLossError(absl::StrCat("status variables: ", sr.status().message()));
  if (type == EventType::kMariaQueryCompressed) {
    auto text = UncompressMariaDbRecord(r.Rest(), max_size);
    if (!text.ok()) {
      return absl::Status(text.status().code(),
                          absl::StrCat("query text: ", text.status().message()));
    }
    auto buffer = std::make_shared<const std::vector<uint8_t>>(*std::move(text));
    e.query = std::string_view(reinterpret_cast<const char*>(buffer->data()), buffer->size());
    e.was_compressed = true;
    *owned = std::move(buffer);
  } else {
    e.query = r.RestAsString();
  }
  return e;
}

absl::StatusOr<XidEvent> ParseXid(std::span<const uint8_t> data) {
  ByteReader r(data);
  XidEvent e{r.U64("xid")};
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<IncidentEvent> ParseIncident(std::span<const uint8_t> data) {
  ByteReader r(data);
  IncidentEvent e;
  e.incident = r.U16("incident type");
  if (!r.empty()) {
    uint8_t n = r.U8("message length");
    e.message = r.String(n, "message");
  }
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<MariaGtidEvent> ParseMariaGtid(std::span<const uint8_t> data, uint32_t server_id) {
  ByteReader r(data);
  MariaGtidEvent e;
  e.server_id = server_id;
  e.sequence = r.U64("GTID sequence number");
  e.domain_id = r.U32("GTID domain id");
  e.flags = r.U8("GTID flags");
  if (e.flags & MariaGtidEvent::kGroupCommitId) e.commit_id = r.U64("commit id");
  if (e.flags & (MariaGtidEvent::kPreparedXa | MariaGtidEvent::kCompletedXa)) {
    e.xa_format_id = r.U32("XA format id");
    uint8_t gtrid = r.U8("XA gtrid length");
    uint8_t bqual = r.U8("XA bqual length");
    e.xa_gtrid = r.String(gtrid, "XA gtrid");
    e.xa_bqual = r.String(bqual, "XA bqual");
  }
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<MariaGtidListEvent> ParseMariaGtidList(std::span<const uint8_t> data) {
  ByteReader r(data);
  MariaGtidListEvent e;
  uint32_t count_and_flags = r.U32("GTID count");
  uint32_t count = count_and_flags & ((1u << 28) - 1);
  e.flags = static_cast<uint8_t>(count_and_flags >> 28);
  if (!r.ok()) return r.status();
  if (uint64_t{count} * 16 > r.remaining()) {
    return absl::DataLossError(absl::StrCat("GTID list of ", count, " entries needs ",
                                            count * 16ull, " bytes, ", r.remaining(), " remain"));
  }
  e.gtids.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    MariaGtid g;
    g.domain_id = r.U32("domain id");
    g.server_id = r.U32("server id");
    g.sequence = r.U64("sequence number");
    e.gtids.push_back(g);
  }
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<BinlogCheckpointEvent> ParseBinlogCheckpoint(std::span<const uint8_t> data) {
  ByteReader r(data);
  uint32_t n = r.U32("file name length");
  BinlogCheckpointEvent e{r.String(n, "file name")};
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<MysqlGtidEvent> ParseMysqlGtid(std::span<const uint8_t> data, bool anonymous) {
  ByteReader r(data);
  MysqlGtidEvent e;
  e.anonymous = anonymous;
  e.flags = r.U8("GTID flags");
  auto sid = r.Bytes(16, "source id");
  if (r.ok()) std::memcpy(e.source_id.data(), sid.data(), 16);
  e.gno = static_cast<int64_t>(r.U64("GNO"));
  if (!r.ok()) return r.status();
  // Later fields were added release by release; each is present only if bytes remain.
  if (!r.empty()) {
    uint8_t lt_type = r.U8("logical timestamp type");
    if (lt_type == 2) {
      e.last_committed = static_cast<int64_t>(r.U64("last committed"));
      e.sequence_number = static_cast<int64_t>(r.U64("sequence number"));
    }
  }
  constexpr uint64_t kHasOriginal56 = uint64_t{1} << 55;
  if (r.ok() && r.remaining() >= 7) {
    uint64_t immediate = r.UintLE(7, "immediate commit timestamp");
    uint64_t original = immediate & ~kHasOriginal56;
    if (immediate & kHasOriginal56) {
      immediate &= ~kHasOriginal56;
      original = r.UintLE(7, "original commit timestamp");
    }
    e.immediate_commit_timestamp_us = immediate;
    e.original_commit_timestamp_us = original;
    if (r.ok() && !r.empty()) e.transaction_length = r.PackedInt("transaction length");
    constexpr uint32_t kHasOriginal32 = uint32_t{1} << 31;
    if (r.ok() && r.remaining() >= 4) {
      uint32_t server = r.U32("immediate server version");
      uint32_t original_server = server & ~kHasOriginal32;
      if (server & kHasOriginal32) {
        server &= ~kHasOriginal32;
        original_server = r.U32("original server version");
      }
      e.immediate_server_version = server;
      e.original_server_version = original_server;
    }
  }
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<PreviousGtidsEvent> ParsePreviousGtids(std::span<const uint8_t> data) {
  ByteReader r(data);
  PreviousGtidsEvent e;
  uint64_t n_sids = r.U64("source count");
  if (!r.ok()) return r.status();
  if (n_sids > r.remaining() / 24) {
    return absl::DataLossError(
        absl::StrCat(n_sids, " sources cannot fit in ", r.remaining(), " bytes"));
  }
  e.sources.reserve(n_sids);
  for (uint64_t i = 0; i < n_sids && r.ok(); ++i) {
    PreviousGtidsEvent::Source s;
    auto sid = r.Bytes(16, "source id");
    if (r.ok()) std::memcpy(s.source_id.data(), sid.data(), 16);
    uint64_t n_intervals = r.U64("interval count");
    if (!r.ok()) break;
    if (n_intervals > r.remaining() / 16) {
      return absl::DataLossError(
          absl::StrCat(n_intervals, " intervals cannot fit in ", r.remaining(), " bytes"));
    }
    for (uint64_t j = 0; j < n_intervals; ++j) {
      GtidInterval iv;
      iv.start = static_cast<int64_t>(r.U64("interval start"));
      iv.end = static_cast<int64_t>(r.U64("interval end"));
      s.intervals.push_back(iv);
    }
    e.sources.push_back(std::move(s));
  }
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<RowsQueryEvent> ParseRowsQuery(std::span<const uint8_t> data) {
  ByteReader r(data);
  r.Skip(1,
         "length byte");  // a one-byte length that overflows for long queries; the rest is the text
  RowsQueryEvent e{r.RestAsString()};
  if (!r.ok()) return r.status();
  return e;
}

absl::StatusOr<TransactionPayloadEvent> ParseTransactionPayload(std::span<const uint8_t> data,
                                                                uint64_t max_size) {
  ByteReader r(data);
  TransactionPayloadEvent e;
  bool have_size = false, have_type = false;
  // Header fields: (type, length, value) triples of length-encoded integers, ended by type 0.
  while (r.ok()) {
    uint64_t type = r.PackedInt("payload field type");
    if (!r.ok() || type == 0) break;
    uint64_t length = r.PackedInt("payload field length");
    ByteReader value(r.Bytes(length, "payload field value"));
    if (!r.ok()) break;
    switch (type) {
      case 1:
        e.payload_size = value.PackedInt("payload size");
        have_size = true;
        break;
      case 2:
        e.compression_type = value.PackedInt("compression type");
        have_type = true;
        break;
      case 3:
        e.uncompressed_size = value.PackedInt("uncompressed size");
        break;
      default:
        break;  // newer field; its length lets us skip it
    }
    if (!value.ok()) return value.status();
  }
  if (!r.ok()) return r.status();
  if (!have_size || !have_type) {
    return absl::DataLossError("payload header lacks its size or compression type");
  }
  std::span<const uint8_t> payload = r.Rest();
  if (payload.size() != e.payload_size) {
    return absl::DataLossError(
        absl::StrCat("payload is ", payload.size(), " bytes, header says ", e.payload_size));
  }
  std::vector<uint8_t> events;
  if (e.compression_type == 0) {
    auto out = ZstdDecompress(payload, e.uncompressed_size, max_size);
    if (!out.ok()) return out.status();
    events = *std::move(out);
  } else if (e.compression_type == 255) {
    events.assign(payload.begin(), payload.end());
  } else {
    return absl::UnimplementedError(absl::StrCat("payload compression type ", e.compression_type,
                                                 " is unknown (0 = zstd, 255 = none)"));
  }
  e.events = std::make_shared<const std::vector<uint8_t>>(std::move(events));
  return e;
}

absl::Status ParseRowsEvent(std::span<const uint8_t> data, EventType type,
                            const FormatDescription& fd, uint64_t max_size, RowsEvent* out,
                            Owned* owned) {
  bool compressed = false;
  switch (type) {
    case EventType::kWriteRowsV1:
      out->kind = RowsKind::kWrite;
      out->version = 1;
      break;
    case EventType::kUpdateRowsV1:
      out->kind = RowsKind::kUpdate;
      out->version = 1;
      break;
    case EventType::kDeleteRowsV1:
      out->kind = RowsKind::kDelete;
      out->version = 1;
      break;
    case EventType::kWriteRowsV2:
      out->kind = RowsKind::kWrite;
      out->version = 2;
      break;
    case EventType::kUpdateRowsV2:
      out->kind = RowsKind::kUpdate;
      out->version = 2;
      break;
    case EventType::kDeleteRowsV2:
      out->kind = RowsKind::kDelete;
      out->version = 2;
      break;
    case EventType::kPartialUpdateRows:
      out->kind = RowsKind::kUpdate;
      out->version = 2;
      out->partial_json = true;
      break;
    case EventType::kMariaWriteRowsCompressedV1:
      out->kind = RowsKind::kWrite;
      out->version = 1;
      compressed = true;
      break;
    case EventType::kMariaUpdateRowsCompressedV1:
      out->kind = RowsKind::kUpdate;
      out->version = 1;
      compressed = true;
      break;
    case EventType::kMariaDeleteRowsCompressedV1:
      out->kind = RowsKind::kDelete;
      out->version = 1;
      compressed = true;
      break;
    case EventType::kMariaWriteRowsCompressed:
      out->kind = RowsKind::kWrite;
      out->version = 2;
      compressed = true;
      break;
    case EventType::kMariaUpdateRowsCompressed:
      out->kind = RowsKind::kUpdate;
      out->version = 2;
      compressed = true;
      break;
    case EventType::kMariaDeleteRowsCompressed:
      out->kind = RowsKind::kDelete;
      out->version = 2;
      compressed = true;
      break;
    default:
      return absl::InvalidArgumentError("not a rows event");
  }
  ByteReader r(data);
  uint8_t ph = fd.PostHeaderLength(type);
  if (ph == 0) ph = out->version == 1 ? 8 : 10;
  size_t consumed;
  if (ph == 6) {
    out->table_id = r.U32("table id");
    consumed = 4;
  } else {
    out->table_id = r.UintLE(6, "table id");
    consumed = 6;
  }
  out->flags = r.U16("rows flags");
  consumed += 2;
  if (out->version == 2) {
    uint16_t extra_len = r.U16("extra data length");
    consumed += 2;
    if (r.ok() && extra_len < 2) {
      return absl::DataLossError(
          absl::StrCat("extra data length ", extra_len, " is smaller than its own 2 bytes"));
    }
    if (ph > consumed) r.Skip(ph - consumed, "rows post-header");
    out->extra_data = r.Bytes(extra_len - 2u, "extra row info");
  } else if (ph > consumed) {
    r.Skip(ph - consumed, "rows post-header");
  }
  uint64_t columns = r.PackedInt("column count");
  if (!r.ok()) return r.status();
  if (columns == 0 || columns > 4096 * 8) {
    return absl::DataLossError(absl::StrCat("column count ", columns, " is impossible"));
  }
  out->column_count = static_cast<uint32_t>(columns);
  size_t bitmap_bytes = (columns + 7) / 8;
  std::span<const uint8_t> first = r.Bytes(bitmap_bytes, "columns-present bitmap");
  switch (out->kind) {
    case RowsKind::kWrite:
      out->columns_after = first;
      break;
    case RowsKind::kDelete:
      out->columns_before = first;
      break;
    case RowsKind::kUpdate:
      out->columns_before = first;
      out->columns_after = r.Bytes(bitmap_bytes, "after-image columns-present bitmap");
      break;
  }
  if (!r.ok()) return r.status();
  if (compressed) {
    auto rows = UncompressMariaDbRecord(r.Rest(), max_size);
    if (!rows.ok()) {
      return absl::Status(rows.status().code(), absl::StrCat("rows: ", rows.status().message()));
    }
    auto buffer = std::make_shared<const std::vector<uint8_t>>(*std::move(rows));
    out->rows = std::span<const uint8_t>(buffer->data(), buffer->size());
    out->was_compressed = true;
    *owned = std::move(buffer);
  } else {
    out->rows = r.Rest();
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace sluice::binlog
