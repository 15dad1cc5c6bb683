// The DDL statements the schema model applies, read form by form (ddl_parser.h). Column
// attributes are checked against what Debezium 3.6.1 / MariaDB 3.0.0 wrote for the same text
// (tests/reference/debezium/<server>/ref.jsonl, the ddl_demo table) where the capture has it.
#include "connectors/mysql/connector/ddl_parser.h"

#include <string>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

DdlStatement Parse(const std::string& sql, bool mariadb = true) {
  absl::StatusOr<DdlStatement> statement = ParseDdl(sql, "shop", mariadb);
  EXPECT_TRUE(statement.ok()) << sql << ": " << statement.status();
  return statement.ok() ? *statement : DdlStatement();
}

std::string Opt(const std::optional<std::string>& value) { return value.value_or("<null>"); }
int32_t Opt(const std::optional<int32_t>& value) { return value.value_or(-1); }

TEST(ParseDdl, CreateTableAsTheReferenceCaptureDescribesIt) {
  const DdlStatement s = Parse(
      "CREATE TABLE shop.ddl_demo (\n"
      "  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'the key',\n"
      "  name VARCHAR(20) NOT NULL DEFAULT 'x',\n"
      "  price DECIMAL(8,3) UNSIGNED,\n"
      "  kind ENUM('a','b') DEFAULT 'b',\n"
      "  lat VARCHAR(5) CHARACTER SET latin1,\n"
      "  created DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3),\n"
      "  doubled INT AS (id * 2) VIRTUAL\n"
      ") ENGINE=InnoDB");
  ASSERT_EQ(s.kind, DdlStatement::kCreateTable);
  EXPECT_EQ(s.table.db, "shop");
  EXPECT_EQ(s.table.table, "ddl_demo");
  ASSERT_EQ(s.columns.size(), 7u);
  const ColumnStructure& id = s.columns[0].column;
  EXPECT_EQ(id.type_name, "INT");
  EXPECT_EQ(id.jdbc_type, 4);
  EXPECT_EQ(Opt(id.length), -1);  // Debezium's streaming parser: no display width written
  EXPECT_FALSE(id.optional);
  EXPECT_TRUE(id.auto_incremented);
  EXPECT_EQ(Opt(id.comment), "the key");
  EXPECT_TRUE(s.columns[0].primary_key);
  const ColumnStructure& name = s.columns[1].column;
  EXPECT_EQ(name.type_name, "VARCHAR");
  EXPECT_EQ(name.jdbc_type, 12);
  EXPECT_EQ(Opt(name.length), 20);
  EXPECT_FALSE(name.optional);
  EXPECT_EQ(Opt(name.default_value), "x");
  EXPECT_TRUE(s.columns[1].character);
  const ColumnStructure& price = s.columns[2].column;
  EXPECT_EQ(price.type_name, "DECIMAL UNSIGNED");
  EXPECT_EQ(price.jdbc_type, 3);
  EXPECT_EQ(Opt(price.length), 8);
  EXPECT_EQ(Opt(price.scale), 3);
  EXPECT_FALSE(s.columns[2].character);
  const ColumnStructure& kind = s.columns[3].column;
  EXPECT_EQ(kind.type_name, "ENUM");
  EXPECT_EQ(kind.jdbc_type, 1);
  EXPECT_EQ(Opt(kind.length), 1);
  EXPECT_EQ(kind.enum_values, (std::vector<std::string>{"'a'", "'b'"}));
  EXPECT_EQ(Opt(kind.default_value), "b");
  EXPECT_EQ(Opt(s.columns[4].column.charset), "latin1");
  const ColumnStructure& created = s.columns[5].column;
  EXPECT_EQ(created.jdbc_type, 93);
  EXPECT_EQ(Opt(created.length), 3);
  EXPECT_EQ(Opt(created.default_value), "1970-01-01 00:00:00");
  EXPECT_EQ(s.columns[6].column.type_name, "INT");
  EXPECT_FALSE(s.columns[6].column.auto_incremented);
}

TEST(ParseDdl, TypeSynonymsAndModifiers) {
  const DdlStatement s = Parse(
      "CREATE TABLE IF NOT EXISTS `t` (a INTEGER(11) UNSIGNED ZEROFILL, b BOOLEAN, c DEC, "
      "d SET('x','y','z') COLLATE utf8_bin, e CHAR, f JSON, g DOUBLE PRECISION, "
      "h TINYINT SIGNED DEFAULT -1, i VARCHAR(3) CHARSET binary, j BIT DEFAULT b'1', "
      "k DECIMAL(5,2) DEFAULT 1.50, l INT NULL DEFAULT NULL)");
  ASSERT_EQ(s.kind, DdlStatement::kCreateTable);
  EXPECT_TRUE(s.if_not_exists);
  ASSERT_EQ(s.columns.size(), 12u);
  EXPECT_EQ(s.columns[0].column.type_name, "INT UNSIGNED ZEROFILL");
  EXPECT_EQ(Opt(s.columns[0].column.length), 11);
  EXPECT_EQ(s.columns[1].column.type_name, "TINYINT");
  EXPECT_EQ(Opt(s.columns[1].column.length), 1);
  EXPECT_EQ(s.columns[2].column.type_name, "DECIMAL");
  EXPECT_EQ(Opt(s.columns[2].column.length), 10);
  EXPECT_EQ(Opt(s.columns[2].column.scale), 0);
  EXPECT_EQ(Opt(s.columns[3].column.length), 5);
  EXPECT_EQ(Opt(s.columns[3].column.charset), "utf8mb3");
  EXPECT_EQ(Opt(s.columns[4].column.length), 1);
  EXPECT_EQ(s.columns[5].column.type_name, "LONGTEXT");  // MariaDB's JSON
  EXPECT_EQ(Opt(s.columns[5].column.charset), "utf8mb4");
  EXPECT_EQ(s.columns[6].column.type_name, "DOUBLE");
  EXPECT_EQ(Opt(s.columns[7].column.default_value), "-1");
  EXPECT_EQ(s.columns[8].column.type_name, "VARBINARY");
  EXPECT_FALSE(s.columns[8].character);
  EXPECT_EQ(Opt(s.columns[9].column.default_value), "b'1'");
  EXPECT_EQ(Opt(s.columns[10].column.default_value), "1.50");
  EXPECT_EQ(Opt(s.columns[11].column.default_value), "<null>");
  EXPECT_TRUE(s.columns[11].column.optional);

  const DdlStatement mysql = Parse("CREATE TABLE t (f JSON)", /*mariadb=*/false);
  EXPECT_EQ(mysql.columns[0].column.type_name, "JSON");
  EXPECT_EQ(mysql.columns[0].column.jdbc_type, 1111);
  EXPECT_FALSE(mysql.columns[0].column.charset.has_value());
}

TEST(ParseDdl, CreateTableKeysAndOptions) {
  const DdlStatement s = Parse(
      "CREATE OR REPLACE TABLE shop.k (a INT, b INT, c TEXT, CONSTRAINT pk PRIMARY KEY USING BTREE "
      "(b, a DESC), UNIQUE KEY u (c(10)), KEY (a), FOREIGN KEY (a) REFERENCES o (id), "
      "CHECK (a > 0)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci "
      "COMMENT='x' AUTO_INCREMENT=5 PARTITION BY HASH(a) PARTITIONS 2");
  EXPECT_TRUE(s.or_replace);
  EXPECT_EQ(s.columns.size(), 3u);
  EXPECT_EQ(s.primary_key, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(Opt(s.charset), "utf8mb4");
  EXPECT_EQ(Opt(Parse("CREATE TABLE t (a INT) COLLATE latin1_swedish_ci").charset), "latin1");
  EXPECT_EQ(Opt(Parse("CREATE TABLE t (a INT) CHARACTER SET = utf8").charset), "utf8mb3");
}

TEST(ParseDdl, CreateLike) {
  DdlStatement s = Parse("CREATE TABLE copy LIKE other.src");
  EXPECT_EQ(s.kind, DdlStatement::kCreateLike);
  EXPECT_EQ(s.table.table, "copy");
  EXPECT_EQ(s.like.db, "other");
  EXPECT_EQ(s.like.table, "src");
  s = Parse("CREATE TABLE IF NOT EXISTS copy (LIKE src)");
  EXPECT_EQ(s.kind, DdlStatement::kCreateLike);
  EXPECT_TRUE(s.if_not_exists);
  EXPECT_EQ(s.like.table, "src");
}

TEST(ParseDdl, AlterColumnForms) {
  const DdlStatement s = Parse(
      "ALTER TABLE t ADD COLUMN IF NOT EXISTS a INT FIRST, ADD b TEXT AFTER a, "
      "ADD (c INT, d INT), DROP COLUMN IF EXISTS e, DROP f, MODIFY g BIGINT NOT NULL AFTER a, "
      "CHANGE COLUMN h hh VARCHAR(4) FIRST, RENAME COLUMN i TO ii, ALTER COLUMN j SET DEFAULT 'z', "
      "ALTER k DROP DEFAULT, ALGORITHM=INPLACE, LOCK=NONE");
  ASSERT_EQ(s.kind, DdlStatement::kAlterTable);
  ASSERT_EQ(s.specs.size(), 11u);
  EXPECT_EQ(s.specs[0].kind, DdlAlterSpec::kAddColumn);
  EXPECT_TRUE(s.specs[0].if_exists);
  EXPECT_EQ(s.specs[0].place.kind, DdlColumnPlace::kFirst);
  EXPECT_EQ(s.specs[1].place.kind, DdlColumnPlace::kAfter);
  EXPECT_EQ(s.specs[1].place.after, "a");
  EXPECT_EQ(s.specs[2].column.column.name, "c");
  EXPECT_EQ(s.specs[3].column.column.name, "d");
  EXPECT_EQ(s.specs[4].kind, DdlAlterSpec::kDropColumn);
  EXPECT_TRUE(s.specs[4].if_exists);
  EXPECT_EQ(s.specs[5].name, "f");
  EXPECT_EQ(s.specs[6].kind, DdlAlterSpec::kModifyColumn);
  EXPECT_FALSE(s.specs[6].column.column.optional);
  EXPECT_EQ(s.specs[7].kind, DdlAlterSpec::kChangeColumn);
  EXPECT_EQ(s.specs[7].name, "h");
  EXPECT_EQ(s.specs[7].column.column.name, "hh");
  EXPECT_EQ(s.specs[8].kind, DdlAlterSpec::kRenameColumn);
  EXPECT_EQ(s.specs[8].new_name, "ii");
  EXPECT_EQ(s.specs[9].kind, DdlAlterSpec::kSetDefault);
  EXPECT_EQ(Opt(s.specs[9].default_value), "z");
  EXPECT_EQ(s.specs[10].kind, DdlAlterSpec::kDropDefault);
}

TEST(ParseDdl, AlterKeysCharsetsAndRenames) {
  const DdlStatement s = Parse(
      "ALTER TABLE IF EXISTS t DROP PRIMARY KEY, ADD CONSTRAINT PRIMARY KEY (a, b), "
      "ADD INDEX ix (c), DROP INDEX ix2, DEFAULT CHARSET=latin1, CONVERT TO CHARACTER SET utf8mb4 "
      "COLLATE utf8mb4_bin, RENAME INDEX a TO b, RENAME TO other.u");
  EXPECT_TRUE(s.if_exists);
  ASSERT_EQ(s.specs.size(), 5u);
  EXPECT_EQ(s.specs[0].kind, DdlAlterSpec::kDropPrimaryKey);
  EXPECT_EQ(s.specs[1].kind, DdlAlterSpec::kAddPrimaryKey);
  EXPECT_EQ(s.specs[1].key, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.specs[2].kind, DdlAlterSpec::kTableCharset);
  EXPECT_EQ(s.specs[2].charset, "latin1");
  EXPECT_EQ(s.specs[3].kind, DdlAlterSpec::kConvertCharset);
  EXPECT_EQ(s.specs[3].charset, "utf8mb4");
  EXPECT_EQ(s.specs[4].kind, DdlAlterSpec::kRenameTable);
  EXPECT_EQ(s.specs[4].to.db, "other");
  EXPECT_EQ(s.specs[4].to.table, "u");
}

TEST(ParseDdl, RenameDropTruncate) {
  DdlStatement s = Parse("RENAME TABLE a TO b, other.c TO d");
  ASSERT_EQ(s.kind, DdlStatement::kRenameTables);
  ASSERT_EQ(s.renames.size(), 2u);
  EXPECT_EQ(s.renames[1].first.db, "other");
  EXPECT_EQ(s.renames[1].second.db, "shop");
  s = Parse("DROP TABLE IF EXISTS a, `b` /* generated by server */");
  ASSERT_EQ(s.kind, DdlStatement::kDropTables);
  EXPECT_TRUE(s.if_exists);
  ASSERT_EQ(s.drops.size(), 2u);
  EXPECT_EQ(s.drops[1].table, "b");
  s = Parse("TRUNCATE TABLE x");
  EXPECT_EQ(s.kind, DdlStatement::kTruncate);
  EXPECT_EQ(s.table.table, "x");
}

TEST(ParseDdl, StatementsThatChangeNoTableAreOther) {
  for (const char* sql : {"CREATE TEMPORARY TABLE t (a INT)",
                          "DROP TEMPORARY TABLE t", "CREATE INDEX i ON t (a)", "DROP VIEW v",
                          "CREATE VIEW v AS SELECT 1", "INSERT INTO t VALUES (1)"}) {
    EXPECT_EQ(Parse(sql).kind, DdlStatement::kOther) << sql;
  }
}

TEST(ParseDdl, WhatItCannotReadIsAnErrorNotAGuess) {
  for (const char* sql : {"CREATE TABLE t AS SELECT 1 AS a", "CREATE TABLE t (a INT) SELECT 1",
                          "CREATE TABLE t (a INT) WITH SYSTEM VERSIONING",
                          "ALTER TABLE t ADD SYSTEM VERSIONING", "CREATE TABLE t (a FANCYTYPE)",
                          "ALTER TABLE t FROBNICATE a", "CREATE TABLE t (a INT WIBBLE)"}) {
    absl::StatusOr<DdlStatement> statement = ParseDdl(sql, "shop", true);
    EXPECT_TRUE(absl::IsInvalidArgument(statement.status())) << sql << ": " << statement.status();
  }
  EXPECT_FALSE(ParseDdl("ALTER TABLE t ADD a INT", "", true).ok());  // no database
}

TEST(ParseDdl, ExecutableCommentsAreReadAsCode) {
  const DdlStatement s =
      Parse("CREATE TABLE t (a INT) /*!50100 PARTITION BY HASH(a) */ /*M!100100 COMMENT='c' */");
  EXPECT_EQ(s.kind, DdlStatement::kCreateTable);
  EXPECT_EQ(s.columns.size(), 1u);
}

TEST(CharsetOfCollation, NamesTheCharset) {
  EXPECT_EQ(CharsetOfCollation("utf8mb4_0900_ai_ci"), "utf8mb4");
  EXPECT_EQ(CharsetOfCollation("utf8_general_ci"), "utf8mb3");
  EXPECT_EQ(CharsetOfCollation("latin1_swedish_ci"), "latin1");
  EXPECT_EQ(CharsetOfCollation("binary"), "binary");
  EXPECT_EQ(CanonicalCharset("UTF8"), "utf8mb3");
}

}  // namespace
}  // namespace sluice::mysql
