#ifndef SLUICE_CONNECTORS_MYSQL_GTID_MYSQL_GTID_SET_H_
#define SLUICE_CONNECTORS_MYSQL_GTID_MYSQL_GTID_SET_H_

// MySQL's GTID sets: which transactions (source UUID, optional tag, transaction number) a server,
// or a connector's offset, has seen. The text form is MySQL's, "uuid:1-5:7-9:tag:1-3,uuid2:1-3",
// as @@gtid_executed, SHOW BINARY LOG STATUS and Debezium's offset `gtids` hold it: per UUID its
// untagged intervals first, then each tag (MySQL 8.3+, `SET gtid_next='AUTOMATIC:tag'`) followed
// by its intervals. The binary form is the one COM_BINLOG_DUMP_GTID and the PREVIOUS_GTIDS event
// carry (Gtid_set::encode), all little-endian. Without tags:
//
//   int<8>  n_sids
//   per sid, in UUID order:   byte[16] uuid; int<8> n_intervals;
//                             per interval: int<8> start (inclusive); int<8> end (exclusive)
//
// With any tag (MySQL 8.3+), the first eight bytes mark the tagged format, and each sid carries
// its tag as a length (MySQL's variable-length integer) and the tag's bytes:
//
//   int<8>  0x01 | n_sids << 8 | 0x01 << 56
//   per (uuid, tag):          byte[16] uuid; varlen tag length; byte[n] tag; int<8> n_intervals;
//                             intervals as above
//
// (facts read off MySQL 9.7's own binlogs: tests/unit/binlog/testdata/mysql-9.7-gtids.*).
// A value type: copyable, thread-compatible.

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sluice::mysql {

// A server's UUID (server_uuid), the "source id" of its GTIDs: 16 bytes in the order they are
// written in text (binlog::Uuid is the same type).
using SourceUuid = std::array<uint8_t, 16>;

// "3e11fa47-71ca-11e1-9e33-c80aa9429562", upper or lower case; InvalidArgument otherwise.
absl::StatusOr<SourceUuid> ParseSourceUuid(absl::string_view text);
// Lower case with dashes, as MySQL prints it.
std::string FormatSourceUuid(const SourceUuid& uuid);

// A transaction source: a server UUID and a tag, "" for untagged GTIDs. Tags are lower case
// (MySQL folds them), 1 to 32 characters of [a-z0-9_], not starting with a digit.
struct Tsid {
  SourceUuid uuid{};
  std::string tag;
  auto operator<=>(const Tsid&) const = default;
  bool operator==(const Tsid&) const = default;
};

// OK for "" and for a valid tag (see Tsid); InvalidArgument naming the tag and the rule otherwise.
absl::Status CheckGtidTag(absl::string_view tag);

class MysqlGtidSet {
 public:
  static constexpr size_t kMaxTagLength = 32;

  // Transaction numbers start at 1; MySQL's largest is 2^63 - 2 (end stays representable).
  static constexpr int64_t kMaxGno = INT64_MAX - 1;

  // Half-open, as the binary form stores it: [start, end).
  struct Interval {
    int64_t start = 0;
    int64_t end = 0;
    bool operator==(const Interval&) const = default;
  };

  MysqlGtidSet() = default;

  // Parses MySQL's text form. Whitespace and newlines between elements are ignored (MySQL puts
  // ",\n" between sources), as are empty elements; a source may appear more than once and
  // intervals may overlap or come in any order: the result is normalised. An empty text is the
  // empty set. InvalidArgument names the element and what is wrong with it, e.g.
  // `GTID set element "3e11...:5-3": interval 5-3 ends before it starts`.
  static absl::StatusOr<MysqlGtidSet> Parse(absl::string_view text);

  // MySQL's text form: sources sorted by UUID, intervals ascending and merged, a single
  // transaction printed as "uuid:7", no spaces: "uuid:1-5:7,uuid2:1-3". Empty set: "".
  std::string ToString() const;

  // Adds one transaction; false when it was already in the set. REQUIRES: 1 <= gno <= kMaxGno,
  // `tag` "" or valid (CheckGtidTag; the decoder checks a tagged GTID event's tag).
  bool Add(const SourceUuid& uuid, int64_t gno, absl::string_view tag = "");
  // Adds every transaction of `other`.
  void AddAll(const MysqlGtidSet& other);

  bool Contains(const SourceUuid& uuid, int64_t gno, absl::string_view tag = "") const;
  // Whether every transaction of `other` is in this set.
  bool ContainsAll(const MysqlGtidSet& other) const;
  // The transactions of this set that are not in `other`.
  MysqlGtidSet Subtract(const MysqlGtidSet& other) const;

  bool empty() const { return sources_.empty(); }
  // Per source (UUID and tag), its intervals: sorted, disjoint, never adjacent, never empty.
  const std::map<Tsid, std::vector<Interval>>& sources() const { return sources_; }
  bool has_tags() const;

  // The binary form (see the top of this file): tagged only when the set holds a tag, so a
  // server before 8.3 is sent the form it reads.
  std::vector<uint8_t> Encode() const;

  bool operator==(const MysqlGtidSet&) const = default;

 private:
  // Adds [start, end) to one source's intervals, merging with overlapping or adjacent ones.
  static void AddInterval(std::vector<Interval>& intervals, Interval interval);

  std::map<Tsid, std::vector<Interval>> sources_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_GTID_MYSQL_GTID_SET_H_
