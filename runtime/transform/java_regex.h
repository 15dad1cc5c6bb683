// Regular expressions as Kafka Connect's transforms use them (java.util.regex): a whole-name match
// (`Matcher.matches()`) and `replaceFirst` with Java's replacement syntax (`$1`, `\$`).
//
// The engine is std::regex's ECMAScript grammar, which shares Java's syntax for what topic
// patterns use (classes, groups, alternation, quantifiers, anchors, lookahead); Java-only syntax
// (inline flags such as `(?i)`, named groups, possessive quantifiers, `\Q...\E`) does not compile
// and is refused at validate, with the pattern named. Matching is not on the hot path: callers
// cache the result per topic.
//
// Thread-safety: a compiled JavaRegex is immutable; std::regex matching is safe from many threads.
#ifndef SLUICE_RUNTIME_TRANSFORM_JAVA_REGEX_H_
#define SLUICE_RUNTIME_TRANSFORM_JAVA_REGEX_H_

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sluice::transform {

class JavaRegex {
 public:
  // InvalidArgument with the reason when `pattern` does not compile.
  static absl::StatusOr<JavaRegex> Compile(std::string_view pattern);

  const std::string& pattern() const { return pattern_; }
  size_t group_count() const { return regex_->mark_count(); }

  // Java's Matcher.matches(): the whole of `text` matches.
  bool Matches(std::string_view text) const;

  // Java's Matcher.replaceFirst: the first match of the pattern in `text` replaced by
  // `replacement` (`$n` is group n, `\c` the character c). Callers check the replacement first
  // with CheckReplacement.
  std::string ReplaceFirst(std::string_view text, std::string_view replacement) const;

  // What is wrong with `replacement` for this pattern (Java throws it at the first record; here it
  // is refused at validate): a `$` not followed by a group number, a group the pattern does not
  // have, a trailing `\`, named groups (`${name}`).
  std::optional<std::string> CheckReplacement(std::string_view replacement) const;

 private:
  JavaRegex(std::string pattern, std::shared_ptr<const std::regex> regex)
      : pattern_(std::move(pattern)), regex_(std::move(regex)) {}
  std::string pattern_;
  std::shared_ptr<const std::regex> regex_;
};

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_JAVA_REGEX_H_
