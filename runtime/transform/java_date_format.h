// java.text.SimpleDateFormat patterns in UTC, as TimestampRouter and TimestampConverter use them:
// formatting and (lenient) parsing of the letters y M d H m s S, month names for MMM and MMMM, and
// quoted text. Any other letter is refused when the pattern is read, so a pattern that would mean
// something else in Java is never applied silently.
//
// Thread-safety: a parsed pattern is immutable; the functions keep no state.
#ifndef SLUICE_RUNTIME_TRANSFORM_JAVA_DATE_FORMAT_H_
#define SLUICE_RUNTIME_TRANSFORM_JAVA_DATE_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace sluice::transform {

// One piece of a pattern: a field letter repeated `count` times, or literal text.
struct DatePart {
  char letter = 0;  // 0: literal
  int count = 0;
  std::string literal;
};

// The pattern's pieces; InvalidArgument (to follow "`<pattern>` ") for an unterminated quote or a
// letter this worker does not handle.
absl::StatusOr<std::vector<DatePart>> ParseDateFormat(std::string_view pattern);

// Appends `ms` since the epoch formatted in UTC, as SimpleDateFormat with the UTC zone does.
void FormatUtc(const std::vector<DatePart>& parts, int64_t ms, std::string& out);

// `text` read as SimpleDateFormat.parse reads it in lenient mode with the UTC zone: numbers as long
// as they run (exactly `count` digits when the next piece is a number too), out-of-range fields
// rolled over (month 13 is January of the next year), a two-digit `yy` year put within 80 years
// before and 20 after now, text after the pattern ignored. InvalidArgument when a literal or number
// is not where the pattern puts it.
absl::StatusOr<int64_t> ParseUtc(const std::vector<DatePart>& parts, std::string_view text);

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_JAVA_DATE_FORMAT_H_
