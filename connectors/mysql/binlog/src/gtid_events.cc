// Transaction identity: MariaDB GTID / GTID_LIST, MySQL GTID / ANONYMOUS_GTID / PREVIOUS_GTIDS,
// and their text forms.
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "byte_reader.h"
#include "event_parsers.h"

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
  if (tag.empty()) return absl::StrCat(UuidToString(source_id), ":", gno);
  return absl::StrCat(UuidToString(source_id), ":", absl::string_view(tag.data(), tag.size()), ":",
                      gno);
}

std::string PreviousGtidsEvent::ToString() const {
  // One element per UUID: consecutive sources of the same UUID (its tags) continue it.
  std::string out;
  const Uuid* last = nullptr;
  for (const Source& s : sources) {
    if (last == nullptr || *last != s.source_id) {
      if (!out.empty()) out.push_back(',');
      out += UuidToString(s.source_id);
      last = &s.source_id;
    }
    if (!s.tag.empty()) absl::StrAppend(&out, ":", absl::string_view(s.tag.data(), s.tag.size()));
    for (const GtidInterval& i : s.intervals) {
      if (i.end - 1 == i.start) {
        absl::StrAppend(&out, ":", i.start);
      } else {
        absl::StrAppend(&out, ":", i.start, "-", i.end - 1);
      }
    }
  }
  return out;
}

namespace internal {

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

// The fields of a tagged GTID event, by the number MySQL's serialization gives each; a message
// lists the fields it carries in ascending order, and leaves out those at their default.
enum TaggedGtidField : uint64_t {
  kFlags = 0,
  kUuid = 1,
  kGno = 2,
  kTag = 3,
  kLastCommitted = 4,
  kSequenceNumber = 5,
  kImmediateCommitTimestamp = 6,
  kOriginalCommitTimestamp = 7,   // left out when equal to the immediate one
  kTransactionLength = 8,
  kImmediateServerVersion = 9,
  kOriginalServerVersion = 10,    // left out when equal to the immediate one
  kCommitGroupTicket = 11,        // left out when not set
};

// A tag as MySQL writes it: a varlen length, then the bytes (at most 32, [a-z0-9_]).
std::string_view ReadTag(ByteReader& r, const char* field) {
  const uint64_t length = r.VarUint(field);
  if (!r.ok()) return {};
  if (length > 32) {
    r.Invalid(absl::StrCat(field, " of ", length, " bytes; MySQL's tags have at most 32"));
    return {};
  }
  return r.String(static_cast<size_t>(length), field);
}

absl::StatusOr<MysqlGtidEvent> ParseMysqlTaggedGtid(std::span<const uint8_t> data) {
  ByteReader r(data);
  const uint64_t format_version = r.VarUint("serialization format version");
  const uint64_t message_size = r.VarUint("message size");
  r.VarUint("last non-ignorable field id");
  if (!r.ok()) return r.status();
  if (format_version != 1) {
    return absl::DataLossError(absl::StrCat("tagged GTID event in serialization format version ",
                                            format_version, "; this decoder reads version 1"));
  }
  if (message_size != data.size()) {
    return absl::DataLossError(absl::StrCat("tagged GTID event says it is ", message_size,
                                            " bytes long but holds ", data.size()));
  }
  MysqlGtidEvent e;
  bool has_uuid = false, has_gno = false;
  int64_t previous_field = -1;
  while (r.ok() && !r.empty()) {
    const uint64_t field = r.VarUint("field id");
    if (!r.ok()) break;
    if (static_cast<int64_t>(field) <= previous_field) {
      return absl::DataLossError(absl::StrCat("tagged GTID event field ", field, " follows field ",
                                              previous_field, "; fields come in ascending order"));
    }
    previous_field = static_cast<int64_t>(field);
    switch (field) {
      case kFlags:
        e.flags = static_cast<uint8_t>(r.VarUint("GTID flags"));
        break;
      case kUuid:
        for (uint8_t& byte : e.source_id) byte = static_cast<uint8_t>(r.VarUint("source id"));
        has_uuid = true;
        break;
      case kGno:
        e.gno = r.VarInt("GNO");
        has_gno = true;
        break;
      case kTag:
        e.tag = ReadTag(r, "GTID tag");
        break;
      case kLastCommitted:
        e.last_committed = r.VarInt("last committed");
        break;
      case kSequenceNumber:
        e.sequence_number = r.VarInt("sequence number");
        break;
      case kImmediateCommitTimestamp:
        e.immediate_commit_timestamp_us = r.VarUint("immediate commit timestamp");
        break;
      case kOriginalCommitTimestamp:
        e.original_commit_timestamp_us = r.VarUint("original commit timestamp");
        break;
      case kTransactionLength:
        e.transaction_length = r.VarUint("transaction length");
        break;
      case kImmediateServerVersion:
        e.immediate_server_version = static_cast<uint32_t>(r.VarUint("immediate server version"));
        break;
      case kOriginalServerVersion:
        e.original_server_version = static_cast<uint32_t>(r.VarUint("original server version"));
        break;
      case kCommitGroupTicket:
        e.commit_group_ticket = r.VarUint("commit group ticket");
        break;
      default:
        // A field a later server added: fields come in ascending order and this decoder knows
        // every one before it, so the rest is newer than what it reads and the identity above
        // is complete.
        r.Rest();
        break;
    }
  }
  if (!r.ok()) return r.status();
  if (!has_uuid || !has_gno) {
    return absl::DataLossError("tagged GTID event without its source id or GNO");
  }
  if (e.gno < 1) {
    return absl::DataLossError(absl::StrCat("tagged GTID event with GNO ", e.gno));
  }
  // Left out when equal to the immediate values.
  if (!e.original_commit_timestamp_us) e.original_commit_timestamp_us = e.immediate_commit_timestamp_us;
  if (!e.original_server_version) e.original_server_version = e.immediate_server_version;
  return e;
}

absl::StatusOr<PreviousGtidsEvent> ParsePreviousGtids(std::span<const uint8_t> data) {
  ByteReader r(data);
  PreviousGtidsEvent e;
  // The tagged encoding marks itself in the lowest and highest byte of the first eight; n_sids
  // sits between them. The untagged one is n_sids alone, which never reaches the top byte.
  constexpr uint64_t kTaggedFormat = 1;
  const uint64_t head = r.U64("source count");
  if (!r.ok()) return r.status();
  const bool tagged = (head >> 56) == kTaggedFormat;
  if (tagged && (head & 0xff) != kTaggedFormat) {
    return absl::DataLossError(absl::StrCat("PREVIOUS_GTIDS header 0x", absl::Hex(head),
                                            " marks the tagged format at one end only"));
  }
  if (!tagged && (head >> 56) != 0) {
    return absl::DataLossError(absl::StrCat("PREVIOUS_GTIDS in unknown format ", head >> 56));
  }
  const uint64_t n_sids = tagged ? (head >> 8) & ((uint64_t{1} << 48) - 1) : head;
  const size_t smallest_source = tagged ? 25 : 24;
  if (n_sids > r.remaining() / smallest_source) {
    return absl::DataLossError(
        absl::StrCat(n_sids, " sources cannot fit in ", r.remaining(), " bytes"));
  }
  e.sources.reserve(n_sids);
  for (uint64_t i = 0; i < n_sids && r.ok(); ++i) {
    PreviousGtidsEvent::Source s;
    auto sid = r.Bytes(16, "source id");
    if (r.ok()) std::memcpy(s.source_id.data(), sid.data(), 16);
    if (tagged) s.tag = ReadTag(r, "GTID tag");
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

}  // namespace internal
}  // namespace sluice::binlog
