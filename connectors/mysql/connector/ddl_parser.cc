#include "connectors/mysql/connector/ddl_parser.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/sql_scanner.h"
#include "connectors/mysql/server/sql_quote.h"

namespace sluice::mysql {
namespace {

bool OneOf(absl::string_view word, std::initializer_list<absl::string_view> words) {
  for (absl::string_view candidate : words) {
    if (absl::EqualsIgnoreCase(word, candidate)) return true;
  }
  return false;
}

// Debezium's default value for CURRENT_TIMESTAMP and its synonyms, as its parser writes it.
constexpr char kEpochDefault[] = "1970-01-01 00:00:00";

class Parser {
 public:
  Parser(absl::string_view sql, absl::string_view current_db, bool mariadb)
      : sql_(sql), current_db_(current_db), mariadb_(mariadb), tokens_(Tokenize(sql)) {}

  absl::StatusOr<DdlStatement> Statement();

 private:
  // ---- tokens --------------------------------------------------------------------------------
  bool AtEnd() const { return i_ >= tokens_.size(); }
  const SqlToken* Peek(size_t ahead = 0) const {
    return i_ + ahead < tokens_.size() ? &tokens_[i_ + ahead] : nullptr;
  }
  bool PeekWord(absl::string_view word, size_t ahead = 0) const {
    const SqlToken* token = Peek(ahead);
    return token != nullptr && token->kind == SqlToken::kWord &&
           absl::EqualsIgnoreCase(token->text, word);
  }
  bool PeekPunct(char c, size_t ahead = 0) const {
    const SqlToken* token = Peek(ahead);
    return token != nullptr && token->kind == SqlToken::kPunct && token->text[0] == c;
  }
  bool Accept(absl::string_view word) {
    if (!PeekWord(word)) return false;
    ++i_;
    return true;
  }
  bool AcceptPunct(char c) {
    if (!PeekPunct(c)) return false;
    ++i_;
    return true;
  }
  absl::Status Error(absl::string_view what) const {
    const std::string at = AtEnd() ? std::string("the end")
                                   : absl::StrCat("'", tokens_[i_].text, "' (offset ",
                                                  tokens_[i_].begin, ")");
    return absl::InvalidArgumentError(absl::StrCat("cannot read the DDL statement: ", what,
                                                   " expected at ", at));
  }
  absl::Status Expect(absl::string_view word) {
    return Accept(word) ? absl::OkStatus() : Error(word);
  }
  absl::Status ExpectPunct(char c) {
    return AcceptPunct(c) ? absl::OkStatus() : Error(std::string(1, c));
  }
  // A word or `quoted` identifier.
  bool Identifier(std::string* name) {
    const SqlToken* token = Peek();
    if (token == nullptr || (token->kind != SqlToken::kWord && token->kind != SqlToken::kQuoted)) {
      return false;
    }
    *name = token->text;
    ++i_;
    return true;
  }
  absl::Status ExpectIdentifier(std::string* name) {
    return Identifier(name) ? absl::OkStatus() : Error("a name");
  }
  absl::Status TableName(DdlTableRef* ref) {
    std::string first;
    if (!Identifier(&first)) return Error("a table name");
    if (AcceptPunct('.')) {
      ref->db = std::move(first);
      return ExpectIdentifier(&ref->table);
    }
    if (current_db_.empty()) return Error("a database-qualified table name");
    ref->db = std::string(current_db_);
    ref->table = std::move(first);
    return absl::OkStatus();
  }
  // Skips a balanced ( ... ); the next token must be "(".
  absl::Status SkipParens() {
    if (!AcceptPunct('(')) return Error("(");
    int depth = 1;
    while (!AtEnd() && depth > 0) {
      if (PeekPunct('(')) ++depth;
      if (PeekPunct(')')) --depth;
      ++i_;
    }
    return depth == 0 ? absl::OkStatus() : Error(")");
  }
  // Skips to the next "," or ")" outside parentheses (not consumed), or the end.
  void SkipElement() {
    int depth = 0;
    while (!AtEnd()) {
      if (depth == 0 && (PeekPunct(',') || PeekPunct(')'))) return;
      if (PeekPunct('(')) ++depth;
      if (PeekPunct(')')) --depth;
      ++i_;
    }
  }
  void SkipEquals() { AcceptPunct('='); }
  // The text of tokens written without blanks between them from here: a number as "-1.50",
  // "1e3" or ".5".
  std::string Adjacent() {
    std::string text;
    size_t end = AtEnd() ? 0 : tokens_[i_].begin;
    while (!AtEnd() && tokens_[i_].begin == end &&
           (tokens_[i_].kind == SqlToken::kWord ||
            (tokens_[i_].kind == SqlToken::kPunct &&
             OneOf(tokens_[i_].text, {".", "-", "+"})))) {
      text += tokens_[i_].text;
      end = tokens_[i_].end;
      ++i_;
    }
    return text;
  }
  absl::Status Number(int32_t* value) {
    const SqlToken* token = Peek();
    if (token == nullptr || token->kind != SqlToken::kWord || !absl::SimpleAtoi(token->text, value)) {
      return Error("a number");
    }
    ++i_;
    return absl::OkStatus();
  }

  // ---- pieces --------------------------------------------------------------------------------
  // A charset or collation name, after its keyword and an optional "=": a word, `name` or 'name'.
  absl::Status OptionName(absl::string_view what, std::string* name);
  absl::Status Charset(std::string* charset);  // after CHARACTER SET / CHARSET
  absl::Status Collation(std::string* charset);  // after COLLATE
  absl::StatusOr<std::optional<std::string>> DefaultValue();
  absl::Status ColumnDefinition(DdlColumn* out);
  absl::Status DataType(DdlColumn* out);
  absl::Status KeyColumns(std::vector<std::string>* key);
  absl::Status Place(DdlColumnPlace* place);
  absl::Status TableOptions(DdlStatement* statement);
  absl::Status CreateTable(DdlStatement* statement);
  absl::Status Database(DdlStatement* statement);
  absl::Status AlterTable(DdlStatement* statement);
  absl::Status AlterSpec(DdlStatement* statement);

  absl::string_view sql_, current_db_;
  bool mariadb_;
  std::vector<SqlToken> tokens_;
  size_t i_ = 0;
};

absl::Status Parser::OptionName(absl::string_view what, std::string* name) {
  SkipEquals();
  if (Identifier(name)) return absl::OkStatus();
  const SqlToken* token = Peek();
  if (token == nullptr || token->kind != SqlToken::kString) return Error(what);
  *name = token->text;
  ++i_;
  return absl::OkStatus();
}

absl::Status Parser::Charset(std::string* charset) {
  if (PeekWord("DEFAULT") || (PeekPunct('=') && PeekWord("DEFAULT", 1))) {
    return Error("a character set name");  // CHARSET DEFAULT: the server's, not modelled
  }
  std::string name;
  absl::Status status = OptionName("a character set name", &name);
  if (status.ok()) *charset = CanonicalCharset(name);
  return status;
}

absl::Status Parser::Collation(std::string* charset) {
  std::string name;
  absl::Status status = OptionName("a collation name", &name);
  if (status.ok()) *charset = CharsetOfCollation(name);
  return status;
}

absl::StatusOr<std::optional<std::string>> Parser::DefaultValue() {
  const SqlToken* token = Peek();
  if (token == nullptr) return Error("a default value");
  if (token->kind == SqlToken::kString) {
    std::string value;
    while (Peek() != nullptr && Peek()->kind == SqlToken::kString) value += tokens_[i_++].text;
    return std::optional<std::string>(std::move(value));
  }
  if (token->kind == SqlToken::kPunct && token->text == "(") {
    // An expression default (MySQL 8.0.13+, MariaDB 10.2+): its text as written.
    const size_t begin = token->end;
    absl::Status skipped = SkipParens();
    if (!skipped.ok()) return skipped;
    const size_t end = tokens_[i_ - 1].begin;
    return std::optional<std::string>(
        std::string(absl::StripAsciiWhitespace(sql_.substr(begin, end - begin))));
  }
  if (token->kind == SqlToken::kWord) {
    if (Accept("NULL")) return std::optional<std::string>();
    if (Accept("TRUE")) return std::optional<std::string>("1");
    if (Accept("FALSE")) return std::optional<std::string>("0");
    if (OneOf(token->text, {"CURRENT_TIMESTAMP", "NOW", "LOCALTIME", "LOCALTIMESTAMP"})) {
      ++i_;
      if (PeekPunct('(')) {
        absl::Status skipped = SkipParens();
        if (!skipped.ok()) return skipped;
      }
      return std::optional<std::string>(kEpochDefault);
    }
    // A charset introducer (_utf8mb4'x') or a bit/hex literal (b'01', x'af').
    if (token->text[0] == '_' && Peek(1) != nullptr && Peek(1)->kind == SqlToken::kString &&
        Peek(1)->begin == token->end) {
      ++i_;
      return DefaultValue();
    }
    if (OneOf(token->text, {"b", "x"}) && Peek(1) != nullptr &&
        Peek(1)->kind == SqlToken::kString && Peek(1)->begin == token->end) {
      std::string text = absl::StrCat(token->text, "'", Peek(1)->text, "'");
      i_ += 2;
      return std::optional<std::string>(std::move(text));
    }
  }
  std::string number = Adjacent();
  if (number.empty()) return Error("a default value");
  return std::optional<std::string>(std::move(number));
}

absl::Status Parser::DataType(DdlColumn* out) {
  std::string word;
  const SqlToken* token = Peek();
  if (token == nullptr || token->kind != SqlToken::kWord) return Error("a data type");
  word = absl::AsciiStrToLower(token->text);
  ++i_;
  ColumnStructure& column = out->column;
  bool unsigned_type = false, zerofill = false;
  std::optional<int32_t> length, scale;
  bool boolean = false, serial = false;
  // Synonyms take the server's names, as information_schema and SHOW CREATE TABLE write them.
  if (word == "integer") word = "int";
  if (word == "dec" || word == "numeric" || word == "fixed") word = "decimal";
  if (word == "real") word = "double";
  if (word == "double") Accept("PRECISION");
  if (word == "int1") word = "tinyint";
  if (word == "int2") word = "smallint";
  if (word == "int3" || word == "middleint") word = "mediumint";
  if (word == "int4") word = "int";
  if (word == "int8") word = "bigint";
  if (word == "bool" || word == "boolean") {
    word = "tinyint";
    boolean = true;
  }
  if (word == "serial") {
    word = "bigint";
    serial = true;
  }
  if (word == "character") word = "char";
  if (word == "national" || word == "nchar" || word == "nvarchar") {
    if (word == "national") {
      const SqlToken* next = Peek();
      if (next == nullptr) return Error("a data type");
      word = absl::AsciiStrToLower(next->text);
      ++i_;
      if (word == "character") word = "char";
    }
    if (word == "nchar") word = "char";
    if (word == "nvarchar") word = "varchar";
    if (word == "char" && Accept("VARYING")) word = "varchar";
    column.charset = "utf8mb3";
  }
  if (word == "char" && Accept("VARYING")) word = "varchar";
  if (word == "long") {
    // LONG VARCHAR is MEDIUMTEXT, LONG VARBINARY MEDIUMBLOB, LONG alone MEDIUMTEXT.
    if (Accept("VARBINARY")) {
      word = "mediumblob";
    } else {
      Accept("VARCHAR");
      word = "mediumtext";
    }
  }
  if (word == "json" && mariadb_) {
    word = "longtext";
    if (!column.charset.has_value()) column.charset = "utf8mb4";
  }
  static const std::initializer_list<absl::string_view> kKnown = {
      "tinyint", "smallint", "mediumint", "int", "bigint", "float", "double", "decimal", "bit",
      "date", "time", "datetime", "timestamp", "year", "char", "varchar", "binary", "varbinary",
      "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob",
      "enum", "set", "json", "geometry", "point", "linestring", "polygon", "multipoint",
      "multilinestring", "multipolygon", "geometrycollection", "vector", "uuid", "inet4", "inet6"};
  if (!OneOf(word, kKnown)) {
    --i_;
    return Error("a data type");
  }
  if (word == "enum" || word == "set") {
    absl::Status open = ExpectPunct('(');
    if (!open.ok()) return open;
    do {
      const SqlToken* member = Peek();
      if (member == nullptr || member->kind != SqlToken::kString) return Error("an ENUM/SET member");
      column.enum_values.push_back(SqlString(member->text));
      ++i_;
    } while (AcceptPunct(','));
    absl::Status close = ExpectPunct(')');
    if (!close.ok()) return close;
    // Debezium's lengths: 1 for an ENUM, members plus separators for a SET.
    length = word == "enum" ? 1 : static_cast<int32_t>(column.enum_values.size()) * 2 - 1;
  } else if (AcceptPunct('(')) {
    int32_t value = 0;
    absl::Status status = Number(&value);
    if (!status.ok()) return status;
    length = value;
    if (AcceptPunct(',')) {
      status = Number(&value);
      if (!status.ok()) return status;
      scale = value;
    }
    status = ExpectPunct(')');
    if (!status.ok()) return status;
  }
  // Lengths the server fills in where the statement writes none (and Debezium's snapshot, which
  // reads SHOW CREATE TABLE, shows): DECIMAL is (10,0); CHAR, BINARY and BIT are 1.
  if (word == "decimal" && !length.has_value()) length = 10;
  if (word == "decimal" && !scale.has_value()) scale = 0;
  if ((word == "char" || word == "binary" || word == "bit") && !length.has_value()) length = 1;
  if (boolean) length = 1;
  if (word == "vector") length.reset();
  while (true) {
    if (Accept("UNSIGNED")) {
      unsigned_type = true;
    } else if (Accept("SIGNED")) {
    } else if (Accept("ZEROFILL")) {
      zerofill = unsigned_type = true;
    } else if (PeekWord("CHARACTER") && PeekWord("SET", 1)) {
      i_ += 2;
      std::string charset;
      absl::Status status = Charset(&charset);
      if (!status.ok()) return status;
      column.charset = std::move(charset);
    } else if (Accept("CHARSET")) {
      std::string charset;
      absl::Status status = Charset(&charset);
      if (!status.ok()) return status;
      column.charset = std::move(charset);
    } else if (Accept("ASCII")) {
      column.charset = "latin1";
    } else if (Accept("UNICODE")) {
      column.charset = "ucs2";
    } else if (Accept("BYTE")) {
      column.charset = "binary";
    } else if (PeekWord("BINARY") && (word == "char" || word == "varchar" ||
                                      absl::EndsWith(word, "text") || word == "enum" ||
                                      word == "set")) {
      ++i_;  // the charset's binary collation: the charset itself is unchanged
    } else {
      break;
    }
  }
  if (column.charset == "binary" && (word == "char" || word == "varchar" || word == "text")) {
    // CHAR(n) CHARACTER SET binary is BINARY(n), and so on: the server rewrites them.
    word = word == "char" ? "binary" : word == "varchar" ? "varbinary" : "blob";
    column.charset.reset();
  }
  out->character = word == "char" || word == "varchar" || absl::EndsWith(word, "text") ||
                   word == "enum" || word == "set";
  if (!out->character) column.charset.reset();
  column.type_name = absl::AsciiStrToUpper(word);
  if (unsigned_type) absl::StrAppend(&column.type_name, " UNSIGNED");
  if (zerofill) absl::StrAppend(&column.type_name, " ZEROFILL");
  column.jdbc_type = JdbcTypeOf(word);
  column.length = length;
  column.scale = scale;
  if (serial) {
    column.type_name = "BIGINT UNSIGNED";
    column.optional = false;
    column.auto_incremented = true;
  }
  return absl::OkStatus();
}

absl::Status Parser::ColumnDefinition(DdlColumn* out) {
  absl::Status status = ExpectIdentifier(&out->column.name);
  if (!status.ok()) return status;
  status = DataType(out);
  if (!status.ok()) return status;
  ColumnStructure& column = out->column;
  // Up to the end of the definition: `,` or `)` (CREATE), FIRST/AFTER (ALTER).
  while (!AtEnd() && !PeekPunct(',') && !PeekPunct(')') && !PeekWord("FIRST") &&
         !PeekWord("AFTER")) {
    if (Accept("NOT")) {
      status = Expect("NULL");
      if (!status.ok()) return status;
      column.optional = false;
    } else if (Accept("NULL")) {
      column.optional = true;
    } else if (Accept("DEFAULT")) {
      absl::StatusOr<std::optional<std::string>> value = DefaultValue();
      if (!value.ok()) return value.status();
      column.default_value = *std::move(value);
    } else if (Accept("AUTO_INCREMENT")) {
      column.auto_incremented = true;
    } else if (Accept("PRIMARY")) {
      Accept("KEY");
      out->primary_key = true;
    } else if (Accept("KEY")) {
      out->primary_key = true;  // KEY alone in a column definition means PRIMARY KEY
    } else if (Accept("UNIQUE")) {
      Accept("KEY");
    } else if (Accept("COMMENT")) {
      const SqlToken* text = Peek();
      if (text == nullptr || text->kind != SqlToken::kString) return Error("a comment");
      column.comment = text->text;
      ++i_;
    } else if (Accept("ON")) {
      status = Expect("UPDATE");
      if (!status.ok()) return status;
      std::string function;
      status = ExpectIdentifier(&function);
      if (!status.ok()) return status;
      if (PeekPunct('(')) {
        status = SkipParens();
        if (!status.ok()) return status;
      }
    } else if (Accept("GENERATED")) {
      status = Expect("ALWAYS");
      if (!status.ok()) return status;
      // MariaDB: GENERATED ALWAYS AS ROW START/END (system versioning) is not modelled.
      if (PeekWord("AS") && PeekWord("ROW", 1)) return Error("a generated column's expression");
    } else if (Accept("AS")) {
      status = SkipParens();
      if (!status.ok()) return status;
    } else if (Accept("VIRTUAL") || Accept("STORED") || Accept("PERSISTENT") ||
               Accept("INVISIBLE") || Accept("VISIBLE")) {
    } else if (Accept("COLUMN_FORMAT") || Accept("STORAGE") || Accept("SRID")) {
      ++i_;
    } else if (Accept("ENGINE_ATTRIBUTE") || Accept("SECONDARY_ENGINE_ATTRIBUTE")) {
      SkipEquals();
      ++i_;
    } else if (Accept("COLLATE")) {
      std::string charset;
      status = Collation(&charset);
      if (!status.ok()) return status;
      if (out->character) column.charset = std::move(charset);
    } else if (Accept("CONSTRAINT")) {
      if (!PeekWord("CHECK")) ++i_;
    } else if (Accept("CHECK")) {
      status = SkipParens();
      if (!status.ok()) return status;
    } else if (Accept("REFERENCES")) {
      SkipElement();
    } else if (PeekWord("WITHOUT") || PeekWord("WITH")) {
      return Error("a column attribute (system versioning is not modelled)");
    } else {
      return Error("a column attribute");
    }
  }
  if (out->primary_key) column.optional = false;
  return absl::OkStatus();
}

absl::Status Parser::KeyColumns(std::vector<std::string>* key) {
  absl::Status status = ExpectPunct('(');
  if (!status.ok()) return status;
  do {
    std::string name;
    status = ExpectIdentifier(&name);
    if (!status.ok()) return status;
    if (PeekPunct('(')) {
      status = SkipParens();  // a prefix length
      if (!status.ok()) return status;
    }
    if (!Accept("ASC")) Accept("DESC");
    key->push_back(std::move(name));
  } while (AcceptPunct(','));
  return ExpectPunct(')');
}

absl::Status Parser::Place(DdlColumnPlace* place) {
  if (Accept("FIRST")) {
    place->kind = DdlColumnPlace::kFirst;
  } else if (Accept("AFTER")) {
    place->kind = DdlColumnPlace::kAfter;
    return ExpectIdentifier(&place->after);
  }
  return absl::OkStatus();
}

absl::Status Parser::TableOptions(DdlStatement* statement) {
  while (!AtEnd()) {
    if (AcceptPunct(',')) continue;
    Accept("DEFAULT");
    if (PeekWord("CHARACTER") && PeekWord("SET", 1)) {
      i_ += 2;
      std::string charset;
      absl::Status status = Charset(&charset);
      if (!status.ok()) return status;
      statement->charset = std::move(charset);
    } else if (Accept("CHARSET")) {
      std::string charset;
      absl::Status status = Charset(&charset);
      if (!status.ok()) return status;
      statement->charset = std::move(charset);
    } else if (Accept("COLLATE")) {
      std::string charset;
      absl::Status status = Collation(&charset);
      if (!status.ok()) return status;
      if (!statement->charset.has_value()) statement->charset = std::move(charset);
    } else if (PeekWord("PARTITION")) {
      return absl::OkStatus();  // partitioning changes no column
    } else if (PeekWord("AS") || PeekWord("SELECT") || PeekWord("IGNORE") ||
               PeekWord("REPLACE") || PeekWord("WITH") || PeekPunct('(')) {
      return Error("a table option (CREATE TABLE ... SELECT and system versioning are not modelled)");
    } else {
      // ENGINE=InnoDB, COMMENT='x', AUTO_INCREMENT=5, ROW_FORMAT=DYNAMIC, DATA DIRECTORY='...':
      // nothing the structure holds.
      const SqlToken* name = Peek();
      if (name == nullptr || name->kind != SqlToken::kWord) return Error("a table option");
      ++i_;
      if (PeekWord("DIRECTORY")) ++i_;
      SkipEquals();
      if (PeekPunct('(')) {
        absl::Status status = SkipParens();  // UNION=(a,b)
        if (!status.ok()) return status;
      } else if (!AtEnd()) {
        if (Adjacent().empty()) ++i_;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Parser::Database(DdlStatement* statement) {
  statement->kind = DdlStatement::kDatabase;
  // ALTER DATABASE without a name is the current one's.
  const bool named = !PeekWord("DEFAULT") && !PeekWord("CHARACTER") && !PeekWord("CHARSET") &&
                     !PeekWord("COLLATE") && Identifier(&statement->table.db);
  if (!named) statement->table.db = std::string(current_db_);
  // Its options as a table's: only the charset matters.
  DdlStatement options;
  absl::Status status = TableOptions(&options);
  if (!status.ok()) return status;
  statement->charset = options.charset;
  return absl::OkStatus();
}

absl::Status Parser::CreateTable(DdlStatement* statement) {
  if (Accept("IF")) {
    absl::Status status = Expect("NOT");
    if (status.ok()) status = Expect("EXISTS");
    if (!status.ok()) return status;
    statement->if_not_exists = true;
  }
  absl::Status status = TableName(&statement->table);
  if (!status.ok()) return status;
  const bool parenthesised_like = PeekPunct('(') && PeekWord("LIKE", 1);
  if (Accept("LIKE") || parenthesised_like) {
    if (parenthesised_like) i_ += 2;
    statement->kind = DdlStatement::kCreateLike;
    status = TableName(&statement->like);
    if (status.ok() && parenthesised_like) status = ExpectPunct(')');
    return status;
  }
  statement->kind = DdlStatement::kCreateTable;
  status = ExpectPunct('(');
  if (!status.ok()) return status;
  do {
    const SqlToken* token = Peek();
    if (token == nullptr) return Error("a column or key");
    if (token->kind == SqlToken::kWord &&
        OneOf(token->text, {"CONSTRAINT", "PRIMARY", "UNIQUE", "INDEX", "KEY", "FULLTEXT",
                            "SPATIAL", "FOREIGN", "CHECK", "PERIOD", "VECTOR"})) {
      if (Accept("CONSTRAINT") && !PeekWord("PRIMARY") && !PeekWord("UNIQUE") &&
          !PeekWord("FOREIGN") && !PeekWord("CHECK")) {
        ++i_;  // the constraint's name
      }
      if (Accept("PRIMARY")) {
        status = Expect("KEY");
        if (!status.ok()) return status;
        if (Accept("USING")) ++i_;
        status = KeyColumns(&statement->primary_key);
        if (!status.ok()) return status;
      }
      SkipElement();
      continue;
    }
    DdlColumn column;
    status = ColumnDefinition(&column);
    if (!status.ok()) return status;
    statement->columns.push_back(std::move(column));
  } while (AcceptPunct(','));
  status = ExpectPunct(')');
  if (!status.ok()) return status;
  return TableOptions(statement);
}

absl::Status Parser::AlterSpec(DdlStatement* statement) {
  DdlAlterSpec spec;
  auto if_exists = [&](bool not_exists) {
    if (PeekWord("IF") && (not_exists ? PeekWord("NOT", 1) && PeekWord("EXISTS", 2)
                                      : PeekWord("EXISTS", 1))) {
      i_ += not_exists ? 3 : 2;
      spec.if_exists = true;
    }
  };
  absl::Status status;
  if (Accept("ADD")) {
    const bool column_word = Accept("COLUMN");
    if (!column_word && (Accept("CONSTRAINT") || PeekWord("PRIMARY"))) {
      if (!PeekWord("PRIMARY") && !PeekWord("UNIQUE") && !PeekWord("FOREIGN") &&
          !PeekWord("CHECK") && !PeekWord("IF")) {
        ++i_;  // the constraint's name
      }
      if (Accept("PRIMARY")) {
        status = Expect("KEY");
        if (!status.ok()) return status;
        if (Accept("USING")) ++i_;
        spec.kind = DdlAlterSpec::kAddPrimaryKey;
        status = KeyColumns(&spec.key);
        if (!status.ok()) return status;
        SkipElement();
        statement->specs.push_back(std::move(spec));
        return absl::OkStatus();
      }
      SkipElement();
      return absl::OkStatus();
    }
    if (!column_word) {
      if (PeekWord("SYSTEM") || PeekWord("PERIOD")) return Error("a column (system versioning is not modelled)");
      if (Peek() != nullptr && Peek()->kind == SqlToken::kWord &&
          OneOf(Peek()->text, {"INDEX", "KEY", "UNIQUE", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK",
                               "PARTITION", "VECTOR"})) {
        SkipElement();
        return absl::OkStatus();
      }
    }
    if_exists(/*not_exists=*/true);
    spec.kind = DdlAlterSpec::kAddColumn;
    if (AcceptPunct('(')) {
      do {
        DdlAlterSpec one = spec;
        status = ColumnDefinition(&one.column);
        if (!status.ok()) return status;
        statement->specs.push_back(std::move(one));
      } while (AcceptPunct(','));
      return ExpectPunct(')');
    }
    status = ColumnDefinition(&spec.column);
    if (status.ok()) status = Place(&spec.place);
  } else if (Accept("DROP")) {
    if (Accept("PRIMARY")) {
      status = Expect("KEY");
      spec.kind = DdlAlterSpec::kDropPrimaryKey;
    } else if (Peek() != nullptr && Peek()->kind == SqlToken::kWord &&
               OneOf(Peek()->text, {"INDEX", "KEY", "FOREIGN", "CHECK", "CONSTRAINT", "PARTITION"})) {
      SkipElement();
      return absl::OkStatus();
    } else if (PeekWord("SYSTEM") || PeekWord("PERIOD")) {
      return Error("a column (system versioning is not modelled)");
    } else {
      Accept("COLUMN");
      if_exists(/*not_exists=*/false);
      spec.kind = DdlAlterSpec::kDropColumn;
      status = ExpectIdentifier(&spec.name);
      if (status.ok() && !Accept("RESTRICT")) Accept("CASCADE");
    }
  } else if (Accept("MODIFY")) {
    Accept("COLUMN");
    if_exists(false);
    spec.kind = DdlAlterSpec::kModifyColumn;
    status = ColumnDefinition(&spec.column);
    if (status.ok()) status = Place(&spec.place);
  } else if (Accept("CHANGE")) {
    Accept("COLUMN");
    if_exists(false);
    spec.kind = DdlAlterSpec::kChangeColumn;
    status = ExpectIdentifier(&spec.name);
    if (status.ok()) status = ColumnDefinition(&spec.column);
    if (status.ok()) status = Place(&spec.place);
  } else if (Accept("RENAME")) {
    if (Accept("COLUMN")) {
      if_exists(false);
      spec.kind = DdlAlterSpec::kRenameColumn;
      status = ExpectIdentifier(&spec.name);
      if (status.ok()) status = Expect("TO");
      if (status.ok()) status = ExpectIdentifier(&spec.new_name);
    } else if (PeekWord("INDEX") || PeekWord("KEY")) {
      SkipElement();
      return absl::OkStatus();
    } else {
      if (!Accept("TO")) Accept("AS");
      spec.kind = DdlAlterSpec::kRenameTable;
      status = TableName(&spec.to);
    }
  } else if (Accept("ALTER")) {
    if (PeekWord("INDEX") || PeekWord("CHECK") || PeekWord("CONSTRAINT")) {
      SkipElement();
      return absl::OkStatus();
    }
    Accept("COLUMN");
    if_exists(false);
    status = ExpectIdentifier(&spec.name);
    if (!status.ok()) return status;
    if (Accept("SET")) {
      if (Accept("VISIBLE") || Accept("INVISIBLE")) return absl::OkStatus();
      status = Expect("DEFAULT");
      if (!status.ok()) return status;
      spec.kind = DdlAlterSpec::kSetDefault;
      absl::StatusOr<std::optional<std::string>> value = DefaultValue();
      if (!value.ok()) return value.status();
      spec.default_value = *std::move(value);
    } else if (Accept("DROP")) {
      status = Expect("DEFAULT");
      spec.kind = DdlAlterSpec::kDropDefault;
    } else {
      return Error("SET DEFAULT or DROP DEFAULT");
    }
  } else if (Accept("CONVERT")) {
    status = Expect("TO");
    if (status.ok() && !Accept("CHARSET")) {
      status = Expect("CHARACTER");
      if (status.ok()) status = Expect("SET");
    }
    spec.kind = DdlAlterSpec::kConvertCharset;
    if (status.ok()) status = Charset(&spec.charset);
    if (status.ok() && Accept("COLLATE")) {
      std::string ignored;
      status = Collation(&ignored);
    }
  } else if ((PeekWord("DEFAULT") && (PeekWord("CHARSET", 1) || PeekWord("CHARACTER", 1) ||
                                      PeekWord("COLLATE", 1))) ||
             PeekWord("CHARSET") || (PeekWord("CHARACTER") && PeekWord("SET", 1)) ||
             PeekWord("COLLATE")) {
    // [DEFAULT] CHARACTER SET [=] x [[DEFAULT] COLLATE [=] y], in either order.
    std::optional<std::string> charset;
    while (status.ok()) {
      Accept("DEFAULT");
      std::string name;
      if (PeekWord("CHARACTER") && PeekWord("SET", 1)) {
        i_ += 2;
        status = Charset(&name);
        charset = name;
      } else if (Accept("CHARSET")) {
        status = Charset(&name);
        charset = name;
      } else if (Accept("COLLATE")) {
        status = Collation(&name);
        if (!charset.has_value()) charset = name;
      } else {
        break;
      }
    }
    if (!status.ok()) return status;
    if (!charset.has_value()) return Error("a character set");
    spec.kind = DdlAlterSpec::kTableCharset;
    spec.charset = *charset;
  } else {
    const SqlToken* token = Peek();
    if (token != nullptr && token->kind == SqlToken::kWord &&
        OneOf(token->text,
              {"ALGORITHM", "LOCK", "FORCE", "ENGINE", "AUTO_INCREMENT", "COMMENT", "ROW_FORMAT",
               "KEY_BLOCK_SIZE", "AVG_ROW_LENGTH", "MAX_ROWS", "MIN_ROWS", "PACK_KEYS", "CHECKSUM",
               "STATS_PERSISTENT", "STATS_AUTO_RECALC", "STATS_SAMPLE_PAGES", "PAGE_COMPRESSED",
               "PAGE_COMPRESSION_LEVEL", "ENCRYPTED", "ENCRYPTION", "ENCRYPTION_KEY_ID",
               "TRANSACTIONAL", "DELAY_KEY_WRITE", "INSERT_METHOD", "TABLESPACE", "ORDER", "ENABLE",
               "DISABLE", "DISCARD", "IMPORT", "PARTITION", "COALESCE", "REORGANIZE", "EXCHANGE",
               "ANALYZE", "CHECK", "OPTIMIZE", "REBUILD", "REPAIR", "REMOVE", "TRUNCATE", "UPGRADE",
               "WITH", "WITHOUT", "SECONDARY_ENGINE", "SECONDARY_ENGINE_ATTRIBUTE",
               "ENGINE_ATTRIBUTE", "AUTOEXTEND_SIZE", "COMPRESSION", "CONNECTION", "PASSWORD",
               "DATA", "INDEX", "UNION", "START", "SEQUENCE"})) {
      // Options and operations that change no column (ORDER BY, partitions, keys, the engine).
      if (PeekWord("WITH") && PeekWord("SYSTEM", 1)) return Error("an ALTER TABLE operation (system versioning is not modelled)");
      SkipElement();
      return absl::OkStatus();
    }
    return Error("an ALTER TABLE operation");
  }
  if (!status.ok()) return status;
  statement->specs.push_back(std::move(spec));
  return absl::OkStatus();
}

absl::Status Parser::AlterTable(DdlStatement* statement) {
  statement->kind = DdlStatement::kAlterTable;
  if (Accept("IF")) {
    absl::Status status = Expect("EXISTS");
    if (!status.ok()) return status;
    statement->if_exists = true;
  }
  absl::Status status = TableName(&statement->table);
  if (!status.ok()) return status;
  if (Accept("WAIT")) ++i_;  // MariaDB: ALTER TABLE t WAIT n ...
  Accept("NOWAIT");
  if (AtEnd()) return absl::OkStatus();
  do {
    status = AlterSpec(statement);
    if (!status.ok()) return status;
  } while (AcceptPunct(','));
  if (!AtEnd()) return Error(", or the end of the statement");
  return absl::OkStatus();
}

absl::StatusOr<DdlStatement> Parser::Statement() {
  DdlStatement statement;
  absl::Status status;
  if (Accept("CREATE")) {
    if (Accept("OR")) {
      status = Expect("REPLACE");
      if (!status.ok()) return status;
      statement.or_replace = true;
    }
    if (Accept("DATABASE") || Accept("SCHEMA")) {
      if (PeekWord("IF")) i_ += 3;  // IF NOT EXISTS
      status = Database(&statement);
    } else {
      if (Accept("TEMPORARY") || !Accept("TABLE")) return DdlStatement();
      status = CreateTable(&statement);
    }
  } else if (Accept("ALTER")) {
    if (Accept("DATABASE") || Accept("SCHEMA")) {
      status = Database(&statement);
      if (!status.ok()) return status;
      return statement;
    }
    for (const char* option : {"ONLINE", "OFFLINE", "IGNORE"}) Accept(option);
    if (!Accept("TABLE")) return DdlStatement();
    status = AlterTable(&statement);
  } else if (Accept("RENAME")) {
    if (!Accept("TABLE") && !Accept("TABLES")) return DdlStatement();
    statement.kind = DdlStatement::kRenameTables;
    do {
      std::pair<DdlTableRef, DdlTableRef> rename;
      if (Accept("IF")) status = Expect("EXISTS");  // MariaDB 10.5+
      if (status.ok()) status = TableName(&rename.first);
      if (status.ok() && Accept("WAIT")) ++i_;
      if (status.ok()) Accept("NOWAIT");
      if (status.ok()) status = Expect("TO");
      if (status.ok()) status = TableName(&rename.second);
      if (!status.ok()) return status;
      statement.renames.push_back(std::move(rename));
    } while (AcceptPunct(','));
  } else if (Accept("DROP")) {
    if (Accept("TEMPORARY") || (!Accept("TABLE") && !Accept("TABLES"))) return DdlStatement();
    statement.kind = DdlStatement::kDropTables;
    if (Accept("IF")) {
      status = Expect("EXISTS");
      statement.if_exists = true;
    }
    do {
      DdlTableRef table;
      if (status.ok()) status = TableName(&table);
      if (!status.ok()) return status;
      statement.drops.push_back(std::move(table));
    } while (AcceptPunct(','));
  } else if (Accept("TRUNCATE")) {
    Accept("TABLE");
    statement.kind = DdlStatement::kTruncate;
    status = TableName(&statement.table);
  } else {
    return DdlStatement();
  }
  if (!status.ok()) return status;
  return statement;
}

}  // namespace

std::string CanonicalCharset(absl::string_view charset) {
  std::string name = absl::AsciiStrToLower(charset);
  if (name == "utf8") return "utf8mb3";
  return name;
}

std::string CharsetOfCollation(absl::string_view collation) {
  const std::string name = absl::AsciiStrToLower(collation);
  if (name == "binary") return name;
  if (absl::StartsWith(name, "utf8_")) return "utf8mb3";
  // MariaDB 10.10+'s uca1400_* collations name no charset: utf8mb4 is the one they come with.
  if (absl::StartsWith(name, "uca1400_")) return "utf8mb4";
  return CanonicalCharset(name.substr(0, name.find('_')));
}

absl::StatusOr<DdlStatement> ParseDdl(absl::string_view sql, absl::string_view current_db,
                                      bool mariadb) {
  return Parser(sql, current_db, mariadb).Statement();
}

}  // namespace sluice::mysql
