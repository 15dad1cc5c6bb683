// The one SQL scanner: leading keywords, tokens across comments and quotes, the tables DDL
// statements name (ddl_targets.h), and the column a MariaDB JSON check names (catalog.h).
#include "connectors/mysql/connector/sql_scanner.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/catalog.h"
#include "connectors/mysql/connector/ddl_targets.h"
#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

TEST(SqlScanner, TheLeadingKeywordSkipsCommentsAndIgnoresCase) {
  EXPECT_EQ(LeadingKeyword("BEGIN"), "BEGIN");
  EXPECT_EQ(LeadingKeyword("  /* app: 7 */ truncate table t"), "TRUNCATE");
  EXPECT_EQ(LeadingKeyword("-- note\n# more\nCommit"), "COMMIT");
  EXPECT_EQ(LeadingKeyword("XA START 'x'"), "XA");
  EXPECT_EQ(LeadingKeyword("(SELECT 1)"), "") << "not a word";
  EXPECT_EQ(LeadingKeyword("/* only a comment */"), "");
  EXPECT_EQ(LeadingKeyword(""), "");
}

TEST(SqlScanner, XaStatementsGiveTheirVerbAndXid) {
  const XaStatement start = ParseXaStatement("XA START X'6131',X'',1");  // as the binlog has it
  EXPECT_EQ(start.verb, "START");
  EXPECT_EQ(start.xid, "X'6131',X'',1");
  EXPECT_TRUE(start.starts());
  EXPECT_TRUE(ParseXaStatement("xa begin 'x'").starts());
  EXPECT_TRUE(ParseXaStatement("/* app */ XA START 'x'").starts());
  const XaStatement rollback = ParseXaStatement("XA ROLLBACK X'6331',X'',1 ");
  EXPECT_EQ(rollback.verb, "ROLLBACK");
  EXPECT_EQ(rollback.xid, "X'6331',X'',1");
  EXPECT_FALSE(rollback.starts());
  EXPECT_EQ(ParseXaStatement("XA END X'6131',X'',1").verb, "END");
  EXPECT_EQ(ParseXaStatement("XA COMMIT X'6131',X'',1").verb, "COMMIT");
  EXPECT_EQ(ParseXaStatement("START TRANSACTION").verb, "");
  EXPECT_EQ(ParseXaStatement("XA").verb, "");
  EXPECT_EQ(ParseXaStatement("`XA` START").verb, "");
}

TEST(SqlScanner, QuotedTokensAreUnescaped) {
  const std::vector<SqlToken> tokens =
      Tokenize("ALTER TABLE `a``b`.t COMMENT 'it''s \\'x\\'' -- gone\n, x");
  std::vector<std::string> texts;
  for (const SqlToken& token : tokens) texts.push_back(token.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"ALTER", "TABLE", "a`b", ".", "t", "COMMENT",
                                             "it's 'x'", ",", "x"}));
  EXPECT_EQ(tokens[2].kind, SqlToken::kQuoted);
  EXPECT_EQ(tokens[6].kind, SqlToken::kString);
  EXPECT_EQ(tokens[3].kind, SqlToken::kPunct);
  EXPECT_EQ(tokens[2].begin, 12u);
}

TEST(SqlScanner, AStatementNamesATableAsAWordOrAQuotedIdentifier) {
  EXPECT_TRUE(StatementNamesTable("ALTER TABLE shop.Orders ADD c INT", "orders"));
  EXPECT_TRUE(StatementNamesTable("DROP TABLE `orders`", "orders"));
  EXPECT_FALSE(StatementNamesTable("ALTER TABLE shop.orders_2 COMMENT 'orders'", "orders"))
      << "a string is not a name";
}

TEST(SqlScanner, EnumMembersAreUnescapedAsTheServerEscapesThem) {
  // COLUMN_TYPE as MariaDB 10.11 shows ENUM('a''b','c,d','e\\f','g\\''h') (members a'b, c,d,
  // e\f and g\'h): a quote doubled, a backslash escaped.
  EXPECT_EQ(EnumMembers(R"(enum('a''b','c,d','e\\f','g\\''h'))"),
            (std::vector<std::string>{"a'b", "c,d", R"(e\f)", R"(g\'h)"}));
  EXPECT_EQ(EnumMembers("set('x','y')"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(EnumMembers(R"(enum('line\nbreak','nul\0'))"),
            (std::vector<std::string>{"line\nbreak", std::string("nul\0", 4)}));
  EXPECT_TRUE(EnumMembers("int(11)").empty());
  EXPECT_TRUE(EnumMembers("enum").empty());
}

TEST(SqlScanner, AMariaDbJsonCheckNamesItsColumn) {
  EXPECT_EQ(JsonValidColumn("json_valid(`doc`)"), "doc");
  EXPECT_EQ(JsonValidColumn("json_valid(`we``ird`)"), "we`ird");
  EXPECT_EQ(JsonValidColumn("json_valid(doc)"), "doc");
  EXPECT_EQ(JsonValidColumn("`n` > 0"), std::nullopt);
  EXPECT_EQ(JsonValidColumn("json_valid(`a`, `b`)"), std::nullopt);
}

std::string Describe(const std::vector<DdlTarget>& targets) {
  std::string out;
  for (const DdlTarget& target : targets) {
    const char* kinds[] = {"create", "alter", "drop", "truncate"};
    out += std::string(kinds[target.kind]) + " " + target.db + "." + target.table;
    if (!target.ddl.empty()) out += " [" + target.ddl + "]";
    out += ";";
  }
  return out;
}

TEST(DdlTargets, NameTheTablesAStatementCreatesAltersOrDrops) {
  EXPECT_EQ(Describe(DdlTargets("CREATE TABLE t (id INT PRIMARY KEY)", "shop")),
            "create shop.t;");
  EXPECT_EQ(Describe(DdlTargets("create table if not exists `other`.`my t` (a int)", "shop")),
            "create other.my t;");
  EXPECT_EQ(Describe(DdlTargets("CREATE OR REPLACE TABLE t2 LIKE t", "shop")), "create shop.t2;");
  EXPECT_EQ(Describe(DdlTargets("/* hint */ ALTER TABLE t ADD COLUMN b VARCHAR(10)", "shop")),
            "alter shop.t;");
  EXPECT_EQ(Describe(DdlTargets("ALTER TABLE t RENAME COLUMN a TO b", "shop")), "alter shop.t;");
  EXPECT_EQ(Describe(DdlTargets("ALTER TABLE t ADD c INT, RENAME TO x.u", "shop")),
            "alter x.u;");
  EXPECT_EQ(Describe(DdlTargets("RENAME TABLE a TO b, x.c TO d", "shop")),
            "alter shop.b;alter shop.d;");
  EXPECT_EQ(Describe(DdlTargets("CREATE UNIQUE INDEX i ON t (a, b)", "shop")), "alter shop.t;");
  EXPECT_EQ(Describe(DdlTargets("DROP INDEX i ON `t`", "shop")), "alter shop.t;");
  EXPECT_EQ(Describe(DdlTargets("TRUNCATE TABLE shop.renamed_key", "")),
            "truncate shop.renamed_key;");
  EXPECT_EQ(Describe(DdlTargets("TRUNCATE t", "shop")), "truncate shop.t;");
}

TEST(DdlTargets, DropsBecomeOneStatementPerTableAsDebeziumWritesThem) {
  // MariaDB logs a DROP TABLE with a comment; Debezium writes the head and the qualified name.
  EXPECT_EQ(Describe(DdlTargets("DROP TABLE `shop`.`ddl_demo` /* generated by server */", "shop")),
            "drop shop.ddl_demo [DROP TABLE `shop`.`ddl_demo`];");
  EXPECT_EQ(Describe(DdlTargets("DROP TABLE IF EXISTS a, `x`.b CASCADE", "shop")),
            "drop shop.a [DROP TABLE IF EXISTS `shop`.`a` CASCADE];"
            "drop x.b [DROP TABLE IF EXISTS `x`.`b` CASCADE];");
}

TEST(DdlTargets, OtherStatementsNameNoTable) {
  EXPECT_TRUE(DdlTargets("CREATE DATABASE x", "").empty());
  EXPECT_TRUE(DdlTargets("DROP DATABASE x", "").empty());
  EXPECT_TRUE(DdlTargets("CREATE TEMPORARY TABLE t (a INT)", "shop").empty());
  EXPECT_TRUE(DdlTargets("DROP TEMPORARY TABLE IF EXISTS t", "shop").empty());
  EXPECT_TRUE(DdlTargets("CREATE VIEW v AS SELECT 1", "shop").empty());
  EXPECT_TRUE(DdlTargets("GRANT SELECT ON *.* TO x", "shop").empty());
  EXPECT_TRUE(DdlTargets("CREATE TABLE t (a INT)", "").empty()) << "no database: unattributed";
}

std::string Tables(const DmlStatement& dml) {
  std::string out = dml.dml ? (dml.known ? "dml" : "dml?") : "no";
  for (const auto& [db, table] : dml.tables) absl::StrAppend(&out, " ", db, ".", table);
  return out;
}

TEST(DmlTables, NameTheTablesAStatementBasedChangeMayWrite) {
  EXPECT_EQ(Tables(DmlTables("INSERT INTO t VALUES (1)", "shop")), "dml shop.t");
  EXPECT_EQ(Tables(DmlTables("insert low_priority ignore `x`.`my t` SET a = 1", "shop")),
            "dml x.my t");
  // pt-table-checksum's statements write its own table while reading the captured one.
  EXPECT_EQ(Tables(DmlTables("REPLACE INTO `percona`.`checksums` (db, tbl) SELECT 'shop', "
                             "'orders' FROM `shop`.`orders` WHERE id > 5",
                             "shop")),
            "dml percona.checksums");
  EXPECT_EQ(Tables(DmlTables("UPDATE t SET a = (SELECT max(b) FROM shop.other) WHERE id = 1",
                             "shop")),
            "dml shop.t");
  EXPECT_EQ(Tables(DmlTables("UPDATE a AS x JOIN other.b y ON x.id = y.id SET x.v = y.v", "s")),
            "dml s.a other.b");
  EXPECT_EQ(Tables(DmlTables("DELETE FROM t WHERE id IN (SELECT id FROM u)", "shop")),
            "dml shop.t");
  EXPECT_EQ(Tables(DmlTables("DELETE t1, t2 FROM t1 INNER JOIN t2 INNER JOIN t3 WHERE 1", "d")),
            "dml d.t1 d.t2 d.t1 d.t2 d.t3");
  EXPECT_EQ(Tables(DmlTables("DELETE QUICK FROM a, b USING a JOIN b", "d")), "dml d.a d.b d.a d.b");
  EXPECT_EQ(Tables(DmlTables("WITH c AS (SELECT 1) UPDATE t SET a = 1", "d")), "dml?");
  EXPECT_EQ(Tables(DmlTables("INSERT INTO t VALUES (1)", "")), "dml?") << "no database to qualify";
  EXPECT_EQ(Tables(DmlTables("CREATE TABLE t (a INT)", "d")), "no");
  EXPECT_EQ(Tables(DmlTables("BEGIN", "d")), "no");
}

}  // namespace
}  // namespace sluice::mysql
