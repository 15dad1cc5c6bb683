#include "runtime/transform/java_regex.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace sluice::transform {

absl::StatusOr<JavaRegex> JavaRegex::Compile(std::string_view pattern) {
  try {
    auto regex = std::make_shared<const std::regex>(pattern.begin(), pattern.end(),
                                                    std::regex::ECMAScript);
    return JavaRegex(std::string(pattern), std::move(regex));
  } catch (const std::regex_error& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        "`", std::string(pattern), "` is not a regular expression this worker can compile (",
        e.what(),
        "); Java-only syntax such as (?i), named groups and possessive quantifiers is not "
        "supported"));
  }
}

bool JavaRegex::Matches(std::string_view text) const {
  return std::regex_match(text.begin(), text.end(), *regex_);
}

std::optional<std::string> JavaRegex::CheckReplacement(std::string_view replacement) const {
  for (size_t i = 0; i < replacement.size(); ++i) {
    const char c = replacement[i];
    if (c == '\\') {
      if (++i == replacement.size()) return "ends with `\\`, which escapes nothing";
    } else if (c == '$') {
      if (++i == replacement.size()) return "ends with `$`, which names no group";
      if (replacement[i] == '{') return "names a group (`${...}`); use its number (`$1`)";
      if (replacement[i] < '0' || replacement[i] > '9') {
        return absl::StrCat("has `$` followed by `", std::string(1, replacement[i]),
                            "`; write `\\$` for a dollar sign or `$<n>` for group n");
      }
      const size_t group = static_cast<size_t>(replacement[i] - '0');
      if (group > group_count()) {
        return absl::StrCat("refers to group ", group, " but the pattern has ", group_count());
      }
    }
  }
  return std::nullopt;
}

std::string JavaRegex::ReplaceFirst(std::string_view text, std::string_view replacement) const {
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(text.begin(), text.end(), m, *regex_)) return std::string(text);
  std::string out(text.substr(0, static_cast<size_t>(m.position(0))));
  const size_t groups = group_count();
  for (size_t i = 0; i < replacement.size(); ++i) {
    const char c = replacement[i];
    if (c == '\\' && i + 1 < replacement.size()) {
      out.push_back(replacement[++i]);
    } else if (c == '$' && i + 1 < replacement.size() && replacement[i + 1] >= '0' &&
               replacement[i + 1] <= '9') {
      // Java reads the first digit, then more digits while the number stays a group the pattern has.
      size_t group = static_cast<size_t>(replacement[++i] - '0');
      while (i + 1 < replacement.size() && replacement[i + 1] >= '0' && replacement[i + 1] <= '9') {
        const size_t longer = group * 10 + static_cast<size_t>(replacement[i + 1] - '0');
        if (longer > groups) break;
        group = longer;
        ++i;
      }
      if (group <= groups && m[group].matched) out.append(m[group].first, m[group].second);
    } else {
      out.push_back(c);
    }
  }
  out.append(m[0].second, text.end());
  return out;
}

}  // namespace sluice::transform
