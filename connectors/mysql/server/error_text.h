#ifndef SLUICE_CONNECTORS_MYSQL_SERVER_ERROR_TEXT_H_
#define SLUICE_CONNECTORS_MYSQL_SERVER_ERROR_TEXT_H_

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace sluice::mysql {

// Whether a server or client error message mentions `needle`, ignoring case. Some conditions
// (a purged binlog, a TLS failure) share one error number and differ only in their text.
inline bool MentionsIgnoringCase(absl::string_view text, absl::string_view needle) {
  return absl::StrContains(absl::AsciiStrToLower(text), absl::AsciiStrToLower(needle));
}

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_SERVER_ERROR_TEXT_H_
