#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SQL_SCANNER_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SQL_SCANNER_H_

// The one reader of SQL text in the connector: a statement's leading keyword (BEGIN, COMMIT,
// TRUNCATE, ...), the table names DDL statements carry (ddl_targets.h), the column a MariaDB
// json_valid check names, which statements may be published and the credentials they carry
// (sql_secrets.h). It splits a statement into tokens — words, `identifiers`, 'strings' and
// punctuation — skipping blanks and comments (/* */, -- and #); nothing is parsed beyond that,
// and anything it does not recognise is simply not a match. An executable comment (MySQL's
// /*! ... */ and /*!50110 ... */, MariaDB's /*M! ... */) is read as the code inside it, as the
// server runs it (whatever the version: the server the statement ran on did run it, or it is
// harmless to read it as if).
//
// Thread-compatible; pure.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace sluice::mysql {

struct SqlToken {
  // kComment only when the tokenizer keeps comments (SqlTokenizer::Comments::kKeep).
  enum Kind { kWord, kQuoted, kString, kPunct, kComment };
  Kind kind = kWord;
  // Identifiers and strings unquoted and unescaped; words as written; a comment's body without
  // its markers (/* */, --, #).
  std::string text;
  size_t begin = 0;  // offset in the statement
  size_t end = 0;    // offset just past the token (its closing quote or comment marker)
};

// Reads a statement's tokens one at a time, so a caller that needs the first only reads that.
class SqlTokenizer {
 public:
  enum class Comments { kSkip, kKeep };
  explicit SqlTokenizer(absl::string_view sql, Comments comments = Comments::kSkip)
      : sql_(sql), keep_comments_(comments == Comments::kKeep) {}
  // The next token; false at the end of the statement.
  bool Next(SqlToken* token);

 private:
  absl::string_view sql_;
  bool keep_comments_;
  size_t i_ = 0;
  bool in_executable_comment_ = false;  // inside /*! ... */: its closing */ is a blank
};

// Every token of `sql`.
std::vector<SqlToken> Tokenize(absl::string_view sql,
                               SqlTokenizer::Comments comments = SqlTokenizer::Comments::kSkip);

// The statement's leading keyword in upper case ("BEGIN", "TRUNCATE", "ALTER"); empty when it
// starts with anything but a word (or is only comments).
std::string LeadingKeyword(absl::string_view sql);

// An XA statement as the binlog carries it ("XA START X'6131',X'',1"): its verb in upper case
// (START, BEGIN, END, COMMIT, ROLLBACK, ...) and the text after the verb, trimmed (the xid, as
// the server writes it). An empty verb when `sql` is not an XA statement.
struct XaStatement {
  std::string verb;
  std::string xid;
  // "XA START" or its synonym "XA BEGIN": where MySQL's binlog starts the events of an XA
  // transaction (its XA_PREPARE event ends them), as BEGIN starts an ordinary one.
  bool starts() const { return verb == "START" || verb == "BEGIN"; }
};
XaStatement ParseXaStatement(absl::string_view sql);

// True when `sql` names `table` anywhere (as a word or a `quoted` identifier,
// case-insensitively): a deliberately wide net for "may this statement concern the table".
bool StatementNamesTable(absl::string_view sql, absl::string_view table);

// The members of an ENUM or SET as information_schema's COLUMN_TYPE (and SHOW CREATE TABLE)
// write them, unescaped: enum('a''b','c,d','e\\f') gives a'b, c,d and e\f. The server doubles a
// quote and escapes a backslash, NUL, newline, return and ^Z in them (as string literals are
// escaped). The table map carries the members unescaped: both give the same values.
std::vector<std::string> EnumMembers(absl::string_view column_type);

// Walks a statement's tokens: keywords, punctuation, and [db.]table names.
class SqlScanner {
 public:
  // `current_db` qualifies bare table names.
  SqlScanner(absl::string_view sql, absl::string_view current_db);

  bool AtEnd() const { return i_ >= tokens_.size(); }
  // Where the next token starts in the statement (its length at the end).
  size_t Offset() const { return AtEnd() ? sql_.size() : tokens_[i_].begin; }
  // Consumes the next token when it is the (unquoted, case-insensitive) keyword.
  bool Accept(absl::string_view word);
  // Consumes the next token when it is the punctuation character `c`.
  bool AcceptPunct(char c);
  // Consumes [db.]table; false (nothing consumed) when the next token is no name, or the name
  // has no database and there is no current one.
  bool Name(std::string* db, std::string* table);
  // Consumes a word or `identifier` (a column name, say); false when the next token is neither.
  bool Identifier(std::string* name);
  // Advances to the next keyword `word` outside parentheses; false when there is none.
  bool SkipTo(absl::string_view word);
  void Skip() { ++i_; }

 private:
  absl::string_view sql_, current_db_;
  std::vector<SqlToken> tokens_;
  size_t i_ = 0;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SQL_SCANNER_H_
