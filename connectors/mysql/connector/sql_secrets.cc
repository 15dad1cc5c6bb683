#include "connectors/mysql/connector/sql_secrets.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "connectors/mysql/connector/sql_scanner.h"

namespace sluice::mysql {
namespace {

// Skips what may stand between CREATE, ALTER or DROP and the kind of object: OR REPLACE,
// ALGORITHM = x, DEFINER = user[@host] or CURRENT_USER[()], SQL SECURITY x, and the single words
// of CREATE TEMPORARY TABLE, CREATE UNIQUE INDEX, ALTER ONLINE TABLE, CREATE AGGREGATE FUNCTION.
void SkipObjectPrefixes(SqlScanner& scan) {
  for (;;) {
    if (scan.Accept("OR")) {
      scan.Accept("REPLACE");
    } else if (scan.Accept("ALGORITHM")) {
      scan.AcceptPunct('=');
      scan.Skip();
    } else if (scan.Accept("DEFINER")) {
      scan.AcceptPunct('=');
      if (scan.Accept("CURRENT_USER")) {
        if (scan.AcceptPunct('(')) scan.AcceptPunct(')');
      } else {
        scan.Skip();
        if (scan.AcceptPunct('@')) scan.Skip();
      }
    } else if (scan.Accept("SQL")) {
      scan.Accept("SECURITY");
      scan.Skip();
    } else if (!(scan.Accept("TEMPORARY") || scan.Accept("ONLINE") || scan.Accept("OFFLINE") ||
                 scan.Accept("IGNORE") || scan.Accept("UNIQUE") || scan.Accept("FULLTEXT") ||
                 scan.Accept("SPATIAL") || scan.Accept("AGGREGATE"))) {
      return;
    }
  }
}

// The kind of a CREATE, ALTER or DROP statement, by the object it names.
StatementKind ObjectKind(SqlScanner& scan) {
  SkipObjectPrefixes(scan);
  if (scan.Accept("USER") || scan.Accept("ROLE")) return StatementKind::kAccount;
  if (scan.Accept("FUNCTION")) {
    // CREATE FUNCTION ... SONAME 'lib.so' installs a loadable function: the server's, not a
    // database's.
    return scan.SkipTo("SONAME") ? StatementKind::kOther : StatementKind::kStructure;
  }
  for (const char* object : {"TABLE", "TABLES", "INDEX", "DATABASE", "SCHEMA", "VIEW", "PROCEDURE",
                             "TRIGGER", "EVENT", "SEQUENCE", "PACKAGE"}) {
    if (scan.Accept(object)) return StatementKind::kStructure;
  }
  return StatementKind::kOther;
}

bool IsIntroducer(const SqlToken& token) {
  return token.kind == SqlToken::kWord &&
         (token.text[0] == '_' || absl::EqualsIgnoreCase(token.text, "X") ||
          absl::EqualsIgnoreCase(token.text, "B") || absl::EqualsIgnoreCase(token.text, "N"));
}

// Finds the credentials of one statement (or one comment's text) and where they are.
class SecretFinder {
 public:
  struct Replacement {
    size_t begin, end;
    std::string text;
  };

  explicit SecretFinder(absl::string_view sql)
      : sql_(sql), tokens_(Tokenize(sql, SqlTokenizer::Comments::kKeep)) {}

  std::vector<Replacement> Find() {
    bool identified = false;
    for (size_t j = 0; j < tokens_.size(); ++j) {
      const SqlToken& token = tokens_[j];
      if (token.kind == SqlToken::kComment) {
        Comment(token);
        continue;
      }
      if (token.kind != SqlToken::kWord) continue;
      const std::string word = absl::AsciiStrToUpper(token.text);
      if (word == "IDENTIFIED") {
        identified = true;
      } else if (identified && (word == "BY" || word == "AS" || word == "USING")) {
        // MariaDB's IDENTIFIED BY PASSWORD 'hash'; PASSWORD('x') is the function (below).
        size_t value = j + 1;
        if (IsWord(value, "PASSWORD") && !IsPunct(value + 1, '(')) ++value;
        Value(value);
      } else if (absl::EndsWith(word, "PASSWORD")) {
        size_t value = j + 1;
        if (IsWord(value, "FOR")) value = AfterUser(value + 1);  // SET PASSWORD FOR u = ...
        if (IsPunct(value, '=')) ++value;
        if (IsPunct(value, '(')) {
          Arguments(value);
        } else {
          Value(value);
        }
      } else if (word == "REPLACE") {
        Value(j + 1);
      } else if (word == "CONNECTION") {
        size_t value = j + 1;
        if (IsPunct(value, '=')) ++value;
        if (value < tokens_.size() && tokens_[value].kind == SqlToken::kString) {
          UrlPassword(tokens_[value]);
        }
      }
    }
    return std::move(found_);
  }

 private:
  bool IsWord(size_t j, absl::string_view word) const {
    return j < tokens_.size() && tokens_[j].kind == SqlToken::kWord &&
           absl::EqualsIgnoreCase(tokens_[j].text, word);
  }
  bool IsPunct(size_t j, char c) const {
    return j < tokens_.size() && tokens_[j].kind == SqlToken::kPunct && tokens_[j].text[0] == c;
  }

  // Past the account name at `j`: user[@host] or CURRENT_USER[()].
  size_t AfterUser(size_t j) const {
    if (IsWord(j, "CURRENT_USER")) return IsPunct(j + 1, '(') && IsPunct(j + 2, ')') ? j + 3 : j + 1;
    return IsPunct(j + 1, '@') ? j + 3 : j + 1;
  }

  // The literal at `j` (after a _charset, X, B or N introducer) is a credential.
  void Value(size_t j) {
    if (j + 1 < tokens_.size() && IsIntroducer(tokens_[j]) &&
        tokens_[j + 1].kind == SqlToken::kString && tokens_[j + 1].begin == tokens_[j].end) {
      ++j;
    }
    if (j >= tokens_.size()) return;
    const SqlToken& token = tokens_[j];
    // A number where a credential goes: MySQL writes a binary hash as 0x... .
    const bool number =
        token.kind == SqlToken::kWord && absl::ascii_isdigit(static_cast<unsigned char>(token.text[0]));
    if (token.kind == SqlToken::kString || number) {
      found_.push_back({token.begin, token.end, std::string(kRedacted)});
    }
  }

  // Every literal inside the parentheses opening at `open` is a credential.
  void Arguments(size_t open) {
    int depth = 0;
    for (size_t j = open; j < tokens_.size(); ++j) {
      if (IsPunct(j, '(')) ++depth;
      if (IsPunct(j, ')') && --depth == 0) return;
      if (tokens_[j].kind == SqlToken::kString) Value(j);
    }
  }

  // 'mysql://user:password@host:port/db/table': the password.
  void UrlPassword(const SqlToken& token) {
    const absl::string_view raw = sql_.substr(token.begin, token.end - token.begin);
    const size_t scheme = raw.find("://");
    if (scheme == absl::string_view::npos) return;
    const size_t authority = scheme + 3;
    const size_t at = raw.find('@', authority);
    const size_t slash = raw.find('/', authority);
    const size_t colon = raw.find(':', authority);
    if (at == absl::string_view::npos || (slash != absl::string_view::npos && slash < at) ||
        colon == absl::string_view::npos || colon > at) {
      return;
    }
    found_.push_back({token.begin + colon + 1, token.begin + at, "<secret>"});
  }

  // A comment's text, read as SQL: a credential in it is one too.
  void Comment(const SqlToken& comment) {
    const size_t body = comment.begin + (sql_[comment.begin] == '#' ? 1 : 2);
    for (Replacement& inner : SecretFinder(comment.text).Find()) {
      found_.push_back({body + inner.begin, body + inner.end, std::move(inner.text)});
    }
  }

  absl::string_view sql_;
  std::vector<SqlToken> tokens_;
  std::vector<Replacement> found_;
};

}  // namespace

StatementKind ClassifyStatement(absl::string_view sql) {
  SqlScanner scan(sql, /*current_db=*/"");
  if (scan.Accept("CREATE") || scan.Accept("ALTER") || scan.Accept("DROP")) {
    return ObjectKind(scan);
  }
  if (scan.Accept("RENAME")) {
    if (scan.Accept("USER")) return StatementKind::kAccount;
    return scan.Accept("TABLE") || scan.Accept("TABLES") ? StatementKind::kStructure
                                                         : StatementKind::kOther;
  }
  if (scan.Accept("TRUNCATE")) return StatementKind::kStructure;
  if (scan.Accept("GRANT") || scan.Accept("REVOKE")) return StatementKind::kAccount;
  if (scan.Accept("SET")) {
    scan.Accept("DEFAULT");
    if (scan.Accept("PASSWORD") || scan.Accept("ROLE")) return StatementKind::kAccount;
  }
  return StatementKind::kOther;
}

std::string RedactSecrets(absl::string_view sql) {
  std::vector<SecretFinder::Replacement> found = SecretFinder(sql).Find();
  if (found.empty()) return std::string(sql);
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.begin < b.begin; });
  std::string out;
  size_t copied = 0;
  for (const SecretFinder::Replacement& replacement : found) {
    if (replacement.begin < copied) continue;  // the same literal found twice
    out.append(sql.data() + copied, replacement.begin - copied);
    out.append(replacement.text);
    copied = replacement.end;
  }
  out.append(sql.data() + copied, sql.size() - copied);
  return out;
}

}  // namespace sluice::mysql
