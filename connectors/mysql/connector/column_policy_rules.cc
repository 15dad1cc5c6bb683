#include "connectors/mysql/connector/column_policy_rules.h"

#include <openssl/evp.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "connectors/mysql/connector/config.h"

namespace sluice::mysql {

const EVP_MD* JavaDigest(absl::string_view java_name) {
  // Java's MessageDigest names (the SUN provider's, compared ignoring case as Java does) and
  // OpenSSL's for the same digest.
  static const std::pair<absl::string_view, absl::string_view> kNames[] = {
      {"MD2", "MD2"},           {"MD5", "MD5"},           {"SHA", "SHA1"},
      {"SHA1", "SHA1"},         {"SHA-1", "SHA1"},        {"SHA-224", "SHA224"},
      {"SHA-256", "SHA256"},    {"SHA-384", "SHA384"},    {"SHA-512", "SHA512"},
      {"SHA-512/224", "SHA512-224"}, {"SHA-512/256", "SHA512-256"},
      {"SHA3-224", "SHA3-224"}, {"SHA3-256", "SHA3-256"}, {"SHA3-384", "SHA3-384"},
      {"SHA3-512", "SHA3-512"},
  };
  for (const auto& [java, openssl] : kNames) {
    if (absl::EqualsIgnoreCase(java, java_name)) {
      return EVP_get_digestbyname(std::string(openssl).c_str());
    }
  }
  return nullptr;
}

namespace {

using K = ColumnPolicyKind;

// N of `column.<...>.<N>.chars`.
absl::StatusOr<int32_t> CharsOf(const std::string& key, absl::string_view n) {
  int32_t chars = 0;
  if (n.empty() || !std::all_of(n.begin(), n.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(n, &chars)) {
    return absl::InvalidArgumentError(
        absl::StrCat("`", key, "`: '", n, "' is not a number of characters; write a whole number "
                     "from 0 to 2147483647 in its place"));
  }
  return chars;
}

}  // namespace

absl::StatusOr<std::vector<ColumnPolicyRule>> ParseColumnPolicies(
    const std::map<std::string, std::string>& raw) {
  std::vector<ColumnPolicyRule> rules;
  for (const auto& [key, value] : raw) {
    ColumnPolicyRule rule;
    rule.key = key;
    absl::string_view rest = key;
    if (absl::ConsumePrefix(&rest, "column.truncate.to.") && absl::ConsumeSuffix(&rest, ".chars")) {
      rule.kind = K::kTruncate;
    } else if (rest = key; absl::ConsumePrefix(&rest, "column.mask.with.") &&
                           absl::ConsumeSuffix(&rest, ".chars")) {
      rule.kind = K::kMask;
    } else if (key == "column.propagate.source.type") {
      rule.kind = K::kPropagate;
    } else if (key == "datatype.propagate.source.type") {
      rule.kind = K::kPropagateByType;
    } else if (rest = key; absl::ConsumePrefix(&rest, "column.mask.hash.")) {
      // Debezium: `v2.` first, then `<algorithm without dots>.with.salt.<salt>`.
      rule.kind = absl::ConsumePrefix(&rest, "v2.") ? K::kHashV2 : K::kHashV1;
      const size_t with = rest.find(".with.salt.");
      if (with == 0 || with == absl::string_view::npos ||
          rest.substr(0, with).find('.') != absl::string_view::npos ||
          with + 11 == rest.size()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "`", key, "` is not column.mask.hash[.v2].<algorithm>.with.salt.<salt>; name the "
            "digest (SHA-256, say) and a salt"));
      }
      rule.algorithm = std::string(rest.substr(0, with));
      rule.salt = std::string(rest.substr(with + 11));
      if (JavaDigest(rule.algorithm) == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            "`", key, "`: '", rule.algorithm, "' is not a digest algorithm; use one of Java's "
            "MessageDigest names: MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512, SHA-512/224, "
            "SHA-512/256, SHA3-224, SHA3-256, SHA3-384, SHA3-512"));
      }
      rest = {};
    } else {
      continue;
    }
    if (rule.kind == K::kTruncate || rule.kind == K::kMask) {
      absl::StatusOr<int32_t> chars = CharsOf(key, rest);
      if (!chars.ok()) return chars.status();
      rule.chars = *chars;
    }
    absl::StatusOr<std::vector<std::string>> patterns = RegexList(key, value);
    if (!patterns.ok()) return patterns.status();
    rule.patterns = *std::move(patterns);
    rules.push_back(std::move(rule));
  }
  // Debezium's order of kinds; std::map gave name order within one.
  std::stable_sort(rules.begin(), rules.end(),
                   [](const ColumnPolicyRule& a, const ColumnPolicyRule& b) {
                     return static_cast<int>(a.kind) < static_cast<int>(b.kind);
                   });
  return rules;
}

}  // namespace sluice::mysql
