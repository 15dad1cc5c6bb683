#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_COLUMN_POLICIES_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_COLUMN_POLICIES_H_

// Debezium's column mappers, as its 3.6.1 MySQL connector applies them:
//   column.truncate.to.<N>.chars                  strings cut to N UTF-16 units, binary to N bytes
//   column.mask.with.<N>.chars                    character columns' values (null too) as N '*'
//   column.propagate.source.type                  __debezium.source.column.* schema parameters
//   datatype.propagate.source.type                the same, chosen by `<db>.<table>.<type name>`
//   column.mask.hash[.v2].<algorithm>.with.salt.<salt>
//                                                 character columns' values as the hex digest of
//                                                 the salt and the value, cut to the column length
// Each value is a comma-separated list of regular expressions matched, whole and ignoring case,
// against `<db>.<table>.<column>`. A column takes the first policy that matches it, in the order
// above (within a kind, keys in name order). Only the value schema (before and after) and its
// values change: Debezium builds the key's schema and values without the mappers, so a key
// column's key field keeps its value and schema. A field's DEFAULT in the schema stays as it is.
//
// Parsed and checked once (ParseColumnPolicies, at validate and create); resolved once per table
// version (ColumnPolicies::For, by the schema builder); applied per row by the change-event
// builder. Thread-compatible.

#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/connector/column_def.h"
#include "connectors/mysql/connector/column_policy_rules.h"
#include "sluice/connector.h"

namespace sluice::mysql {

// What one column's field is given; resolved once per table version.
class ColumnPolicy {
 public:
  ColumnPolicy(const ColumnPolicyRule& rule, const ColumnDef& def);

  ColumnPolicyKind kind() const { return rule_->kind; }
  // Appends the schema parameters the policy adds to the field's (after its own, as Debezium's
  // mappers add theirs): masked=true (mask and hash, every type), truncateLength (truncate, when
  // the column may be longer than N), the __debezium.source.column.* ones (propagate).
  void AddSchemaParameters(const ColumnDef& def,
                           std::vector<std::pair<std::string, std::string>>* parameters) const;
  // True when the policy changes values of this column (not only its schema).
  bool changes_values() const { return changes_values_; }
  // The value the field carries for `datum` (the column's converted value). A view into `out` or
  // into the policy; valid until `out` changes or the policy goes.
  sluice_datum Apply(const sluice_datum& datum, std::string& out) const;

 private:
  const ColumnPolicyRule* rule_;  // owned by ColumnPolicies, which outlives every TableSchema
  const evp_md_st* digest_ = nullptr;  // kHash*: OpenSSL's digest for rule_->algorithm
  bool changes_values_ = false;
  std::optional<int32_t> length_;  // the column's declared length (a hash is cut to it)
  std::string mask_;               // kMask: N '*'
};

// The rules of a config, compiled; one per task, living as long as its schema builder. Not
// copied or moved: the ColumnPolicy values it hands out point into it.
class ColumnPolicies {
 public:
  explicit ColumnPolicies(std::vector<ColumnPolicyRule> rules);
  ColumnPolicies(const ColumnPolicies&) = delete;
  ColumnPolicies& operator=(const ColumnPolicies&) = delete;

  bool empty() const { return rules_.empty(); }
  // The policy of column `def` of `db`.`table`, or nullopt when none matches.
  std::optional<ColumnPolicy> For(const std::string& db, const std::string& table,
                                  const ColumnDef& def) const;

 private:
  std::vector<ColumnPolicyRule> rules_;
  std::vector<std::vector<std::regex>> patterns_;  // patterns_[i]: rules_[i]'s
};

// Debezium's hash of a character value: the lowercase hex digest of `salt` followed by the value's
// bytes, the value being `text` (UTF-8) written as Java's ObjectOutputStream writes a String (v1)
// or as its UTF-8 bytes (v2). `algorithm` is Java's MessageDigest name (any case); nullopt when
// it names no digest this build has.
std::optional<std::string> DebeziumHash(absl::string_view algorithm, absl::string_view salt,
                                        absl::string_view text, bool v2);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_COLUMN_POLICIES_H_
