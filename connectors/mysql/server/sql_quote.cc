#include "connectors/mysql/server/sql_quote.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace sluice::mysql {

std::string QuoteIdentifier(absl::string_view name) {
  return absl::StrCat("`", absl::StrReplaceAll(name, {{"`", "``"}}), "`");
}

std::string QuoteTable(absl::string_view db, absl::string_view table) {
  return absl::StrCat(QuoteIdentifier(db), ".", QuoteIdentifier(table));
}

std::string SqlString(absl::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "''";
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

}  // namespace sluice::mysql
