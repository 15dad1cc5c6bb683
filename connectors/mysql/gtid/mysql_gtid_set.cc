#include "connectors/mysql/gtid/mysql_gtid_set.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace sluice::mysql {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool AllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

// "0-1-42": what a MariaDB GTID looks like, to say so when one is given as a MySQL set.
bool LooksLikeMariaDbGtid(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  return parts.size() == 3 && AllDigits(parts[0]) && AllDigits(parts[1]) && AllDigits(parts[2]);
}

absl::Status ElementError(absl::string_view element, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("GTID set element \"", element, "\": ", what));
}

absl::StatusOr<int64_t> ParseGno(absl::string_view element, absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  int64_t gno = 0;
  if (!AllDigits(text)) {
    return ElementError(element, absl::StrCat("\"", text, "\" is not a transaction number"));
  }
  if (!absl::SimpleAtoi(text, &gno) || gno > MysqlGtidSet::kMaxGno) {
    return ElementError(element, absl::StrCat("transaction number ", text,
                                              " exceeds MySQL's largest, ", MysqlGtidSet::kMaxGno));
  }
  if (gno == 0) return ElementError(element, "transaction numbers start at 1, not 0");
  return gno;
}

void AppendLittleEndian(std::vector<uint8_t>& out, uint64_t value, int bytes = 8) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

// MySQL's variable-length unsigned integer (its serialization library, 8.3+): the number of
// trailing one bits of the first byte is the number of bytes that follow it; the value sits above
// those marker bits, little-endian. Tag lengths (at most 32) always take one byte, value << 1.
void AppendVarlen(std::vector<uint8_t>& out, uint64_t value) {
  int extra = 0;
  while (extra < 8 && value >= (uint64_t{1} << (7 * (extra + 1)))) ++extra;
  if (extra == 8) {
    out.push_back(0xff);
    AppendLittleEndian(out, value);
    return;
  }
  const uint64_t marker = (uint64_t{1} << extra) - 1;
  AppendLittleEndian(out, (value << (extra + 1)) | marker, extra + 1);
}

// Whether a part of an element is a tag rather than an interval: intervals start with a digit.
bool IsTagPart(absl::string_view part) {
  return !part.empty() &&
         (absl::ascii_isalpha(static_cast<unsigned char>(part[0])) || part[0] == '_');
}

}  // namespace

absl::StatusOr<SourceUuid> ParseSourceUuid(absl::string_view text) {
  SourceUuid uuid{};
  const bool shaped =
      text.size() == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-';
  size_t byte = 0;
  for (size_t i = 0; shaped && i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    const int high = HexValue(text[i]);
    const int low = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
    if (high < 0 || low < 0) break;
    uuid[byte++] = static_cast<uint8_t>(high << 4 | low);
    ++i;
  }
  if (byte != uuid.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text,
                     "\" is not a server UUID (32 hex digits grouped 8-4-4-4-12, e.g. "
                     "3e11fa47-71ca-11e1-9e33-c80aa9429562)"));
  }
  return uuid;
}

std::string FormatSourceUuid(const SourceUuid& uuid) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[uuid[i] >> 4]);
    text.push_back(kHex[uuid[i] & 0xf]);
  }
  return text;
}

absl::Status CheckGtidTag(absl::string_view tag) {
  if (tag.empty()) return absl::OkStatus();
  const bool valid =
      tag.size() <= MysqlGtidSet::kMaxTagLength && !absl::ascii_isdigit(static_cast<unsigned char>(tag[0])) &&
      std::all_of(tag.begin(), tag.end(), [](char c) {
        return absl::ascii_islower(static_cast<unsigned char>(c)) ||
               absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_';
      });
  if (valid) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("\"", tag, "\" is not a GTID tag (1 to ", MysqlGtidSet::kMaxTagLength,
                   " characters of a-z, 0-9 and _, not starting with a digit)"));
}

absl::StatusOr<MysqlGtidSet> MysqlGtidSet::Parse(absl::string_view text) {
  MysqlGtidSet set;
  for (absl::string_view element : absl::StrSplit(text, ',')) {
    element = absl::StripAsciiWhitespace(element);
    if (element.empty()) continue;
    std::vector<absl::string_view> parts = absl::StrSplit(element, ':');
    const absl::string_view uuid_text = absl::StripAsciiWhitespace(parts[0]);
    absl::StatusOr<SourceUuid> uuid = ParseSourceUuid(uuid_text);
    if (!uuid.ok()) {
      if (LooksLikeMariaDbGtid(element)) {
        return ElementError(
            element, "a MariaDB GTID (domain-server-sequence), not a MySQL one (uuid:numbers)");
      }
      return ElementError(element, uuid.status().message());
    }
    Tsid tsid{*uuid, ""};
    for (size_t i = 1; i < parts.size(); ++i) {
      const absl::string_view part = absl::StripAsciiWhitespace(parts[i]);
      if (part.empty())
        return ElementError(element, "an empty interval (\"::\" or a trailing \":\")");
      if (IsTagPart(part)) {
        // MySQL folds tags to lower case; the intervals after a tag are that tag's.
        tsid.tag = absl::AsciiStrToLower(part);
        if (absl::Status valid = CheckGtidTag(tsid.tag); !valid.ok()) {
          return ElementError(element, valid.message());
        }
        if (i + 1 == parts.size() || IsTagPart(absl::StripAsciiWhitespace(parts[i + 1]))) {
          return ElementError(element, absl::StrCat("tag \"", part, "\" has no transactions"));
        }
        continue;
      }
      const size_t dash = part.find('-');
      absl::StatusOr<int64_t> first = ParseGno(element, part.substr(0, dash));
      if (!first.ok()) return first.status();
      int64_t last = *first;
      if (dash != absl::string_view::npos) {
        absl::StatusOr<int64_t> end = ParseGno(element, part.substr(dash + 1));
        if (!end.ok()) return end.status();
        last = *end;
        if (last < *first) {
          return ElementError(element, absl::StrCat("interval ", part, " ends before it starts"));
        }
      }
      AddInterval(set.sources_[tsid], Interval{*first, last + 1});
    }
  }
  return set;
}

std::string MysqlGtidSet::ToString() const {
  std::string text;
  const SourceUuid* last_uuid = nullptr;
  for (const auto& [tsid, intervals] : sources_) {
    if (last_uuid == nullptr || *last_uuid != tsid.uuid) {
      if (!text.empty()) text.push_back(',');
      text += FormatSourceUuid(tsid.uuid);
      last_uuid = &tsid.uuid;
    }
    if (!tsid.tag.empty()) absl::StrAppend(&text, ":", tsid.tag);
    for (const Interval& interval : intervals) {
      if (interval.end - 1 == interval.start) {
        absl::StrAppend(&text, ":", interval.start);
      } else {
        absl::StrAppend(&text, ":", interval.start, "-", interval.end - 1);
      }
    }
  }
  return text;
}

bool MysqlGtidSet::has_tags() const {
  return std::any_of(sources_.begin(), sources_.end(),
                     [](const auto& source) { return !source.first.tag.empty(); });
}

void MysqlGtidSet::AddInterval(std::vector<Interval>& intervals, Interval interval) {
  // The usual case while streaming: the next transaction of the newest interval.
  if (!intervals.empty() && intervals.back().start <= interval.start &&
      intervals.back().end >= interval.start) {
    intervals.back().end = std::max(intervals.back().end, interval.end);
    return;
  }
  // The first interval that ends at or after the new one's start can absorb it; so can the ones
  // after it that start at or before its end.
  auto first = std::lower_bound(
      intervals.begin(), intervals.end(), interval.start,
      [](const Interval& existing, int64_t start) { return existing.end < start; });
  auto last = first;
  while (last != intervals.end() && last->start <= interval.end) {
    interval.start = std::min(interval.start, last->start);
    interval.end = std::max(interval.end, last->end);
    ++last;
  }
  if (first == last) {
    intervals.insert(first, interval);
  } else {
    *first = interval;
    intervals.erase(first + 1, last);
  }
}

bool MysqlGtidSet::Add(const SourceUuid& uuid, int64_t gno, absl::string_view tag) {
  if (Contains(uuid, gno, tag)) return false;
  AddInterval(sources_[Tsid{uuid, std::string(tag)}], Interval{gno, gno + 1});
  return true;
}

void MysqlGtidSet::AddAll(const MysqlGtidSet& other) {
  for (const auto& [tsid, intervals] : other.sources_) {
    std::vector<Interval>& mine = sources_[tsid];
    for (const Interval& interval : intervals) AddInterval(mine, interval);
  }
}

bool MysqlGtidSet::Contains(const SourceUuid& uuid, int64_t gno, absl::string_view tag) const {
  auto found = sources_.find(Tsid{uuid, std::string(tag)});
  if (found == sources_.end()) return false;
  const std::vector<Interval>& intervals = found->second;
  auto it = std::upper_bound(intervals.begin(), intervals.end(), gno,
                             [](int64_t value, const Interval& i) { return value < i.start; });
  return it != intervals.begin() && gno < std::prev(it)->end;
}

bool MysqlGtidSet::ContainsAll(const MysqlGtidSet& other) const {
  for (const auto& [tsid, intervals] : other.sources_) {
    auto found = sources_.find(tsid);
    if (found == sources_.end()) return false;
    const std::vector<Interval>& mine = found->second;
    for (const Interval& interval : intervals) {
      // Normalised intervals are never adjacent, so one of ours must cover it whole.
      auto it = std::upper_bound(mine.begin(), mine.end(), interval.start,
                                 [](int64_t value, const Interval& i) { return value < i.start; });
      if (it == mine.begin() || std::prev(it)->end < interval.end) return false;
    }
  }
  return true;
}

MysqlGtidSet MysqlGtidSet::Subtract(const MysqlGtidSet& other) const {
  MysqlGtidSet result;
  for (const auto& [tsid, intervals] : sources_) {
    auto found = other.sources_.find(tsid);
    if (found == other.sources_.end()) {
      result.sources_.emplace(tsid, intervals);
      continue;
    }
    const std::vector<Interval>& removed = found->second;
    std::vector<Interval> left;
    size_t r = 0;
    for (Interval interval : intervals) {
      while (r < removed.size() && removed[r].end <= interval.start) ++r;
      size_t k = r;
      while (k < removed.size() && removed[k].start < interval.end) {
        if (removed[k].start > interval.start) left.push_back({interval.start, removed[k].start});
        interval.start = std::max(interval.start, removed[k].end);
        ++k;
      }
      if (interval.start < interval.end) left.push_back(interval);
    }
    if (!left.empty()) result.sources_.emplace(tsid, std::move(left));
  }
  return result;
}

std::vector<uint8_t> MysqlGtidSet::Encode() const {
  const bool tagged = has_tags();
  size_t size = 8;
  for (const auto& [tsid, intervals] : sources_) {
    size += 16 + 8 + 16 * intervals.size() + (tagged ? 1 + tsid.tag.size() : 0);
  }
  std::vector<uint8_t> out;
  out.reserve(size);
  if (tagged) {
    constexpr uint64_t kTaggedFormat = 1;
    AppendLittleEndian(out, kTaggedFormat | uint64_t{sources_.size()} << 8 | kTaggedFormat << 56);
  } else {
    AppendLittleEndian(out, sources_.size());
  }
  for (const auto& [tsid, intervals] : sources_) {
    out.insert(out.end(), tsid.uuid.begin(), tsid.uuid.end());
    if (tagged) {
      AppendVarlen(out, tsid.tag.size());
      out.insert(out.end(), tsid.tag.begin(), tsid.tag.end());
    }
    AppendLittleEndian(out, intervals.size());
    for (const Interval& interval : intervals) {
      AppendLittleEndian(out, static_cast<uint64_t>(interval.start));
      AppendLittleEndian(out, static_cast<uint64_t>(interval.end));
    }
  }
  return out;
}

}  // namespace sluice::mysql
