// Which binlog statements may be published (account statements never are), and the credentials
// removed from those that are: every account statement form of MariaDB and MySQL, with a canary
// password that must not survive.
#include "connectors/mysql/connector/sql_secrets.h"

#include <string>
#include <vector>

#include "connectors/mysql/connector/sql_scanner.h"
#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

constexpr char kCanary[] = "Canary-7f3e";

// Every form that carries a password (with kCanary in it), as clients write them and as the
// servers log them.
const std::vector<std::string>& AccountStatements() {
  static const std::vector<std::string> statements = {
      "CREATE USER 'u'@'%' IDENTIFIED BY 'Canary-7f3e'",
      "create user u identified by \"Canary-7f3e\"",
      "CREATE USER IF NOT EXISTS u@localhost IDENTIFIED BY 'Canary-7f3e', v IDENTIFIED BY "
      "'Canary-7f3e'",
      "ALTER USER 'u'@'%' IDENTIFIED BY 'Canary-7f3e'",
      "ALTER USER u IDENTIFIED BY 'new' REPLACE 'Canary-7f3e' RETAIN CURRENT PASSWORD",
      "CREATE USER u IDENTIFIED WITH caching_sha2_password BY 'Canary-7f3e'",
      "CREATE USER 'u'@'%' IDENTIFIED WITH 'caching_sha2_password' AS '$A$005$Canary-7f3e'",
      "CREATE USER 'u'@'%' IDENTIFIED WITH 'caching_sha2_password' AS "
      "0x24412430303524Canary-7f3e",
      "CREATE USER u IDENTIFIED WITH mysql_native_password AS '*Canary-7f3e'",
      "CREATE USER u IDENTIFIED BY PASSWORD '*Canary-7f3e'",
      "CREATE USER u IDENTIFIED VIA ed25519 USING PASSWORD('Canary-7f3e')",
      "CREATE USER u IDENTIFIED VIA mysql_native_password USING 'Canary-7f3e' OR unix_socket",
      "CREATE USER u IDENTIFIED VIA unix_socket OR ed25519 USING PASSWORD('Canary-7f3e')",
      "CREATE USER u IDENTIFIED BY _utf8mb4'Canary-7f3e'",
      "CREATE USER u IDENTIFIED WITH x AS X'Canary-7f3e'",
      "CREATE USER u IDENTIFIED WITH caching_sha2_password BY 'a' AND IDENTIFIED WITH "
      "authentication_ldap_simple BY 'Canary-7f3e'",
      "SET PASSWORD = PASSWORD('Canary-7f3e')",
      "SET PASSWORD FOR 'u'@'%' = PASSWORD('Canary-7f3e')",
      "SET PASSWORD FOR u = 'Canary-7f3e'",
      "SET PASSWORD FOR CURRENT_USER() = 'Canary-7f3e'",
      "SET PASSWORD = 'Canary-7f3e' REPLACE 'Canary-7f3e'",
      "SET PASSWORD FOR u = OLD_PASSWORD('Canary-7f3e')",
      "GRANT SELECT ON db.* TO 'u'@'%' IDENTIFIED BY 'Canary-7f3e'",
      "GRANT ALL ON *.* TO u IDENTIFIED VIA ed25519 USING PASSWORD('Canary-7f3e') WITH GRANT OPTION",
      "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'u', PASSWORD 'Canary-7f3e', "
      "HOST 'h')",
      "ALTER SERVER s OPTIONS (PASSWORD 'Canary-7f3e')",
      "CHANGE MASTER TO MASTER_HOST='h', MASTER_USER='u', MASTER_PASSWORD='Canary-7f3e'",
      "CHANGE REPLICATION SOURCE TO SOURCE_USER='u', SOURCE_PASSWORD = 'Canary-7f3e'",
      "START REPLICA USER='u' PASSWORD='Canary-7f3e'",
      // Comments, executable comments, odd case and blanks.
      "/* app */ CREATE /* x */ USER u -- note\n IDENTIFIED\tBY\n'Canary-7f3e'",
      "/*!80000 CREATE USER u IDENTIFIED BY 'Canary-7f3e' */",
      "/*M!100100 GRANT SELECT ON *.* TO u IDENTIFIED BY 'Canary-7f3e' */",
      "cReAtE   uSeR u iDeNtIfIeD   bY   'Canary-7f3e'",
      "CREATE USER u IDENTIFIED BY 'Canary-7f3e' /* IDENTIFIED BY 'Canary-7f3e' */",
      "CREATE USER u -- IDENTIFIED BY 'Canary-7f3e'\n",
      "CREATE USER u # SET PASSWORD = 'Canary-7f3e'\n",
      "CREATE USER u IDENTIFIED BY 'it''s \\'Canary-7f3e'",
  };
  return statements;
}

TEST(SqlSecrets, NoAccountStatementFormKeepsItsPassword) {
  for (const std::string& sql : AccountStatements()) {
    const std::string redacted = RedactSecrets(sql);
    EXPECT_EQ(redacted.find("Canary"), std::string::npos) << sql << "\n -> " << redacted;
    EXPECT_NE(redacted.find("<secret>"), std::string::npos) << sql;
  }
}

TEST(SqlSecrets, OnlyTheCredentialIsReplaced) {
  EXPECT_EQ(RedactSecrets("CREATE USER 'u'@'%' IDENTIFIED BY 'pw' PASSWORD EXPIRE"),
            "CREATE USER 'u'@'%' IDENTIFIED BY '<secret>' PASSWORD EXPIRE");
  EXPECT_EQ(RedactSecrets("SET PASSWORD FOR 'u'@'h' = PASSWORD('pw')"),
            "SET PASSWORD FOR 'u'@'h' = PASSWORD('<secret>')");
  EXPECT_EQ(RedactSecrets("CREATE USER u IDENTIFIED VIA ed25519 USING PASSWORD('pw')"),
            "CREATE USER u IDENTIFIED VIA ed25519 USING PASSWORD('<secret>')");
  EXPECT_EQ(RedactSecrets("CHANGE MASTER TO MASTER_USER='r', MASTER_PASSWORD='pw'"),
            "CHANGE MASTER TO MASTER_USER='r', MASTER_PASSWORD='<secret>'");
  EXPECT_EQ(RedactSecrets("CREATE USER u IDENTIFIED WITH 'caching_sha2_password' AS 0x2441"),
            "CREATE USER u IDENTIFIED WITH 'caching_sha2_password' AS '<secret>'");
  EXPECT_EQ(RedactSecrets("/* IDENTIFIED BY 'pw' */ SELECT 1"),
            "/* IDENTIFIED BY '<secret>' */ SELECT 1");
}

TEST(SqlSecrets, StructureStatementsPassUnchangedButForCredentials) {
  for (const char* sql :
       {"CREATE TABLE t (id INT PRIMARY KEY, password VARCHAR(64) DEFAULT NULL)",
        "ALTER TABLE t ADD COLUMN password_hash CHAR(60), RENAME COLUMN a TO b",
        "CREATE OR REPLACE VIEW v AS SELECT REPLACE(name, 'a', 'b') FROM t",
        "REPLACE INTO t VALUES (1, 'x')", "DROP TABLE `t` /* generated by server */"}) {
    EXPECT_EQ(RedactSecrets(sql), sql);
  }
  // A FEDERATED or CONNECT table's connection URL keeps all but its password.
  EXPECT_EQ(RedactSecrets("CREATE TABLE f (id INT) ENGINE=FEDERATED "
                          "CONNECTION='mysql://app:pw@db.example:3306/shop/orders'"),
            "CREATE TABLE f (id INT) ENGINE=FEDERATED "
            "CONNECTION='mysql://app:<secret>@db.example:3306/shop/orders'");
  EXPECT_EQ(RedactSecrets("CREATE TABLE f (id INT) ENGINE=FEDERATED CONNECTION='srv/orders'"),
            "CREATE TABLE f (id INT) ENGINE=FEDERATED CONNECTION='srv/orders'");
}

TEST(SqlSecrets, AccountStatementsAreNeverStructure) {
  for (const std::string& sql : AccountStatements()) {
    EXPECT_NE(ClassifyStatement(sql), StatementKind::kStructure) << sql;
  }
  for (const char* sql :
       {"CREATE USER u", "alter user u account lock", "DROP USER u", "RENAME USER a TO b",
        "CREATE ROLE r", "DROP ROLE r", "GRANT r TO u", "REVOKE ALL ON *.* FROM u",
        "SET DEFAULT ROLE r FOR u", "SET ROLE r", "SET PASSWORD = 'x'",
        "/*!80000 CREATE USER u */", "/* hi */ grant select on t to u"}) {
    EXPECT_EQ(ClassifyStatement(sql), StatementKind::kAccount) << sql;
  }
}

TEST(SqlSecrets, StructureStatementsAreRecognisedThroughPrefixesAndComments) {
  for (const char* sql : {
           "CREATE TABLE t (id INT)",
           "create temporary table t (id int)",
           "CREATE OR REPLACE TABLE t (id INT)",
           "ALTER ONLINE IGNORE TABLE t ADD c INT",
           "DROP TABLE IF EXISTS t",
           "DROP TEMPORARY TABLE IF EXISTS `t` /* generated by server */",
           "RENAME TABLE a TO b",
           "TRUNCATE t",
           "CREATE UNIQUE INDEX i ON t (c)",
           "DROP INDEX i ON t",
           "CREATE DATABASE d",
           "ALTER SCHEMA d CHARACTER SET utf8mb4",
           "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW v AS "
           "SELECT 1",
           "CREATE DEFINER=CURRENT_USER() PROCEDURE p() BEGIN END",
           "CREATE DEFINER='root'@'%' TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
           "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t",
           "CREATE FUNCTION f() RETURNS INT RETURN 1",
           "CREATE SEQUENCE s",
           "/*!40000 ALTER TABLE t DISABLE KEYS */",
           "/* app */ ALTER\n\tTABLE t ADD c INT",
       }) {
    EXPECT_EQ(ClassifyStatement(sql), StatementKind::kStructure) << sql;
  }
}

TEST(SqlSecrets, ServerAndOtherStatementsAreNotPublished) {
  for (const char* sql : {
           "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (PASSWORD 'x')",
           "DROP SERVER s",
           "CHANGE MASTER TO MASTER_PASSWORD='x'",
           "CREATE FUNCTION f RETURNS STRING SONAME 'udf.so'",
           "INSTALL PLUGIN p SONAME 'p.so'",
           "FLUSH PRIVILEGES",
           "ANALYZE TABLE t",
           "OPTIMIZE TABLE t",
           "SET @x = 1",
           "INSERT INTO t VALUES (1)",
           "BEGIN",
           "",
           "/* only a comment */",
       }) {
    EXPECT_EQ(ClassifyStatement(sql), StatementKind::kOther) << sql;
  }
}

TEST(SqlScanner, ExecutableCommentsAreReadAsCodeAndPlainOnesKeptOnRequest) {
  EXPECT_EQ(LeadingKeyword("/*!40101 SET NAMES utf8 */"), "SET");
  EXPECT_EQ(LeadingKeyword("/*M!100100 CREATE USER u */"), "CREATE");
  const std::vector<SqlToken> tokens = Tokenize("a /* b */ c -- d\n# e", SqlTokenizer::Comments::kKeep);
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[1].kind, SqlToken::kComment);
  EXPECT_EQ(tokens[1].text, " b ");
  EXPECT_EQ(tokens[1].begin, 2u);
  EXPECT_EQ(tokens[1].end, 9u);
  EXPECT_EQ(tokens[3].text, " d");
  EXPECT_EQ(tokens[4].text, " e");
  EXPECT_EQ(Tokenize("'x' y").front().end, 3u);
}

}  // namespace
}  // namespace sluice::mysql
