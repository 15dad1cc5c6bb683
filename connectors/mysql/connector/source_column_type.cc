#include "connectors/mysql/connector/source_column_type.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace sluice::mysql {
namespace {

// The quoted members of an ENUM or SET's list ("'a','b,c','d''e'"): '' and \' escape a quote.
int CountQuoted(absl::string_view list) {
  int count = 0;
  bool quoted = false;
  for (size_t i = 0; i < list.size(); ++i) {
    const char c = list[i];
    if (!quoted) {
      if (c == '\'') {
        quoted = true;
        ++count;
      }
      continue;
    }
    if (c == '\\') {
      ++i;
    } else if (c == '\'') {
      if (i + 1 < list.size() && list[i + 1] == '\'') {
        ++i;
      } else {
        quoted = false;
      }
    }
  }
  return count;
}

}  // namespace

bool SourceColumnType::character() const {
  // Debezium's DDL parser keeps a BINARY attribute in the name ("CHAR BINARY"); the base type
  // decides the JDBC type.
  const absl::string_view base = absl::string_view(name).substr(0, name.find(' '));
  for (absl::string_view type : {"CHAR", "VARCHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT",
                                 "NCHAR", "NVARCHAR", "ENUM", "SET"}) {
    if (base == type) return true;
  }
  return false;
}

SourceColumnType ParseSourceColumnType(absl::string_view column_type) {
  SourceColumnType type;
  const size_t open = column_type.find('(');
  const size_t close = open == absl::string_view::npos ? open : column_type.rfind(')');
  std::vector<absl::string_view> words =
      absl::StrSplit(column_type.substr(0, open), ' ', absl::SkipWhitespace());
  absl::string_view arguments;
  if (close != absl::string_view::npos && close > open) {
    arguments = column_type.substr(open + 1, close - open - 1);
    for (absl::string_view word :
         absl::StrSplit(column_type.substr(close + 1), ' ', absl::SkipWhitespace())) {
      words.push_back(word);
    }
  }
  type.name = absl::AsciiStrToUpper(absl::StrJoin(words, " "));
  const absl::string_view base = absl::string_view(type.name).substr(0, type.name.find(' '));
  if (base == "ENUM") {
    type.length = 1;  // as Debezium's parser sets it, whatever the members
  } else if (base == "SET") {
    const int members = CountQuoted(arguments);
    type.length = members > 0 ? members * 2 - 1 : 0;  // the members and the commas between them
  } else if (!arguments.empty()) {
    std::vector<absl::string_view> parts = absl::StrSplit(arguments, ',');
    int32_t number = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(parts[0]), &number)) type.length = number;
    if (parts.size() == 2 && absl::SimpleAtoi(absl::StripAsciiWhitespace(parts[1]), &number)) {
      type.scale = number;
    }
  }
  return type;
}

}  // namespace sluice::mysql
