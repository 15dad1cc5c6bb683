#include "connectors/mysql/connector/sql_scanner.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace sluice::mysql {
namespace {

bool IsWordByte(unsigned char c) { return absl::ascii_isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

// The character a backslash escape in a string literal stands for, as MySQL reads it: \0, \b,
// \n, \r, \t, \Z; \% and \_ keep their backslash (LIKE patterns); any other character stands
// for itself (\\ and \' among them).
void AppendEscaped(char c, std::string* out) {
  switch (c) {
    case '0':
      out->push_back('\0');
      return;
    case 'b':
      out->push_back('\b');
      return;
    case 'n':
      out->push_back('\n');
      return;
    case 'r':
      out->push_back('\r');
      return;
    case 't':
      out->push_back('\t');
      return;
    case 'Z':
      out->push_back('\x1a');
      return;
    case '%':
    case '_':
      out->push_back('\\');
      break;
    default:
      break;
  }
  out->push_back(c);
}

}  // namespace

bool SqlTokenizer::Next(SqlToken* token) {
  const absl::string_view sql = sql_;
  const size_t n = sql.size();
  size_t& i = i_;
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(sql[i]);
    if (absl::ascii_isspace(c)) {
      ++i;
    } else if (in_executable_comment_ && sql.substr(i, 2) == "*/") {
      in_executable_comment_ = false;
      i += 2;
    } else if (sql.substr(i, 3) == "/*!" || sql.substr(i, 4) == "/*M!") {
      // Executable: the code inside is read; the version number after the marker is not.
      i += sql[i + 2] == '!' ? 3 : 4;
      while (i < n && absl::ascii_isdigit(static_cast<unsigned char>(sql[i]))) ++i;
      in_executable_comment_ = true;
    } else if (sql.substr(i, 2) == "/*") {
      const size_t close = sql.find("*/", i + 2);
      const size_t end = close == absl::string_view::npos ? n : close + 2;
      if (keep_comments_) {
        token->kind = SqlToken::kComment;
        token->begin = i;
        token->end = end;
        const size_t body_end = close == absl::string_view::npos ? n : close;
        token->text = std::string(sql.substr(i + 2, body_end - (i + 2)));
        i = end;
        return true;
      }
      i = end;
    } else if (c == '#' ||
               (sql.substr(i, 2) == "--" &&
                (i + 2 >= n || absl::ascii_isspace(static_cast<unsigned char>(sql[i + 2]))))) {
      const size_t eol = sql.find('\n', i);
      const size_t end = eol == absl::string_view::npos ? n : eol + 1;
      if (keep_comments_) {
        const size_t body = i + (c == '#' ? 1 : 2);
        token->kind = SqlToken::kComment;
        token->begin = i;
        token->end = end;
        token->text = std::string(sql.substr(body, (eol == absl::string_view::npos ? n : eol) - body));
        i = end;
        return true;
      }
      i = end;
    } else {
      break;
    }
  }
  if (i >= n) return false;
  const char c = sql[i];
  token->begin = i;
  token->text.clear();
  if (c == '`' || c == '\'' || c == '"') {
    // Quoted: the closing quote doubled is the quote itself; in strings, a backslash escapes the
    // next character (AppendEscaped; identifiers have no backslash escapes).
    token->kind = c == '`' ? SqlToken::kQuoted : SqlToken::kString;
    ++i;
    while (i < n) {
      if (sql[i] == '\\' && c != '`' && i + 1 < n) {
        AppendEscaped(sql[i + 1], &token->text);
        i += 2;
      } else if (sql[i] == c) {
        if (i + 1 < n && sql[i + 1] == c) {
          token->text.push_back(c);
          i += 2;
        } else {
          ++i;
          break;
        }
      } else {
        token->text.push_back(sql[i++]);
      }
    }
  } else if (IsWordByte(static_cast<unsigned char>(c))) {
    token->kind = SqlToken::kWord;
    while (i < n && IsWordByte(static_cast<unsigned char>(sql[i]))) token->text.push_back(sql[i++]);
  } else {
    token->kind = SqlToken::kPunct;
    token->text.push_back(sql[i++]);
  }
  token->end = i;
  return true;
}

std::vector<SqlToken> Tokenize(absl::string_view sql, SqlTokenizer::Comments comments) {
  std::vector<SqlToken> tokens;
  SqlTokenizer tokenizer(sql, comments);
  SqlToken token;
  while (tokenizer.Next(&token)) tokens.push_back(std::move(token));
  return tokens;
}

std::string LeadingKeyword(absl::string_view sql) {
  SqlTokenizer tokenizer(sql);
  SqlToken token;
  if (!tokenizer.Next(&token) || token.kind != SqlToken::kWord) return "";
  absl::AsciiStrToUpper(&token.text);
  return std::move(token.text);
}

XaStatement ParseXaStatement(absl::string_view sql) {
  XaStatement xa;
  SqlTokenizer tokenizer(sql);
  SqlToken token;
  if (!tokenizer.Next(&token) || token.kind != SqlToken::kWord ||
      !absl::EqualsIgnoreCase(token.text, "XA") || !tokenizer.Next(&token) ||
      token.kind != SqlToken::kWord) {
    return xa;
  }
  xa.verb = absl::AsciiStrToUpper(token.text);
  const size_t after = token.begin + token.text.size();
  xa.xid = std::string(absl::StripAsciiWhitespace(sql.substr(std::min(after, sql.size()))));
  return xa;
}

bool StatementNamesTable(absl::string_view sql, absl::string_view table) {
  SqlTokenizer tokenizer(sql);
  SqlToken token;
  while (tokenizer.Next(&token)) {
    if ((token.kind == SqlToken::kWord || token.kind == SqlToken::kQuoted) &&
        absl::EqualsIgnoreCase(token.text, table)) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> EnumMembers(absl::string_view column_type) {
  std::vector<std::string> members;
  SqlTokenizer tokenizer(column_type);
  SqlToken token;
  // The type name, then "(".
  if (!tokenizer.Next(&token) || token.kind != SqlToken::kWord) return members;
  if (!tokenizer.Next(&token) || token.kind != SqlToken::kPunct || token.text != "(") return members;
  while (tokenizer.Next(&token) && token.kind == SqlToken::kString) {
    members.push_back(std::move(token.text));
    if (!tokenizer.Next(&token) || token.kind != SqlToken::kPunct || token.text != ",") break;
  }
  return members;
}

SqlScanner::SqlScanner(absl::string_view sql, absl::string_view current_db)
    : sql_(sql), current_db_(current_db), tokens_(Tokenize(sql)) {}

bool SqlScanner::Accept(absl::string_view word) {
  if (AtEnd() || tokens_[i_].kind != SqlToken::kWord ||
      !absl::EqualsIgnoreCase(tokens_[i_].text, word)) {
    return false;
  }
  ++i_;
  return true;
}

bool SqlScanner::AcceptPunct(char c) {
  if (AtEnd() || tokens_[i_].kind != SqlToken::kPunct || tokens_[i_].text[0] != c) return false;
  ++i_;
  return true;
}

bool SqlScanner::Identifier(std::string* name) {
  if (AtEnd() || (tokens_[i_].kind != SqlToken::kWord && tokens_[i_].kind != SqlToken::kQuoted)) {
    return false;
  }
  *name = tokens_[i_++].text;
  return true;
}

bool SqlScanner::Name(std::string* db, std::string* table) {
  std::string first;
  if (!Identifier(&first)) return false;
  if (i_ + 1 < tokens_.size() && tokens_[i_].kind == SqlToken::kPunct && tokens_[i_].text == "." &&
      (tokens_[i_ + 1].kind == SqlToken::kWord || tokens_[i_ + 1].kind == SqlToken::kQuoted)) {
    *db = std::move(first);
    *table = tokens_[i_ + 1].text;
    i_ += 2;
  } else {
    *db = std::string(current_db_);
    *table = std::move(first);
  }
  return !db->empty() && !table->empty();
}

bool SqlScanner::SkipTo(absl::string_view word) {
  int depth = 0;
  for (; i_ < tokens_.size(); ++i_) {
    const SqlToken& token = tokens_[i_];
    if (token.kind == SqlToken::kPunct) {
      if (token.text == "(") ++depth;
      if (token.text == ")") --depth;
    } else if (depth == 0 && token.kind == SqlToken::kWord &&
               absl::EqualsIgnoreCase(token.text, word)) {
      return true;
    }
  }
  return false;
}

}  // namespace sluice::mysql
