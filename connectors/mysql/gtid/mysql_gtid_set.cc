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

void AppendLittleEndian(std::vector<uint8_t>& out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
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
    std::vector<Interval>* intervals = nullptr;
    for (size_t i = 1; i < parts.size(); ++i) {
      const absl::string_view part = absl::StripAsciiWhitespace(parts[i]);
      if (part.empty())
        return ElementError(element, "an empty interval (\"::\" or a trailing \":\")");
      if (absl::ascii_isalpha(static_cast<unsigned char>(part[0])) || part[0] == '_') {
        return ElementError(element, absl::StrCat("\"", part,
                                                  "\" looks like a GTID tag (MySQL 8.3+); tagged "
                                                  "GTIDs are not supported"));
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
      if (intervals == nullptr) intervals = &set.sources_[*uuid];
      AddInterval(*intervals, Interval{*first, last + 1});
    }
  }
  return set;
}

std::string MysqlGtidSet::ToString() const {
  std::string text;
  for (const auto& [uuid, intervals] : sources_) {
    if (!text.empty()) text.push_back(',');
    text += FormatSourceUuid(uuid);
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

bool MysqlGtidSet::Add(const SourceUuid& uuid, int64_t gno) {
  if (Contains(uuid, gno)) return false;
  AddInterval(sources_[uuid], Interval{gno, gno + 1});
  return true;
}

void MysqlGtidSet::AddAll(const MysqlGtidSet& other) {
  for (const auto& [uuid, intervals] : other.sources_) {
    std::vector<Interval>& mine = sources_[uuid];
    for (const Interval& interval : intervals) AddInterval(mine, interval);
  }
}

bool MysqlGtidSet::Contains(const SourceUuid& uuid, int64_t gno) const {
  auto found = sources_.find(uuid);
  if (found == sources_.end()) return false;
  const std::vector<Interval>& intervals = found->second;
  auto it = std::upper_bound(intervals.begin(), intervals.end(), gno,
                             [](int64_t value, const Interval& i) { return value < i.start; });
  return it != intervals.begin() && gno < std::prev(it)->end;
}

bool MysqlGtidSet::ContainsAll(const MysqlGtidSet& other) const {
  for (const auto& [uuid, intervals] : other.sources_) {
    auto found = sources_.find(uuid);
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
  for (const auto& [uuid, intervals] : sources_) {
    auto found = other.sources_.find(uuid);
    if (found == other.sources_.end()) {
      result.sources_.emplace(uuid, intervals);
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
    if (!left.empty()) result.sources_.emplace(uuid, std::move(left));
  }
  return result;
}

std::vector<uint8_t> MysqlGtidSet::Encode() const {
  size_t size = 8;
  for (const auto& [uuid, intervals] : sources_) size += 16 + 8 + 16 * intervals.size();
  std::vector<uint8_t> out;
  out.reserve(size);
  AppendLittleEndian(out, sources_.size());
  for (const auto& [uuid, intervals] : sources_) {
    out.insert(out.end(), uuid.begin(), uuid.end());
    AppendLittleEndian(out, intervals.size());
    for (const Interval& interval : intervals) {
      AppendLittleEndian(out, static_cast<uint64_t>(interval.start));
      AppendLittleEndian(out, static_cast<uint64_t>(interval.end));
    }
  }
  return out;
}

}  // namespace sluice::mysql
