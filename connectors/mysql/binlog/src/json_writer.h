// JsonWriter: MySQL's binary JSON values as JSON text (json_binary.h says how they print), shared
// by AppendJsonBinaryAsText and the partial-update editor (json_diff.cc), which prints the
// containers it rebuilt itself and everything else through Value.
//
// Thread-compatible; one writer per text.
#ifndef SLUICE_BINLOG_SRC_JSON_WRITER_H_
#define SLUICE_BINLOG_SRC_JSON_WRITER_H_

#include <charconv>
#include <cmath>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "byte_reader.h"
#include "sluice/binlog/charset.h"
#include "sluice/binlog/column_type.h"
#include "sluice/binlog/decimal.h"

namespace sluice::binlog::internal {

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
  static absl::Status Error(std::string_view what) {
    return absl::DataLossError(absl::StrCat("binary JSON: ", std::string(what)));
  }

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

  // The text so far, for callers that write containers of their own (json_diff.cc).
  std::string* out() { return out_; }

 private:
  std::string* out_;
  size_t limit_;
};

}  // namespace sluice::binlog::internal

#endif  // SLUICE_BINLOG_SRC_JSON_WRITER_H_
