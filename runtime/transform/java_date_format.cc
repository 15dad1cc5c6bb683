#include "runtime/transform/java_date_format.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "runtime/common/string_view_compat.h"

namespace sluice::transform {
namespace {

constexpr const char* kMonths[] = {"January", "February", "March",     "April",
                                   "May",     "June",     "July",      "August",
                                   "September", "October", "November", "December"};

void AppendPadded(std::string& out, int64_t v, int width) {
  std::string digits = absl::StrCat(v);
  if (static_cast<int>(digits.size()) < width) out.append(width - digits.size(), '0');
  out += digits;
}

bool IsNumeric(const DatePart& p) { return p.letter != 0 && !(p.letter == 'M' && p.count >= 3); }

// A month name (long, else its three-letter form) at `text[pos]`, any case: its number, or 0.
int MonthAt(std::string_view text, size_t& pos) {
  for (int long_form = 1; long_form >= 0; --long_form) {
    for (int m = 0; m < 12; ++m) {
      std::string_view name = kMonths[m];
      if (!long_form) name = name.substr(0, 3);
      if (text.size() - pos >= name.size() &&
          absl::EqualsIgnoreCase(ToAbsl(text.substr(pos, name.size())), ToAbsl(name))) {
        pos += name.size();
        return m + 1;
      }
    }
  }
  return 0;
}

}  // namespace

absl::StatusOr<std::vector<DatePart>> ParseDateFormat(std::string_view pattern) {
  std::vector<DatePart> parts;
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\'') {
      std::string text;
      size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '\'') {  // '' is a quote
        parts.push_back({0, 0, "'"});
        i = j + 1;
        continue;
      }
      for (; j < pattern.size(); ++j) {
        if (pattern[j] == '\'') {
          if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
            text += '\'';
            ++j;
            continue;
          }
          break;
        }
        text += pattern[j];
      }
      if (j >= pattern.size()) return absl::InvalidArgumentError("has an unterminated quote");
      parts.push_back({0, 0, text});
      i = j + 1;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      if (std::string_view("yMdHmsS").find(c) == std::string_view::npos) {
        return absl::InvalidArgumentError(
            StrCat("uses `", std::string(1, c),
                   "`; this worker formats y, M, d, H, m, s and S only"));
      }
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      parts.push_back({c, static_cast<int>(j - i), ""});
      i = j;
    } else {
      parts.push_back({0, 0, std::string(1, c)});
      ++i;
    }
  }
  return parts;
}

void FormatUtc(const std::vector<DatePart>& parts, int64_t ms, std::string& out) {
  const absl::CivilSecond t = absl::ToCivilSecond(
      absl::FromUnixMillis(ms), absl::UTCTimeZone());
  const int64_t millis = ((ms % 1000) + 1000) % 1000;
  for (const DatePart& p : parts) {
    switch (p.letter) {
      case 0:
        out += p.literal;
        break;
      case 'y':
        if (p.count == 2) {
          AppendPadded(out, t.year() % 100, 2);
        } else {
          AppendPadded(out, t.year(), p.count);
        }
        break;
      case 'M':
        if (p.count >= 4) {
          out += kMonths[t.month() - 1];
        } else if (p.count == 3) {
          out += std::string_view(kMonths[t.month() - 1]).substr(0, 3);
        } else {
          AppendPadded(out, t.month(), p.count);
        }
        break;
      case 'd':
        AppendPadded(out, t.day(), p.count);
        break;
      case 'H':
        AppendPadded(out, t.hour(), p.count);
        break;
      case 'm':
        AppendPadded(out, t.minute(), p.count);
        break;
      case 's':
        AppendPadded(out, t.second(), p.count);
        break;
      case 'S':
        AppendPadded(out, millis, p.count);
        break;
    }
  }
}

absl::StatusOr<int64_t> ParseUtc(const std::vector<DatePart>& parts, std::string_view text) {
  // SimpleDateFormat's fields start at 1970-01-01T00:00:00.000.
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
  size_t pos = 0;
  auto unparseable = [&]() {
    return absl::InvalidArgumentError(
        StrCat("`", text, "` does not match the pattern at position ", pos));
  };
  for (size_t i = 0; i < parts.size(); ++i) {
    const DatePart& p = parts[i];
    if (p.letter == 0) {
      if (text.substr(pos, p.literal.size()) != p.literal) return unparseable();
      pos += p.literal.size();
      continue;
    }
    if (!IsNumeric(p)) {
      const int m = MonthAt(text, pos);
      if (m == 0) return unparseable();
      month = m;
      continue;
    }
    const bool abutting = i + 1 < parts.size() && IsNumeric(parts[i + 1]);
    const size_t start = pos;
    int64_t n = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) &&
           (!abutting || pos - start < static_cast<size_t>(p.count)) && pos - start < 18) {
      n = n * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos == start) return unparseable();
    switch (p.letter) {
      case 'y':
        year = n;
        if (p.count <= 2 && pos - start == 2) {
          // Java's default century: the 100 years from 80 years before now.
          const int64_t start_year = absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year() - 80;
          year = start_year / 100 * 100 + n;
          if (year < start_year) year += 100;
        }
        break;
      case 'M': month = n; break;
      case 'd': day = n; break;
      case 'H': hour = n; break;
      case 'm': minute = n; break;
      case 's': second = n; break;
      case 'S': millis = n; break;
    }
  }
  // CivilSecond normalises out-of-range fields as lenient parsing rolls them over.
  const absl::CivilSecond t(year, month, day, hour, minute, second);
  return absl::ToUnixMillis(absl::FromCivil(t, absl::UTCTimeZone())) + millis;
}

}  // namespace sluice::transform
