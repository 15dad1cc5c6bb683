#include "connectors/mysql/connector/column_policies.h"

#include <openssl/evp.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace sluice::mysql {
namespace {

using K = ColumnPolicyKind;

constexpr absl::string_view kTypeParameter = "__debezium.source.column.type";
constexpr absl::string_view kLengthParameter = "__debezium.source.column.length";
constexpr absl::string_view kScaleParameter = "__debezium.source.column.scale";
constexpr absl::string_view kNameParameter = "__debezium.source.column.name";

// `text` (UTF-8) as Java's modified UTF-8 (DataOutput.writeUTF's encoding): NUL as C0 80, a
// character beyond the BMP as its two UTF-16 surrogates, three bytes each.
std::string ModifiedUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) {
      out += "\xC0\x80";
    } else if (c >= 0xF0 && i + 3 < text.size()) {
      const uint32_t point = ((c & 0x07u) << 18) |
                             ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 12) |
                             ((static_cast<unsigned char>(text[i + 2]) & 0x3Fu) << 6) |
                             (static_cast<unsigned char>(text[i + 3]) & 0x3Fu);
      const uint32_t v = point - 0x10000;
      for (uint32_t unit : {0xD800u + (v >> 10), 0xDC00u + (v & 0x3FFu)}) {
        out.push_back(static_cast<char>(0xE0 | (unit >> 12)));
        out.push_back(static_cast<char>(0x80 | ((unit >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (unit & 0x3F)));
      }
      i += 3;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// The bytes Java's ObjectOutputStream writes for one String object: the stream header
// (AC ED 00 05), then TC_STRING with a 2-byte length or, past 65535 bytes, TC_LONGSTRING with
// an 8-byte length, then the modified UTF-8.
std::string JavaSerializedString(absl::string_view text) {
  const std::string utf = ModifiedUtf8(text);
  std::string out("\xAC\xED\x00\x05", 4);
  if (utf.size() <= 0xFFFF) {
    out.push_back('\x74');
    out.push_back(static_cast<char>(utf.size() >> 8));
    out.push_back(static_cast<char>(utf.size() & 0xFF));
  } else {
    out.push_back('\x7C');
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((uint64_t{utf.size()} >> shift) & 0xFF));
    }
  }
  out += utf;
  return out;
}

std::string HexDigest(const EVP_MD* digest, absl::string_view salt, absl::string_view bytes) {
  unsigned char sum[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  if (context == nullptr) return "";
  const bool ok = EVP_DigestInit_ex(context, digest, nullptr) == 1 &&
                  EVP_DigestUpdate(context, salt.data(), salt.size()) == 1 &&
                  EVP_DigestUpdate(context, bytes.data(), bytes.size()) == 1 &&
                  EVP_DigestFinal_ex(context, sum, &size) == 1;
  EVP_MD_CTX_free(context);
  if (!ok) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[sum[i] >> 4]);
    out.push_back(kHex[sum[i] & 0xF]);
  }
  return out;
}

// The first `units` UTF-16 code units of `text` (UTF-8), as Java's String.substring(0, units)
// counts them (a character beyond the BMP is two); a pair the cut would split is left out whole.
absl::string_view FirstUtf16Units(absl::string_view text, int64_t units) {
  size_t i = 0;
  int64_t counted = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t bytes = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    const int64_t weight = bytes == 4 ? 2 : 1;
    if (counted + weight > units) break;
    counted += weight;
    i = std::min(text.size(), i + bytes);
  }
  return text.substr(0, i);
}

}  // namespace

std::optional<std::string> DebeziumHash(absl::string_view algorithm, absl::string_view salt,
                                        absl::string_view text, bool v2) {
  const EVP_MD* digest = JavaDigest(algorithm);
  if (digest == nullptr) return std::nullopt;
  return HexDigest(digest, salt, v2 ? std::string(text) : JavaSerializedString(text));
}

ColumnPolicy::ColumnPolicy(const ColumnPolicyRule& rule, const ColumnDef& def)
    : rule_(&rule), length_(def.source_type.length) {
  switch (rule.kind) {
    case K::kTruncate:
      // Debezium: only when the column may hold more than N (its length unknown, or above N).
      changes_values_ = !length_.has_value() || *length_ > rule.chars;
      break;
    case K::kMask:
      mask_.assign(static_cast<size_t>(rule.chars), '*');
      changes_values_ = def.source_type.character();
      break;
    case K::kHashV1:
    case K::kHashV2:
      digest_ = JavaDigest(rule.algorithm);
      changes_values_ = def.source_type.character() && digest_ != nullptr;
      break;
    case K::kPropagate:
    case K::kPropagateByType:
      break;
  }
}

void ColumnPolicy::AddSchemaParameters(
    const ColumnDef& def, std::vector<std::pair<std::string, std::string>>* parameters) const {
  switch (rule_->kind) {
    case K::kTruncate:
      if (changes_values_) parameters->emplace_back("truncateLength", absl::StrCat(rule_->chars));
      break;
    case K::kMask:
    case K::kHashV1:
    case K::kHashV2:
      parameters->emplace_back("masked", "true");
      break;
    case K::kPropagate:
    case K::kPropagateByType:
      // The type is known when the catalog described the column (always, unless the table was
      // dropped before its first event was read).
      if (def.source_type.known()) parameters->emplace_back(kTypeParameter, def.source_type.name);
      if (def.source_type.length.has_value()) {
        parameters->emplace_back(kLengthParameter, absl::StrCat(*def.source_type.length));
      }
      if (def.source_type.scale.has_value()) {
        parameters->emplace_back(kScaleParameter, absl::StrCat(*def.source_type.scale));
      }
      // Column comments are not read (include.schema.comments=false), so no
      // __debezium.source.column.comment.
      parameters->emplace_back(kNameParameter, def.name);
      break;
  }
}

sluice_datum ColumnPolicy::Apply(const sluice_datum& datum, std::string& out) const {
  if (!changes_values_) return datum;
  switch (rule_->kind) {
    case K::kMask:
      // Debezium's mask replaces every value, null included.
      return sluice_datum_string(mask_.data(), mask_.size());
    case K::kHashV1:
    case K::kHashV2: {
      if (datum.kind != SLUICE_DATUM_STRING) return datum;  // null stays null
      const absl::string_view text(datum.u.str.ptr, datum.u.str.len);
      out = HexDigest(digest_, rule_->salt,
                      rule_->kind == K::kHashV2 ? std::string(text) : JavaSerializedString(text));
      // Cut to the column's length when it has one; never padded.
      if (length_.has_value() && *length_ > 0 && out.size() > static_cast<size_t>(*length_)) {
        out.resize(static_cast<size_t>(*length_));
      }
      return sluice_datum_string(out.data(), out.size());
    }
    case K::kTruncate:
      if (datum.kind == SLUICE_DATUM_STRING) {
        const absl::string_view cut = FirstUtf16Units(
            absl::string_view(datum.u.str.ptr, datum.u.str.len), rule_->chars);
        return sluice_datum_string(cut.data(), cut.size());
      }
      if (datum.kind == SLUICE_DATUM_BYTES && datum.u.bytes.len > static_cast<size_t>(rule_->chars)) {
        return sluice_datum_bytes(datum.u.bytes.ptr, static_cast<size_t>(rule_->chars));
      }
      return datum;
    case K::kPropagate:
    case K::kPropagateByType:
      return datum;
  }
  return datum;
}

ColumnPolicies::ColumnPolicies(std::vector<ColumnPolicyRule> rules) : rules_(std::move(rules)) {
  for (const ColumnPolicyRule& rule : rules_) {
    std::vector<std::regex>& compiled = patterns_.emplace_back();
    // Checked to compile by ParseColumnPolicies, so this does not throw.
    for (const std::string& pattern : rule.patterns) {
      compiled.emplace_back(pattern, std::regex::ECMAScript | std::regex::icase);
    }
  }
}

std::optional<ColumnPolicy> ColumnPolicies::For(const std::string& db, const std::string& table,
                                                const ColumnDef& def) const {
  const std::string column = absl::StrCat(db, ".", table, ".", def.name);
  const std::string type = absl::StrCat(db, ".", table, ".", def.source_type.name);
  for (size_t i = 0; i < rules_.size(); ++i) {
    const bool by_type = rules_[i].kind == K::kPropagateByType;
    if (by_type && !def.source_type.known()) continue;
    const std::string& name = by_type ? type : column;
    for (const std::regex& pattern : patterns_[i]) {
      if (std::regex_match(name, pattern)) return ColumnPolicy(rules_[i], def);
    }
  }
  return std::nullopt;
}

}  // namespace sluice::mysql
