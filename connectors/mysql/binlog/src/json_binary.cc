#include "sluice/binlog/json_binary.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "byte_reader.h"
#include "sluice/binlog/charset.h"
#include "sluice/binlog/column_type.h"
#include "sluice/binlog/decimal.h"
#include "sluice/binlog/json_diff.h"

namespace sluice::binlog {
namespace {

using internal::LoadLE;

enum JsonType : uint8_t {
  kSmallObject = 0x00,
  kLargeObject = 0x01,
  kSmallArray = 0x02,
  kLargeArray = 0x03,
  kLiteral = 0x04,
  kInt16 = 0x05,
  kUint16 = 0x06,
  kInt32 = 0x07,
  kUint32 = 0x08,
  kInt64 = 0x09,
  kUint64 = 0x0a,
  kDouble = 0x0b,
  kString = 0x0c,
  kOpaque = 0x0f,
};

constexpr int kMaxDepth = 150;
constexpr uint8_t kNullLiteral[] = {0x00};

// A document being edited by partial-update diffs: a value left as it was stored (type and bytes,
// printed as they are) until a diff's path goes through it, then expanded into its members.
struct EditNode {
  uint8_t type = kLiteral;
  std::span<const uint8_t> data;
  bool expanded = false;  // an object or array whose members are in keys/children
  bool object = false;
  std::vector<std::string_view> keys;  // objects: in stored order (shorter first, then bytes)
  std::vector<EditNode> children;
};

class JsonWriter {
 public:
  JsonWriter(std::string* out, size_t limit) : out_(out), limit_(out->size() + limit) {}

  absl::Status Value(uint8_t type, std::span<const uint8_t> data, int depth) {
    if (depth > kMaxDepth) return Error("nesting deeper than 150");
    if (out_->size() > limit_) return Error("text grows beyond 64 times the binary size");
    switch (type) {
      case kSmallObject:
        return Container(data, /*large=*/false, /*object=*/true, depth);
      case kLargeObject:
        return Container(data, true, true, depth);
      case kSmallArray:
        return Container(data, false, false, depth);
      case kLargeArray:
        return Container(data, true, false, depth);
      case kLiteral:
        if (data.empty()) return Error("literal truncated");
        return Literal(data[0]);
      case kInt16:
        return Int(data, 2, true);
      case kUint16:
        return Int(data, 2, false);
      case kInt32:
        return Int(data, 4, true);
      case kUint32:
        return Int(data, 4, false);
      case kInt64:
        return Int(data, 8, true);
      case kUint64:
        return Int(data, 8, false);
      case kDouble: {
        if (data.size() < 8) return Error("double truncated");
        double d;
        std::memcpy(&d, data.data(), 8);
        // JSON has no NaN or infinity and MySQL stores none: such bits are damage, and printed
        // ("nan") they would make the text invalid JSON.
        if (!std::isfinite(d)) return Error("double is not finite");
        char buf[32];
        auto res = std::to_chars(buf, buf + sizeof(buf), d);
        out_->append(buf, res.ptr);
        return absl::OkStatus();
      }
      case kString: {
        internal::ByteReader r(data);
        uint64_t n;
        if (!VarLength(r, &n)) return Error("string length malformed");
        std::string_view s = r.String(n, "string");
        if (!r.ok()) return Error("string runs past its container");
        return Quoted(s, "string");
      }
      case kOpaque:
        return Opaque(data);
      default:
        return Error(absl::StrCat("unknown value type 0x", absl::Hex(type)));
    }
  }

 public:
  // An edited document: expanded containers from their members, the rest as stored.
  absl::Status Edited(const EditNode& node, int depth) {
    if (!node.expanded) return Value(node.type, node.data, depth);
    if (depth > kMaxDepth) return Error("nesting deeper than 150");
    out_->push_back(node.object ? '{' : '[');
    for (size_t i = 0; i < node.children.size(); ++i) {
      if (i > 0) out_->push_back(',');
      if (node.object) {
        if (absl::Status key = Quoted(node.keys[i], "key"); !key.ok()) return key;
        out_->push_back(':');
      }
      if (absl::Status s = Edited(node.children[i], depth + 1); !s.ok()) return s;
    }
    out_->push_back(node.object ? '}' : ']');
    return absl::OkStatus();
  }

  static absl::Status Error(std::string_view what) {
    return absl::DataLossError(absl::StrCat("binary JSON: ", std::string(what)));
  }

 private:
  // Lengths inside JSON: 7 bits per byte, least significant first, high bit = more follows.
  static bool VarLength(internal::ByteReader& r, uint64_t* out) {
    uint64_t v = 0;
    for (int i = 0; i < 5; ++i) {
      uint8_t b = r.U8("length");
      if (!r.ok()) return false;
      v |= uint64_t{b & 0x7fu} << (7 * i);
      if ((b & 0x80) == 0) {
        *out = v;
        return v <= UINT32_MAX;
      }
    }
    return false;
  }

  absl::Status Literal(uint8_t v) {
    switch (v) {
      case 0x00:
        out_->append("null");
        return absl::OkStatus();
      case 0x01:
        out_->append("true");
        return absl::OkStatus();
      case 0x02:
        out_->append("false");
        return absl::OkStatus();
      default:
        return Error(absl::StrCat("unknown literal ", v));
    }
  }

  absl::Status Int(std::span<const uint8_t> data, size_t n, bool is_signed) {
    if (data.size() < n) return Error("integer truncated");
    uint64_t v = LoadLE(data.data(), n);
    if (is_signed) {
      uint64_t m = uint64_t{1} << (8 * n - 1);
      absl::StrAppend(out_, static_cast<int64_t>((v ^ m) - m));
    } else {
      absl::StrAppend(out_, v);
    }
    return absl::OkStatus();
  }

  // `s` as a JSON string. MySQL keeps JSON strings and keys in utf8mb4: other bytes are damage.
  absl::Status Quoted(std::string_view s, const char* what) {
    if (WellFormedUtf8Prefix(s) != s.size()) return Error(absl::StrCat(what, " is not UTF-8"));
    out_->push_back('"');
    for (char ch : s) {
      unsigned char c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"':
          out_->append("\\\"");
          break;
        case '\\':
          out_->append("\\\\");
          break;
        case '\n':
          out_->append("\\n");
          break;
        case '\r':
          out_->append("\\r");
          break;
        case '\t':
          out_->append("\\t");
          break;
        case '\b':
          out_->append("\\b");
          break;
        case '\f':
          out_->append("\\f");
          break;
        default:
          if (c < 0x20) {
            absl::StrAppendFormat(out_, "\\u%04x", c);
          } else {
            out_->push_back(ch);
          }
      }
    }
    out_->push_back('"');
    return absl::OkStatus();
  }

  // Objects and arrays: element count and total size (2 bytes each when small, 4 when large),
  // then for objects a key entry per element (offset, 2-byte length), then a value entry per
  // element (type byte, then an offset, or the value itself when it fits in the offset's bytes).
  // Offsets count from the start of the container.
  absl::Status Container(std::span<const uint8_t> data, bool large, bool object, int depth) {
    const size_t word = large ? 4 : 2;
    if (data.size() < 2 * word) return Error("container header truncated");
    uint64_t count = LoadLE(data.data(), word);
    uint64_t size = LoadLE(data.data() + word, word);
    if (size > data.size()) return Error("container size exceeds its bytes");
    if (size < 2 * word) return Error("container size smaller than its header");
    std::span<const uint8_t> c = data.first(size);
    const size_t key_entry = word + 2;
    const size_t value_entry = 1 + word;
    const uint64_t entries_end = 2 * word + count * (object ? key_entry : 0) + count * value_entry;
    if (count > size || entries_end > size) return Error("container entries exceed its size");
    out_->push_back(object ? '{' : '[');
    for (uint64_t i = 0; i < count; ++i) {
      if (i > 0) out_->push_back(',');
      if (object) {
        const uint8_t* k = c.data() + 2 * word + i * key_entry;
        uint64_t key_offset = LoadLE(k, word);
        uint64_t key_length = LoadLE(k + word, 2);
        if (key_offset > size || key_length > size - key_offset) return Error("key out of bounds");
        absl::Status key = Quoted(
            std::string_view(reinterpret_cast<const char*>(c.data() + key_offset), key_length),
            "key");
        if (!key.ok()) return key;
        out_->push_back(':');
      }
      const uint8_t* v = c.data() + 2 * word + count * (object ? key_entry : 0) + i * value_entry;
      uint8_t type = v[0];
      bool inlined = type == kLiteral || type == kInt16 || type == kUint16 ||
                     (large && (type == kInt32 || type == kUint32));
      absl::Status s;
      if (inlined) {
        s = Value(type, std::span<const uint8_t>(v + 1, word), depth + 1);
      } else {
        uint64_t offset = LoadLE(v + 1, word);
        if (offset >= size) return Error("value offset out of bounds");
        s = Value(type, c.subspan(offset), depth + 1);
      }
      if (!s.ok()) return s;
    }
    out_->push_back(object ? '}' : ']');
    return absl::OkStatus();
  }

  // An opaque value: the MySQL column type, a length, and that type's own bytes.
  absl::Status Opaque(std::span<const uint8_t> data) {
    internal::ByteReader r(data);
    uint8_t field_type = r.U8("opaque type");
    uint64_t n;
    if (!r.ok() || !VarLength(r, &n)) return Error("opaque length malformed");
    std::span<const uint8_t> bytes = r.Bytes(n, "opaque");
    if (!r.ok()) return Error("opaque value runs past its container");
    switch (static_cast<ColumnType>(field_type)) {
      case ColumnType::kNewDecimal: {
        // precision, scale, then the binary decimal.
        if (bytes.size() < 2) return Error("decimal truncated");
        int precision = bytes[0], scale = bytes[1];
        size_t size = DecimalBinarySize(precision, scale);
        if (size == 0 || bytes.size() < 2 + size) return Error("decimal malformed");
        if (!ValidateDecimal(bytes.data() + 2, precision, scale).ok()) {
          return Error("decimal digits out of range");
        }
        char buf[DecimalView::kMaxTextSize];
        DecimalView d(bytes.data() + 2, static_cast<uint8_t>(precision),
                      static_cast<uint8_t>(scale));
        out_->append(buf, d.Format(buf));
        return absl::OkStatus();
      }
      case ColumnType::kDate:
      case ColumnType::kTime:
      case ColumnType::kDateTime:
      case ColumnType::kTimestamp: {
        if (bytes.size() < 8) return Error("temporal truncated");
        Temporal(static_cast<ColumnType>(field_type),
                 static_cast<int64_t>(LoadLE(bytes.data(), 8)));
        return absl::OkStatus();
      }
      default:
        absl::StrAppend(out_, "\"base64:type", field_type, ":",
                        absl::Base64Escape(absl::string_view(
                            reinterpret_cast<const char*>(bytes.data()), bytes.size())),
                        "\"");
        return absl::OkStatus();
    }
  }

  // MySQL's packed temporal longlong: (integer part << 24) | microseconds, negative for
  // negative TIME. Integer part: for TIME hours<<12 | minutes<<6 | seconds; for dates
  // ((year*13+month)<<5 | day) << 17 | the TIME-like seconds part. TIME, DATETIME and TIMESTAMP
  // print six fraction digits whatever their precision, zeros included, as MySQL prints a JSON
  // value (MySQL 9.7: JSON_OBJECT('t', CAST('12:00:00' AS TIME)) is {"t": "12:00:00.000000"}).
  void Temporal(ColumnType type, int64_t packed) {
    bool negative = packed < 0;
    // Negate in unsigned arithmetic: -INT64_MIN does not fit an int64_t (a fuzzer found it).
    uint64_t mag = negative ? 0 - static_cast<uint64_t>(packed) : static_cast<uint64_t>(packed);
    uint64_t micros = mag & 0xffffff;
    uint64_t intpart = mag >> 24;
    const std::string frac = absl::StrFormat(".%06d", micros);
    if (type == ColumnType::kTime) {
      absl::StrAppendFormat(out_, "\"%s%02d:%02d:%02d%s\"", negative ? "-" : "",
                            (intpart >> 12) & 0x3ff, (intpart >> 6) & 0x3f, intpart & 0x3f, frac);
      return;
    }
    uint64_t ymd = intpart >> 17, hms = intpart & 0x1ffff, ym = ymd >> 5;
    if (type == ColumnType::kDate) {
      absl::StrAppendFormat(out_, "\"%04d-%02d-%02d\"", ym / 13, ym % 13, ymd & 0x1f);
      return;
    }
    absl::StrAppendFormat(out_, "\"%04d-%02d-%02d %02d:%02d:%02d%s\"", ym / 13, ym % 13, ymd & 0x1f,
                          hms >> 12, (hms >> 6) & 0x3f, hms & 0x3f, frac);
  }

  std::string* out_;
  size_t limit_;
};

// Lays out an object's or array's members (the layout JsonWriter::Container reads) as children
// left as stored.
absl::Status Expand(EditNode& node) {
  if (node.expanded) return absl::OkStatus();
  const bool object = node.type == kSmallObject || node.type == kLargeObject;
  const bool large = node.type == kLargeObject || node.type == kLargeArray;
  if (!object && node.type != kSmallArray && node.type != kLargeArray) {
    return JsonWriter::Error("a partial update's path goes through a scalar");
  }
  const size_t word = large ? 4 : 2;
  const std::span<const uint8_t> data = node.data;
  if (data.size() < 2 * word) return JsonWriter::Error("container header truncated");
  const uint64_t count = LoadLE(data.data(), word);
  const uint64_t size = LoadLE(data.data() + word, word);
  if (size > data.size() || size < 2 * word) return JsonWriter::Error("container size malformed");
  const size_t key_entry = word + 2;
  const size_t value_entry = 1 + word;
  if (count > size || 2 * word + count * ((object ? key_entry : 0) + value_entry) > size) {
    return JsonWriter::Error("container entries exceed its size");
  }
  node.object = object;
  node.keys.clear();
  node.children.clear();
  for (uint64_t i = 0; i < count; ++i) {
    if (object) {
      const uint8_t* k = data.data() + 2 * word + i * key_entry;
      const uint64_t key_offset = LoadLE(k, word);
      const uint64_t key_length = LoadLE(k + word, 2);
      if (key_offset > size || key_length > size - key_offset) {
        return JsonWriter::Error("key out of bounds");
      }
      node.keys.emplace_back(reinterpret_cast<const char*>(data.data() + key_offset), key_length);
    }
    const uint8_t* v = data.data() + 2 * word + count * (object ? key_entry : 0) + i * value_entry;
    EditNode child;
    child.type = v[0];
    const bool inlined = child.type == kLiteral || child.type == kInt16 || child.type == kUint16 ||
                         (large && (child.type == kInt32 || child.type == kUint32));
    if (inlined) {
      child.data = std::span<const uint8_t>(v + 1, word);
    } else {
      const uint64_t offset = LoadLE(v + 1, word);
      if (offset >= size) return JsonWriter::Error("value offset out of bounds");
      child.data = data.subspan(offset, size - offset);
    }
    node.children.push_back(child);
  }
  node.expanded = true;
  return absl::OkStatus();
}

// One step of a partial update's path: `.key` (or `."quoted key"`) or `[index]`.
struct PathLeg {
  bool member = false;
  std::string key;
  uint64_t index = 0;
};

// The path as MySQL writes it in a partial update: `$`, then legs, concrete indexes only.
absl::StatusOr<std::vector<PathLeg>> ParsePath(std::string_view path) {
  auto bad = [path](std::string_view why) {
    return absl::DataLossError(
        absl::StrCat("partial JSON update path '", std::string(path), "': ", std::string(why)));
  };
  if (path.empty() || path[0] != '$') return bad("does not start with $");
  std::vector<PathLeg> legs;
  size_t i = 1;
  while (i < path.size()) {
    PathLeg leg;
    if (path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == std::string_view::npos || close == i + 1) return bad("an index is malformed");
      for (size_t j = i + 1; j < close; ++j) {
        if (path[j] < '0' || path[j] > '9' || leg.index > (uint64_t{1} << 32)) {
          return bad("an index is not a number");
        }
        leg.index = leg.index * 10 + static_cast<uint64_t>(path[j] - '0');
      }
      i = close + 1;
    } else if (path[i] == '.') {
      leg.member = true;
      ++i;
      if (i < path.size() && path[i] == '"') {
        // A quoted key, escaped as a JSON string.
        ++i;
        bool closed = false;
        while (i < path.size()) {
          char c = path[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c != '\\') {
            leg.key.push_back(c);
            continue;
          }
          if (i >= path.size()) return bad("an escape is cut off");
          c = path[i++];
          switch (c) {
            case 'b':
              leg.key.push_back('\b');
              break;
            case 'f':
              leg.key.push_back('\f');
              break;
            case 'n':
              leg.key.push_back('\n');
              break;
            case 'r':
              leg.key.push_back('\r');
              break;
            case 't':
              leg.key.push_back('\t');
              break;
            case 'u': {
              uint32_t code = 0;
              if (i + 4 > path.size()) return bad("a \\u escape is cut off");
              for (int k = 0; k < 4; ++k) {
                const char h = path[i++];
                code = code * 16 + static_cast<uint32_t>(
                                       h >= '0' && h <= '9'   ? h - '0'
                                       : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                       : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                              : 99);
                if (code > 0xffff) return bad("a \\u escape is not hexadecimal");
              }
              if (code < 0x80) {
                leg.key.push_back(static_cast<char>(code));
              } else if (code < 0x800) {
                leg.key.push_back(static_cast<char>(0xc0 | (code >> 6)));
                leg.key.push_back(static_cast<char>(0x80 | (code & 0x3f)));
              } else {
                leg.key.push_back(static_cast<char>(0xe0 | (code >> 12)));
                leg.key.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
                leg.key.push_back(static_cast<char>(0x80 | (code & 0x3f)));
              }
              break;
            }
            default:
              leg.key.push_back(c);  // \" \\ \/
          }
        }
        if (!closed) return bad("a quoted key is not closed");
      } else {
        const size_t end = path.find_first_of(".[", i);
        leg.key = std::string(path.substr(i, end == std::string_view::npos ? end : end - i));
        if (leg.key.empty()) return bad("a key is empty");
        i = end == std::string_view::npos ? path.size() : end;
      }
    } else {
      return bad("a step is neither .key nor [index]");
    }
    legs.push_back(std::move(leg));
  }
  return legs;
}

// MySQL's order of an object's keys: shorter first, then byte by byte.
bool KeyBefore(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return std::memcmp(a.data(), b.data(), a.size()) < 0;
}

// Applies one diff to the document at `root`. Key texts are kept in `keys` (stable addresses).
absl::Status ApplyDiff(EditNode& root, const JsonDiff& diff, std::deque<std::string>& keys) {
  absl::StatusOr<std::vector<PathLeg>> legs = ParsePath(diff.path);
  if (!legs.ok()) return legs.status();
  auto missing = [&diff](std::string_view why) {
    return absl::DataLossError(absl::StrCat("partial JSON update of '", std::string(diff.path),
                                            "' does not fit the before image: ",
                                            std::string(why)));
  };
  EditNode value;
  if (diff.operation != JsonDiffOperation::kRemove) {
    if (diff.value.empty()) return missing("the new value is empty");
    value.type = diff.value[0];
    value.data = diff.value.subspan(1);
  }
  if (legs->empty()) {
    if (diff.operation == JsonDiffOperation::kRemove) return missing("it removes the document");
    root = value;
    return absl::OkStatus();
  }
  EditNode* node = &root;
  for (size_t i = 0; i + 1 < legs->size(); ++i) {
    if (absl::Status s = Expand(*node); !s.ok()) return s;
    const PathLeg& leg = (*legs)[i];
    EditNode* next = nullptr;
    if (leg.member && node->object) {
      for (size_t k = 0; k < node->keys.size(); ++k) {
        if (node->keys[k] == leg.key) next = &node->children[k];
      }
    } else if (!leg.member && !node->object && leg.index < node->children.size()) {
      next = &node->children[leg.index];
    }
    if (next == nullptr) return missing("a step of the path is not there");
    node = next;
  }
  if (absl::Status s = Expand(*node); !s.ok()) return s;
  const PathLeg& last = legs->back();
  if (last.member != node->object) return missing("the last step does not fit its container");
  if (!last.member) {
    const size_t size = node->children.size();
    switch (diff.operation) {
      case JsonDiffOperation::kReplace:
        if (last.index >= size) return missing("no element to replace");
        node->children[last.index] = value;
        break;
      case JsonDiffOperation::kInsert:
        node->children.insert(node->children.begin() + std::min<uint64_t>(last.index, size),
                              value);
        break;
      case JsonDiffOperation::kRemove:
        if (last.index >= size) return missing("no element to remove");
        node->children.erase(node->children.begin() + last.index);
        break;
    }
    return absl::OkStatus();
  }
  size_t at = 0;
  while (at < node->keys.size() && KeyBefore(node->keys[at], last.key)) ++at;
  const bool found = at < node->keys.size() && node->keys[at] == last.key;
  switch (diff.operation) {
    case JsonDiffOperation::kReplace:
    case JsonDiffOperation::kInsert:
      if (found) {
        node->children[at] = value;
      } else if (diff.operation == JsonDiffOperation::kReplace) {
        return missing("no member to replace");
      } else {
        keys.push_back(last.key);
        node->keys.insert(node->keys.begin() + at, keys.back());
        node->children.insert(node->children.begin() + at, value);
      }
      break;
    case JsonDiffOperation::kRemove:
      if (!found) return missing("no member to remove");
      node->keys.erase(node->keys.begin() + at);
      node->children.erase(node->children.begin() + at);
      break;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AppendPartiallyUpdatedJsonAsText(std::span<const uint8_t> before,
                                              std::span<const uint8_t> diffs, std::string* out) {
  EditNode root;
  if (before.empty()) {
    root.data = kNullLiteral;  // an empty value is the JSON null (AppendJsonBinaryAsText)
  } else {
    root.type = before[0];
    root.data = before.subspan(1);
  }
  std::deque<std::string> keys;
  absl::Status applied = ForEachJsonDiff(
      diffs, [&](const JsonDiff& diff) { return ApplyDiff(root, diff, keys); });
  if (!applied.ok()) return applied;
  JsonWriter w(out, 64 * (before.size() + diffs.size()) + 64);
  return w.Edited(root, 0);
}

absl::Status AppendJsonBinaryAsText(std::span<const uint8_t> binary, std::string* out) {
  if (binary.empty()) {
    out->append("null");
    return absl::OkStatus();
  }
  JsonWriter w(out, 64 * binary.size() + 64);
  return w.Value(binary[0], binary.subspan(1), 0);
}

}  // namespace sluice::binlog
