#include "connectors/mysql/connector/table_structure.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/snapshot.h"

namespace sluice::mysql {
namespace {

// ---- a statement's tokens -----------------------------------------------------------------

struct Token {
  enum Kind { kWord, kQuoted, kString, kPunct };
  Kind kind = kWord;
  std::string text;  // identifiers unquoted; words as written
  size_t begin = 0;  // offset in the statement
};

// Splits a statement into words, `identifiers`, 'strings' and punctuation, skipping blanks and
// comments (/* */, -- and #). Enough to find table names; nothing is parsed beyond that.
std::vector<Token> Tokenize(absl::string_view sql) {
  std::vector<Token> tokens;
  size_t i = 0;
  const size_t n = sql.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(sql[i]);
    if (absl::ascii_isspace(c)) {
      ++i;
    } else if (sql.substr(i, 2) == "/*") {
      const size_t close = sql.find("*/", i + 2);
      i = close == absl::string_view::npos ? n : close + 2;
    } else if (c == '#' || (sql.substr(i, 2) == "--" &&
                            (i + 2 >= n || absl::ascii_isspace(static_cast<unsigned char>(sql[i + 2]))))) {
      const size_t eol = sql.find('\n', i);
      i = eol == absl::string_view::npos ? n : eol + 1;
    } else if (c == '`' || c == '\'' || c == '"') {
      Token token;
      token.kind = c == '`' ? Token::kQuoted : Token::kString;
      token.begin = i++;
      while (i < n) {
        if (sql[i] == '\\' && c != '`' && i + 1 < n) {
          token.text.push_back(sql[i + 1]);
          i += 2;
        } else if (sql[i] == static_cast<char>(c)) {
          if (i + 1 < n && sql[i + 1] == static_cast<char>(c)) {
            token.text.push_back(sql[i]);
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          token.text.push_back(sql[i++]);
        }
      }
      tokens.push_back(std::move(token));
    } else if (absl::ascii_isalnum(c) || c == '_' || c == '$' || c >= 0x80) {
      Token token;
      token.begin = i;
      while (i < n && (absl::ascii_isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_' ||
                       sql[i] == '$' || static_cast<unsigned char>(sql[i]) >= 0x80)) {
        token.text.push_back(sql[i++]);
      }
      tokens.push_back(std::move(token));
    } else {
      Token token;
      token.kind = Token::kPunct;
      token.begin = i;
      token.text = std::string(1, sql[i++]);
      tokens.push_back(std::move(token));
    }
  }
  return tokens;
}

class Scanner {
 public:
  Scanner(absl::string_view sql, absl::string_view current_db)
      : sql_(sql), current_db_(current_db), tokens_(Tokenize(sql)) {}

  bool AtEnd() const { return i_ >= tokens_.size(); }
  size_t index() const { return i_; }
  size_t Offset() const { return AtEnd() ? sql_.size() : tokens_[i_].begin; }
  // Consumes the next token when it is the (unquoted, case-insensitive) keyword.
  bool Accept(absl::string_view word) {
    if (AtEnd() || tokens_[i_].kind != Token::kWord ||
        !absl::EqualsIgnoreCase(tokens_[i_].text, word)) {
      return false;
    }
    ++i_;
    return true;
  }
  bool AcceptPunct(char c) {
    if (AtEnd() || tokens_[i_].kind != Token::kPunct || tokens_[i_].text[0] != c) return false;
    ++i_;
    return true;
  }
  // [db.]table; false (nothing consumed) when the next token is no name.
  bool Name(std::string* db, std::string* table) {
    if (AtEnd() || (tokens_[i_].kind != Token::kWord && tokens_[i_].kind != Token::kQuoted)) {
      return false;
    }
    std::string first = tokens_[i_++].text;
    if (i_ + 1 < tokens_.size() && tokens_[i_].kind == Token::kPunct && tokens_[i_].text == "." &&
        (tokens_[i_ + 1].kind == Token::kWord || tokens_[i_ + 1].kind == Token::kQuoted)) {
      *db = std::move(first);
      *table = tokens_[i_ + 1].text;
      i_ += 2;
    } else {
      *db = std::string(current_db_);
      *table = std::move(first);
    }
    return !db->empty() && !table->empty();
  }
  // Advances to the next keyword `word` outside parentheses; false when there is none.
  bool SkipTo(absl::string_view word) {
    int depth = 0;
    for (; i_ < tokens_.size(); ++i_) {
      const Token& token = tokens_[i_];
      if (token.kind == Token::kPunct) {
        if (token.text == "(") ++depth;
        if (token.text == ")") --depth;
      } else if (depth == 0 && token.kind == Token::kWord &&
                 absl::EqualsIgnoreCase(token.text, word)) {
        return true;
      }
    }
    return false;
  }
  void Skip() { ++i_; }

 private:
  absl::string_view sql_, current_db_;
  std::vector<Token> tokens_;
  size_t i_ = 0;
};

std::string QuotedName(const std::string& db, const std::string& table) {
  return absl::StrCat(QuoteIdentifier(db), ".", QuoteIdentifier(table));
}

// ---- column mapping -----------------------------------------------------------------------

// java.sql.Types, as Debezium's MySQL DDL parser assigns them to the server's type names.
int32_t JdbcType(absl::string_view data_type) {
  struct Entry {
    const char* name;
    int32_t type;
  };
  static constexpr Entry kTypes[] = {
      {"tinyint", 5},      {"smallint", 5},    {"mediumint", 4},   {"int", 4},
      {"integer", 4},      {"bigint", -5},     {"float", 6},       {"double", 8},
      {"real", 8},         {"decimal", 3},     {"numeric", 2},     {"bit", -7},
      {"bool", 16},        {"boolean", 16},    {"date", 91},       {"time", 92},
      {"datetime", 93},    {"timestamp", 2014}, {"year", 4},        {"char", 1},
      {"varchar", 12},     {"tinytext", 12},   {"text", 12},       {"mediumtext", 12},
      {"longtext", 12},    {"binary", -2},     {"varbinary", -3},  {"tinyblob", 2004},
      {"blob", 2004},      {"mediumblob", 2004}, {"longblob", 2004}, {"enum", 1},
      {"set", 1},
  };
  for (const Entry& entry : kTypes) {
    if (data_type == entry.name) return entry.type;
  }
  return 1111;  // OTHER: JSON, the geometry family, and types Debezium does not know
}

// The numbers in "(a)" / "(a,b)" right after the type name of COLUMN_TYPE.
void Dimensions(absl::string_view column_type, std::optional<int32_t>* length,
                std::optional<int32_t>* scale) {
  const size_t open = column_type.find('(');
  if (open == absl::string_view::npos) return;
  const size_t close = column_type.find(')', open);
  if (close == absl::string_view::npos) return;
  absl::string_view inside = column_type.substr(open + 1, close - open - 1);
  const size_t comma = inside.find(',');
  int32_t value = 0;
  if (absl::SimpleAtoi(inside.substr(0, comma), &value)) *length = value;
  if (comma != absl::string_view::npos && absl::SimpleAtoi(inside.substr(comma + 1), &value)) {
    *scale = value;
  }
}

// The members of "enum('a','it''s')", each kept quoted as written: 'a', 'it''s'.
std::vector<std::string> Members(absl::string_view column_type) {
  std::vector<std::string> members;
  size_t i = column_type.find('(');
  if (i == absl::string_view::npos) return members;
  ++i;
  while (i < column_type.size() && column_type[i] == '\'') {
    size_t j = i + 1;
    while (j < column_type.size()) {
      if (column_type[j] == '\'' && j + 1 < column_type.size() && column_type[j + 1] == '\'') {
        j += 2;
      } else if (column_type[j] == '\\' && j + 1 < column_type.size()) {
        j += 2;
      } else if (column_type[j] == '\'') {
        break;
      } else {
        ++j;
      }
    }
    members.emplace_back(column_type.substr(i, j + 1 - i));
    i = j + 1;
    if (i < column_type.size() && column_type[i] == ',') ++i;
  }
  return members;
}

bool IsCurrentTimestamp(absl::string_view expression) {
  const std::string lower = absl::AsciiStrToLower(expression);
  return absl::StartsWith(lower, "current_timestamp") || absl::StartsWith(lower, "now(") ||
         absl::StartsWith(lower, "localtimestamp") || absl::StartsWith(lower, "localtime");
}

}  // namespace

const char* TableChangeTypeName(TableChangeType type) {
  switch (type) {
    case TableChangeType::kCreate:
      return "CREATE";
    case TableChangeType::kAlter:
      return "ALTER";
    case TableChangeType::kDrop:
      return "DROP";
  }
  return "ALTER";
}

std::vector<DdlTarget> DdlTargets(absl::string_view sql, absl::string_view current_db) {
  std::vector<DdlTarget> targets;
  Scanner scan(sql, current_db);
  DdlTarget target;
  if (scan.Accept("CREATE")) {
    if (scan.Accept("OR")) scan.Accept("REPLACE");
    if (scan.Accept("TEMPORARY")) return targets;
    if (scan.Accept("TABLE")) {
      if (scan.Accept("IF")) {
        scan.Accept("NOT");
        scan.Accept("EXISTS");
      }
      target.kind = DdlTarget::kCreate;
      if (scan.Name(&target.db, &target.table)) targets.push_back(std::move(target));
      return targets;
    }
    // CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX ... ON table: the table is altered.
    for (const char* kind : {"UNIQUE", "FULLTEXT", "SPATIAL"}) scan.Accept(kind);
    if (scan.Accept("INDEX") && scan.SkipTo("ON")) {
      scan.Skip();
      if (scan.Name(&target.db, &target.table)) targets.push_back(std::move(target));
    }
    return targets;
  }
  if (scan.Accept("ALTER")) {
    for (const char* option : {"ONLINE", "OFFLINE", "IGNORE"}) scan.Accept(option);
    if (!scan.Accept("TABLE")) return targets;
    if (scan.Accept("IF")) scan.Accept("EXISTS");
    if (!scan.Name(&target.db, &target.table)) return targets;
    // ALTER TABLE t ... RENAME [TO|AS] u: the table is `u` afterwards.
    while (scan.SkipTo("RENAME")) {
      scan.Skip();
      if (scan.Accept("COLUMN") || scan.Accept("INDEX") || scan.Accept("KEY")) continue;
      if (!scan.Accept("TO")) scan.Accept("AS");
      std::string db, table;
      if (scan.Name(&db, &table)) {
        target.db = std::move(db);
        target.table = std::move(table);
      }
    }
    targets.push_back(std::move(target));
    return targets;
  }
  if (scan.Accept("RENAME")) {
    if (!scan.Accept("TABLE") && !scan.Accept("TABLES")) return targets;
    do {
      std::string old_db, old_table;
      if (!scan.Name(&old_db, &old_table) || !scan.Accept("TO")) break;
      DdlTarget renamed;
      if (!scan.Name(&renamed.db, &renamed.table)) break;
      targets.push_back(std::move(renamed));
    } while (scan.AcceptPunct(','));
    return targets;
  }
  if (scan.Accept("DROP")) {
    if (scan.Accept("INDEX")) {
      if (scan.SkipTo("ON")) {
        scan.Skip();
        if (scan.Name(&target.db, &target.table)) targets.push_back(std::move(target));
      }
      return targets;
    }
    if (scan.Accept("TEMPORARY")) return targets;
    if (!scan.Accept("TABLE") && !scan.Accept("TABLES")) return targets;
    if (scan.Accept("IF")) scan.Accept("EXISTS");
    // As Debezium writes them: one statement per table, the original head, the qualified name.
    absl::string_view head = sql.substr(0, scan.Offset());
    head.remove_prefix(std::min(head.size(), head.find_first_not_of(" \t\r\n")));
    do {
      DdlTarget dropped;
      dropped.kind = DdlTarget::kDrop;
      if (!scan.Name(&dropped.db, &dropped.table)) break;
      targets.push_back(std::move(dropped));
    } while (scan.AcceptPunct(','));
    std::string tail;
    if (scan.Accept("RESTRICT")) tail = " RESTRICT";
    if (scan.Accept("CASCADE")) tail = " CASCADE";
    for (DdlTarget& dropped : targets) {
      dropped.ddl = absl::StrCat(head, QuotedName(dropped.db, dropped.table), tail);
    }
    return targets;
  }
  if (scan.Accept("TRUNCATE")) {
    scan.Accept("TABLE");
    target.kind = DdlTarget::kTruncate;
    if (scan.Name(&target.db, &target.table)) targets.push_back(std::move(target));
    return targets;
  }
  return targets;
}

bool StatementNamesTable(absl::string_view sql, absl::string_view table) {
  for (const Token& token : Tokenize(sql)) {
    if ((token.kind == Token::kWord || token.kind == Token::kQuoted) &&
        absl::EqualsIgnoreCase(token.text, table)) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<LaterStatement> FindLaterStatement(Connection& connection, const std::string& file,
                                                  uint64_t next_pos, const std::string& table,
                                                  int64_t budget) {
  absl::StatusOr<QueryResult> logs = connection.Query("SHOW BINARY LOGS");
  if (!logs.ok()) return logs.status();
  size_t first = logs->rows.size();
  for (size_t i = 0; i < logs->rows.size(); ++i) {
    if (logs->rows[i][0].value_or("") == file) first = i;
  }
  if (first == logs->rows.size()) return LaterStatement::kUnknown;  // purged or renamed
  for (size_t i = first; i < logs->rows.size(); ++i) {
    if (budget <= 0) return LaterStatement::kUnknown;
    const std::string name = logs->rows[i][0].value_or("");
    absl::StatusOr<QueryResult> events = connection.Query(
        absl::StrCat("SHOW BINLOG EVENTS IN ", SqlString(name),
                     i == first ? absl::StrCat(" FROM ", next_pos) : std::string(), " LIMIT ",
                     budget));
    if (!events.ok()) return events.status();
    const int type = events->ColumnIndex("Event_type");
    const int info = events->ColumnIndex("Info");
    if (type < 0 || info < 0) return LaterStatement::kUnknown;
    for (const auto& row : events->rows) {
      if (row[type].value_or("") != "Query") continue;
      if (!row[info].has_value()) continue;
      absl::string_view sql = *row[info];
      // "use `db`; ALTER TABLE ...": the statement after the session's database.
      if (absl::StartsWithIgnoreCase(sql, "use ")) {
        const size_t end = sql.find("; ");
        if (end != absl::string_view::npos) sql.remove_prefix(end + 2);
      }
      if (StatementNamesTable(sql, table)) return LaterStatement::kNamesTable;
    }
    budget -= static_cast<int64_t>(events->rows.size());
  }
  return budget > 0 ? LaterStatement::kNone : LaterStatement::kUnknown;
}

std::optional<std::string> DefaultValueExpression(const std::optional<std::string>& column_default,
                                                  absl::string_view extra, bool mariadb) {
  if (!column_default.has_value()) return std::nullopt;
  const std::string& text = *column_default;
  if (mariadb) {
    if (text == "NULL") return std::nullopt;
    if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
      std::string value;
      for (size_t i = 1; i + 1 < text.size(); ++i) {
        if ((text[i] == '\'' || text[i] == '\\') && i + 2 < text.size()) ++i;
        value.push_back(text[i]);
      }
      return value;
    }
  } else if (!absl::StrContains(absl::AsciiStrToUpper(extra), "DEFAULT_GENERATED")) {
    return text;  // MySQL shows a literal default as its bare value
  }
  if (IsCurrentTimestamp(text)) return std::string("1970-01-01 00:00:00");
  return text;
}

ColumnStructure DescribeColumn(const InfoSchemaColumnRow& row, bool mariadb) {
  ColumnStructure column;
  column.name = row.name;
  column.position = row.position;
  column.optional = row.nullable;
  column.charset = row.charset;
  const std::string data_type = absl::AsciiStrToLower(row.data_type);
  const std::string column_type = absl::AsciiStrToLower(row.column_type);
  column.jdbc_type = JdbcType(data_type);
  column.type_name = absl::AsciiStrToUpper(data_type);
  if (absl::StrContains(column_type, " unsigned")) absl::StrAppend(&column.type_name, " UNSIGNED");
  if (absl::StrContains(column_type, " zerofill")) absl::StrAppend(&column.type_name, " ZEROFILL");
  if (data_type == "enum" || data_type == "set") {
    column.enum_values = Members(row.column_type);
    // Debezium's lengths: 1 for an ENUM, members plus separators for a SET.
    column.length = data_type == "enum"
                        ? 1
                        : std::max<int32_t>(0, static_cast<int32_t>(column.enum_values.size()) * 2 - 1);
  } else {
    Dimensions(column_type, &column.length, &column.scale);
  }
  column.auto_incremented = absl::StrContains(absl::AsciiStrToLower(row.extra), "auto_increment");
  column.default_value = DefaultValueExpression(row.column_default, row.extra, mariadb);
  return column;
}

absl::StatusOr<std::optional<TableStructure>> ReadTableStructure(Connection& connection,
                                                                 const std::string& db,
                                                                 const std::string& table) {
  const std::string where =
      absl::StrCat(" WHERE TABLE_SCHEMA = ", SqlString(db), " AND TABLE_NAME = ", SqlString(table));
  absl::StatusOr<QueryResult> columns = connection.Query(absl::StrCat(
      "SELECT COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, COLUMN_TYPE, "
      "CHARACTER_SET_NAME, EXTRA FROM information_schema.COLUMNS",
      where, " ORDER BY ORDINAL_POSITION"));
  if (!columns.ok()) return columns.status();
  if (columns->rows.empty()) return std::nullopt;
  TableStructure structure;
  const bool mariadb = connection.is_mariadb();
  for (const auto& row : columns->rows) {
    InfoSchemaColumnRow info;
    info.name = row[0].value_or("");
    (void)absl::SimpleAtoi(row[1].value_or("0"), &info.position);
    info.column_default = row[2];
    info.nullable = row[3].value_or("YES") == "YES";
    info.data_type = row[4].value_or("");
    info.column_type = row[5].value_or("");
    info.charset = row[6];
    info.extra = row[7].value_or("");
    structure.columns.push_back(DescribeColumn(info, mariadb));
  }
  absl::StatusOr<QueryResult> charset = connection.Query(absl::StrCat(
      "SELECT c.CHARACTER_SET_NAME FROM information_schema.TABLES t JOIN "
      "information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION WHERE "
      "t.TABLE_SCHEMA = ",
      SqlString(db), " AND t.TABLE_NAME = ", SqlString(table)));
  if (!charset.ok()) return charset.status();
  if (!charset->rows.empty()) structure.default_charset = charset->rows[0][0];
  absl::StatusOr<QueryResult> keys =
      connection.Query(absl::StrCat("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE",
                                    where, " AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION"));
  if (!keys.ok()) return keys.status();
  for (const auto& row : keys->rows) structure.primary_key.push_back(row[0].value_or(""));
  return structure;
}

}  // namespace sluice::mysql
