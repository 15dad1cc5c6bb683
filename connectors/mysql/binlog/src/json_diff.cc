#include "sluice/binlog/json_diff.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "byte_reader.h"
#include "json_writer.h"

namespace sluice::binlog {

absl::StatusOr<bool> JsonDiffReader::Next(JsonDiff* out) {
  if (rest_.empty()) return false;
  internal::ByteReader r(rest_);
  uint8_t op = r.U8("JSON diff operation");
  if (op > 2) {
    return absl::DataLossError(absl::StrCat("JSON diff operation ", op, " is unknown"));
  }
  out->operation = static_cast<JsonDiffOperation>(op);
  uint64_t path_length = r.PackedInt("JSON diff path length");
  out->path = r.String(path_length, "JSON diff path");
  out->value = {};
  if (out->operation != JsonDiffOperation::kRemove) {
    uint64_t value_length = r.PackedInt("JSON diff value length");
    out->value = r.Bytes(value_length, "JSON diff value");
  }
  if (!r.ok()) return r.status();
  rest_ = rest_.subspan(r.offset());
  return true;
}

absl::Status ForEachJsonDiff(std::span<const uint8_t> diffs,
                             absl::FunctionRef<absl::Status(const JsonDiff&)> visit) {
  JsonDiffReader reader(diffs);
  JsonDiff diff;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&diff);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    if (absl::Status s = visit(diff); !s.ok()) return s;
  }
}

absl::Status DecodeJsonDiffValue(const ColumnInfo& column, const uint8_t** pos, const uint8_t* end,
                                 ColumnValue* out) {
  int prefix = column.length_bytes;
  if (prefix < 1 || prefix > 4) return absl::DataLossError("JSON length prefix is impossible");
  internal::ByteReader r(std::span<const uint8_t>(*pos, static_cast<size_t>(end - *pos)));
  uint64_t size = r.UintLE(prefix, "JSON diff length");
  std::span<const uint8_t> diffs = r.Bytes(size, "JSON diffs");
  if (!r.ok()) return r.status();
  absl::Status valid = ForEachJsonDiff(diffs, [](const JsonDiff&) { return absl::OkStatus(); });
  if (!valid.ok()) return valid;
  *out =
      ColumnValue::Bytes(ValueKind::kJsonDiff, diffs.data(), static_cast<uint32_t>(diffs.size()));
  *pos += r.offset();
  return absl::OkStatus();
}

namespace {

using internal::JsonWriter;
using internal::kInt16;
using internal::kInt32;
using internal::kLargeArray;
using internal::kLargeObject;
using internal::kLiteral;
using internal::kSmallArray;
using internal::kSmallObject;
using internal::kUint16;
using internal::kUint32;
using internal::LoadLE;

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

// An edited document: expanded containers from their members, the rest as stored.
absl::Status WriteEdited(JsonWriter& w, const EditNode& node, int depth) {
  if (!node.expanded) return w.Value(node.type, node.data, depth);
  if (depth > internal::kMaxDepth) return JsonWriter::Error("nesting deeper than 150");
  std::string* out = w.out();
  out->push_back(node.object ? '{' : '[');
  for (size_t i = 0; i < node.children.size(); ++i) {
    if (i > 0) out->push_back(',');
    if (node.object) {
      if (absl::Status key = w.Quoted(node.keys[i], "key"); !key.ok()) return key;
      out->push_back(':');
    }
    if (absl::Status s = WriteEdited(w, node.children[i], depth + 1); !s.ok()) return s;
  }
  out->push_back(node.object ? '}' : ']');
  return absl::OkStatus();
}

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
                code = code * 16 + static_cast<uint32_t>(h >= '0' && h <= '9'   ? h - '0'
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
                                            "' does not fit the before image: ", std::string(why)));
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
        node->children.insert(node->children.begin() + std::min<uint64_t>(last.index, size), value);
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
  absl::Status applied =
      ForEachJsonDiff(diffs, [&](const JsonDiff& diff) { return ApplyDiff(root, diff, keys); });
  if (!applied.ok()) return applied;
  JsonWriter w(out, 64 * (before.size() + diffs.size()) + 64);
  return WriteEdited(w, root, 0);
}

absl::Status ResolveJsonDiffs(const TableMap& table, RowChange& change,
                              std::vector<std::string>* texts) {
  texts->clear();
  std::vector<size_t> columns;
  for (size_t i = 0; i < change.after.size(); ++i) {
    if (change.after[i].kind() != ValueKind::kJsonDiff) continue;
    const std::string name =
        i < table.columns.size() ? absl::StrCat(" `", table.columns[i].name, "`") : "";
    const ColumnValue* before = i < change.before.size() ? &change.before[i] : nullptr;
    if (before == nullptr || before->kind() != ValueKind::kJson) {
      return absl::FailedPreconditionError(absl::StrCat(
          "JSON column ", i, name,
          " holds a partial update (binlog_row_value_options=PARTIAL_JSON) but the before image "
          "has no document to apply it to (binlog_row_image is not FULL); set "
          "binlog_row_value_options='' or binlog_row_image=FULL"));
    }
    std::string text;
    absl::Status applied =
        AppendPartiallyUpdatedJsonAsText(before->bytes(), change.after[i].bytes(), &text);
    if (!applied.ok()) {
      return absl::Status(applied.code(),
                          absl::StrCat("column ", i, name, ": ", applied.message()));
    }
    texts->push_back(std::move(text));
    columns.push_back(i);
  }
  // Views only once every text is in place: the vector no longer moves them.
  for (size_t k = 0; k < columns.size(); ++k) {
    const std::string& text = (*texts)[k];
    change.after[columns[k]] =
        ColumnValue::Bytes(ValueKind::kString, reinterpret_cast<const uint8_t*>(text.data()),
                           static_cast<uint32_t>(text.size()));
  }
  return absl::OkStatus();
}

}  // namespace sluice::binlog
