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

}  // namespace internal
}  // namespace sluice::binlog
