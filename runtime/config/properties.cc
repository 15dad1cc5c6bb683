#include "runtime/config/properties.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace sluice::config {

void Properties::Set(std::string key, std::string value, int line) {
  auto it = index_.find(key);
  if (it != index_.end()) {
    Property& existing = entries_[it->second];
    existing.value = std::move(value);
    existing.line = line;
    return;
  }
  index_.emplace(key, entries_.size());
  entries_.push_back(Property{std::move(key), std::move(value), line});
}

const Property* Properties::Find(absl::string_view key) const {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// A logical line: natural lines joined at backslash-newline, escapes still in place.
struct LogicalLine {
  std::string text;
  int line = 0;
};

// Splits `text` into natural lines (\n, \r or \r\n) and joins continuations. Comment and blank
// lines are dropped here, as java.util.Properties' LineReader drops them.
std::vector<LogicalLine> ReadLogicalLines(absl::string_view text) {
  std::vector<LogicalLine> out;
  size_t pos = 0;
  int line_no = 0;
  bool continuing = false;
  LogicalLine current;
  while (pos < text.size()) {
    size_t end = pos;
    while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
    absl::string_view natural = text.substr(pos, end - pos);
    ++line_no;
    pos = end;
    if (pos < text.size()) {
      if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
      ++pos;
    }

    size_t first = 0;
    while (first < natural.size() && IsBlank(natural[first])) ++first;
    natural.remove_prefix(first);
    if (!continuing) {
      if (natural.empty() || natural.front() == '#' || natural.front() == '!') continue;
      current = LogicalLine{std::string(), line_no};
    }
    // An odd run of trailing backslashes escapes the line break; an even run is literal.
    size_t backslashes = 0;
    while (backslashes < natural.size() && natural[natural.size() - 1 - backslashes] == '\\')
      ++backslashes;
    continuing = backslashes % 2 == 1;
    if (continuing) natural.remove_suffix(1);
    current.text.append(natural.data(), natural.size());
    if (!continuing) out.push_back(std::move(current));
  }
  // A file ending in "key=value\" : the dangling backslash is dropped, the line kept.
  if (continuing) out.push_back(std::move(current));
  return out;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the 4 hex digits after "\u" at s[i]; -1 when malformed.
int32_t ReadUnicodeEscape(absl::string_view s, size_t i) {
  if (i + 4 > s.size()) return -1;
  int32_t v = 0;
  for (size_t k = 0; k < 4; ++k) {
    int h = HexValue(s[i + k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// Resolves escapes in `s`. Java strings are UTF-16, so a \u high surrogate followed by a \u low
// surrogate is one code point; a lone surrogate cannot be written as UTF-8 and becomes U+FFFD.
absl::StatusOr<std::string> Unescape(absl::string_view s, absl::string_view origin, int line) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i == s.size()) break;  // a lone trailing backslash escapes nothing
    c = s[i];
    switch (c) {
      case 't':
        out.push_back('\t');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'u': {
        int32_t unit = ReadUnicodeEscape(s, i + 1);
        if (unit < 0) {
          return absl::InvalidArgumentError(
              absl::StrCat(origin, ":", line, ": malformed \\uXXXX escape near \"",
                           s.substr(i - 1, std::min<size_t>(6, s.size() - (i - 1))),
                           "\"; write exactly four hex digits after \\u"));
        }
        i += 4;
        uint32_t cp = static_cast<uint32_t>(unit);
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 2 < s.size() && s[i + 1] == '\\' &&
            s[i + 2] == 'u') {
          int32_t low = ReadUnicodeEscape(s, i + 3);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        AppendUtf8(out, cp);
        break;
      }
      default:
        out.push_back(c);
        break;
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<Properties> ParseProperties(absl::string_view text, absl::string_view origin) {
  Properties props;
  for (const LogicalLine& logical : ReadLogicalLines(text)) {
    absl::string_view s = logical.text;
    size_t key_len = 0;
    size_t value_start = s.size();
    bool has_separator = false;
    bool escaped = false;
    for (; key_len < s.size(); ++key_len) {
      char c = s[key_len];
      if (!escaped && (c == '=' || c == ':')) {
        value_start = key_len + 1;
        has_separator = true;
        break;
      }
      if (!escaped && IsBlank(c)) {
        value_start = key_len + 1;
        break;
      }
      escaped = c == '\\' ? !escaped : false;
    }
    // "key = value" and "key value" both work: blanks, then at most one '=' or ':' if none yet.
    while (value_start < s.size()) {
      char c = s[value_start];
      if (!IsBlank(c)) {
        if (has_separator || (c != '=' && c != ':')) break;
        has_separator = true;
      }
      ++value_start;
    }
    absl::StatusOr<std::string> key = Unescape(s.substr(0, key_len), origin, logical.line);
    if (!key.ok()) return key.status();
    absl::StatusOr<std::string> value =
        Unescape(s.substr(std::min(value_start, s.size())), origin, logical.line);
    if (!value.ok()) return value.status();
    props.Set(*std::move(key), *std::move(value), logical.line);
  }
  return props;
}

absl::StatusOr<Properties> LoadPropertiesFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    std::string message =
        absl::StrCat("cannot read properties file ", path, ": ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(message);
    if (err == EACCES) return absl::PermissionDeniedError(message);
    return absl::FailedPreconditionError(message);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("error while reading ", path));
  return ParseProperties(buffer.str(), path);
}

std::vector<std::string> ParseList(absl::string_view value) {
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(value, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

}  // namespace sluice::config
