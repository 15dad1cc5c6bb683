#include "connectors/mysql/gtid/mariadb_gtid_position.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace sluice::mysql {
namespace {

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<MariaDbGtid> MariaDbGtid::Parse(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  auto error = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("MariaDB GTID \"", text, "\": ", what));
  };
  if (text.find(':') != absl::string_view::npos) {
    return error("a MySQL GTID (uuid:numbers), not a MariaDB one (domain-server-sequence)");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  if (parts.size() != 3) return error("expected domain-server-sequence, e.g. 0-1-42");
  MariaDbGtid gtid;
  const char* names[] = {"domain id", "server id", "sequence number"};
  for (int i = 0; i < 3; ++i) {
    if (!AllDigits(parts[i])) {
      return error(absl::StrCat("the ", names[i], " \"", parts[i], "\" is not a number"));
    }
  }
  if (!absl::SimpleAtoi(parts[0], &gtid.domain_id)) {
    return error(absl::StrCat("the domain id ", parts[0], " exceeds 4294967295"));
  }
  if (!absl::SimpleAtoi(parts[1], &gtid.server_id)) {
    return error(absl::StrCat("the server id ", parts[1], " exceeds 4294967295"));
  }
  if (!absl::SimpleAtoi(parts[2], &gtid.sequence)) {
    return error(absl::StrCat("the sequence number ", parts[2], " exceeds 18446744073709551615"));
  }
  return gtid;
}

std::string MariaDbGtid::ToString() const {
  return absl::StrCat(domain_id, "-", server_id, "-", sequence);
}

absl::StatusOr<MariaDbGtidPosition> MariaDbGtidPosition::Parse(absl::string_view text) {
  MariaDbGtidPosition position;
  for (absl::string_view element : absl::StrSplit(text, ',')) {
    element = absl::StripAsciiWhitespace(element);
    if (element.empty()) continue;
    absl::StatusOr<MariaDbGtid> gtid = MariaDbGtid::Parse(element);
    if (!gtid.ok()) return gtid.status();
    auto [it, inserted] = position.domains_.emplace(gtid->domain_id, *gtid);
    if (!inserted && it->second.sequence < gtid->sequence) it->second = *gtid;
  }
  return position;
}

std::string MariaDbGtidPosition::ToString() const {
  std::string text;
  for (const auto& [domain, gtid] : domains_) {
    if (!text.empty()) text.push_back(',');
    text += gtid.ToString();
  }
  return text;
}

}  // namespace sluice::mysql
