#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_COLUMN_POLICY_RULES_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_COLUMN_POLICY_RULES_H_

// The column-policy keys of a connector config (column_policies.h says what each does), parsed
// and checked: what ParseConnectorConfig keeps of them, so validate refuses a bad one.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct evp_md_st;  // OpenSSL's EVP_MD

namespace sluice::mysql {

enum class ColumnPolicyKind { kTruncate, kMask, kPropagate, kPropagateByType, kHashV1, kHashV2 };

// One policy key of the config, checked: its kind, N or the algorithm and salt, its patterns.
struct ColumnPolicyRule {
  ColumnPolicyKind kind = ColumnPolicyKind::kMask;
  std::string key;          // as configured, for messages
  int32_t chars = 0;        // kTruncate, kMask
  std::string algorithm;    // kHash*: Java's MessageDigest name as given ("SHA-256")
  std::string salt;         // kHash*
  std::vector<std::string> patterns;
};

// The policy keys of `raw`, in the order they apply. InvalidArgument naming the key for an N
// that is not a number from 0 to 2147483647, a digest algorithm Java's MessageDigest does not
// know (or OpenSSL lacks), a hash key without `.with.salt.<salt>`, or a pattern that does not
// compile.
absl::StatusOr<std::vector<ColumnPolicyRule>> ParseColumnPolicies(
    const std::map<std::string, std::string>& raw);

// OpenSSL's digest for one of Java's MessageDigest names ("SHA-256", "sha-1", "MD5"; compared
// ignoring case, as Java does); null when it names none, or this OpenSSL lacks it (MD2).
const evp_md_st* JavaDigest(absl::string_view java_name);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_COLUMN_POLICY_RULES_H_
