// The schema model advanced statement by statement (schema_model_apply.h): each form's effect on
// columns, positions, keys, defaults, charsets and tables.
#include "connectors/mysql/connector/schema_model_apply.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

class ModelTest : public ::testing::Test {
 protected:
  absl::Status Run(const std::string& sql) {
    absl::StatusOr<DdlStatement> statement = ParseDdl(sql, "shop", /*mariadb=*/true);
    if (!statement.ok()) return statement.status();
    return ApplyDdl(*statement, model_, [](const std::string& db) -> absl::StatusOr<std::string> {
      return db == "shop" ? "utf8mb4" : "latin1";
    });
  }
  void Apply(const std::string& sql) { ASSERT_TRUE(Run(sql).ok()) << sql << ": " << Run(sql); }
  const TableStructure& Table(const std::string& name) {
    const TableStructure* table = model_.Find("shop", name);
    EXPECT_NE(table, nullptr) << name;
    static const TableStructure kNone;
    return table != nullptr ? *table : kNone;
  }
  // "name:position" of each column, in table order.
  std::string Columns(const std::string& name) {
    std::string out;
    for (const ColumnStructure& column : Table(name).columns) {
      out += column.name + ":" + std::to_string(column.position) + " ";
    }
    return out;
  }
  SchemaModel model_;
};

TEST_F(ModelTest, CreateUsesTheDatabaseCharsetAndTheKey) {
  Apply("CREATE TABLE t (id INT, v VARCHAR(3), l CHAR(2) CHARSET latin1, PRIMARY KEY (id))");
  const TableStructure& t = Table("t");
  EXPECT_EQ(t.default_charset.value_or(""), "utf8mb4");
  EXPECT_EQ(t.primary_key, std::vector<std::string>{"id"});
  EXPECT_FALSE(t.columns[0].optional);  // a key column is NOT NULL
  EXPECT_FALSE(t.columns[0].charset.has_value());
  EXPECT_EQ(t.columns[1].charset.value_or(""), "utf8mb4");
  EXPECT_EQ(t.columns[2].charset.value_or(""), "latin1");
  EXPECT_EQ(Columns("t"), "id:1 v:2 l:3 ");
  Apply("CREATE TABLE x (a INT) CHARSET latin1");
  EXPECT_EQ(Table("x").default_charset.value_or(""), "latin1");
}

TEST_F(ModelTest, AlterColumnsMoveAndRenumber) {
  Apply("CREATE TABLE t (a INT, b INT, c INT)");
  Apply("ALTER TABLE t ADD d INT FIRST, ADD e INT AFTER b, ADD f INT");
  EXPECT_EQ(Columns("t"), "d:1 a:2 b:3 e:4 c:5 f:6 ");
  Apply("ALTER TABLE t DROP COLUMN a, MODIFY c BIGINT FIRST");
  EXPECT_EQ(Columns("t"), "c:1 d:2 b:3 e:4 f:5 ");
  EXPECT_EQ(Table("t").columns[0].type_name, "BIGINT");
  Apply("ALTER TABLE t CHANGE b bb VARCHAR(9) NOT NULL AFTER f, RENAME COLUMN e TO ee");
  EXPECT_EQ(Columns("t"), "c:1 d:2 ee:3 f:4 bb:5 ");
  EXPECT_EQ(Table("t").columns[4].charset.value_or(""), "utf8mb4");
  EXPECT_FALSE(Table("t").columns[4].optional);
  Apply("ALTER TABLE t MODIFY d INT");  // MODIFY keeps the place
  EXPECT_EQ(Columns("t"), "c:1 d:2 ee:3 f:4 bb:5 ");
  Apply("ALTER TABLE t ADD COLUMN IF NOT EXISTS d INT, DROP COLUMN IF EXISTS zz");
  EXPECT_EQ(Columns("t"), "c:1 d:2 ee:3 f:4 bb:5 ");
}

TEST_F(ModelTest, DefaultsSetAndDropped) {
  Apply("CREATE TABLE t (a INT DEFAULT 1, b VARCHAR(2))");
  Apply("ALTER TABLE t ALTER COLUMN a DROP DEFAULT, ALTER b SET DEFAULT 'q'");
  EXPECT_FALSE(Table("t").columns[0].default_value.has_value());
  EXPECT_EQ(Table("t").columns[1].default_value.value_or(""), "q");
}

TEST_F(ModelTest, PrimaryKeyAddedDroppedAndFollowingItsColumns) {
  Apply("CREATE TABLE t (a INT, b INT)");
  Apply("ALTER TABLE t ADD PRIMARY KEY (b, a)");
  EXPECT_EQ(Table("t").primary_key, (std::vector<std::string>{"b", "a"}));
  EXPECT_FALSE(Table("t").columns[0].optional);
  Apply("ALTER TABLE t CHANGE a aa INT");
  EXPECT_EQ(Table("t").primary_key, (std::vector<std::string>{"b", "aa"}));
  EXPECT_FALSE(Table("t").columns[0].optional);  // still a key column
  Apply("ALTER TABLE t DROP COLUMN b");
  EXPECT_EQ(Table("t").primary_key, std::vector<std::string>{"aa"});
  Apply("ALTER TABLE t DROP PRIMARY KEY");
  EXPECT_TRUE(Table("t").primary_key.empty());
  Apply("ALTER TABLE t ADD id INT AUTO_INCREMENT PRIMARY KEY FIRST");
  EXPECT_EQ(Table("t").primary_key, std::vector<std::string>{"id"});
}

TEST_F(ModelTest, Charsets) {
  Apply("CREATE TABLE t (a VARCHAR(2), b INT, c TEXT CHARSET latin1)");
  Apply("ALTER TABLE t DEFAULT CHARACTER SET latin1");
  EXPECT_EQ(Table("t").default_charset.value_or(""), "latin1");
  EXPECT_EQ(Table("t").columns[0].charset.value_or(""), "utf8mb4");  // the columns keep theirs
  Apply("ALTER TABLE t ADD d CHAR(1)");
  EXPECT_EQ(Table("t").columns[3].charset.value_or(""), "latin1");
  Apply("ALTER TABLE t CONVERT TO CHARACTER SET utf8");
  EXPECT_EQ(Table("t").columns[0].charset.value_or(""), "utf8mb3");
  EXPECT_EQ(Table("t").columns[2].charset.value_or(""), "utf8mb3");
  EXPECT_FALSE(Table("t").columns[1].charset.has_value());
}

TEST_F(ModelTest, TablesRenamedCopiedDroppedTruncated) {
  Apply("CREATE TABLE t (a INT)");
  Apply("CREATE TABLE c LIKE t");
  EXPECT_EQ(Columns("c"), "a:1 ");
  Apply("RENAME TABLE t TO u, c TO t");
  EXPECT_EQ(Columns("u"), "a:1 ");
  EXPECT_EQ(Columns("t"), "a:1 ");
  Apply("ALTER TABLE u ADD b INT, RENAME TO v");
  EXPECT_EQ(model_.Find("shop", "u"), nullptr);
  EXPECT_EQ(Columns("v"), "a:1 b:2 ");
  Apply("TRUNCATE v");
  EXPECT_EQ(Columns("v"), "a:1 b:2 ");
  Apply("DROP TABLE IF EXISTS v, t");
  EXPECT_EQ(model_.Find("shop", "v"), nullptr);
  EXPECT_TRUE(model_.KnownAbsent("shop", "v"));
  // Known to be gone: IF NOT EXISTS creates it.
  Apply("CREATE TABLE IF NOT EXISTS v (z INT)");
  EXPECT_EQ(Columns("v"), "z:1 ");
  // Existing: IF NOT EXISTS leaves it.
  Apply("CREATE TABLE IF NOT EXISTS v (y INT)");
  EXPECT_EQ(Columns("v"), "z:1 ");
  Apply("CREATE OR REPLACE TABLE v (y INT)");
  EXPECT_EQ(Columns("v"), "y:1 ");
}

TEST_F(ModelTest, DatabaseCharsetsFromTheirStatements) {
  Apply("CREATE DATABASE IF NOT EXISTS other CHARACTER SET utf8mb3");
  EXPECT_EQ(model_.DatabaseCharset("other").value_or(""), "utf8mb3");
  Apply("ALTER DATABASE other DEFAULT COLLATE latin2_general_ci");
  EXPECT_EQ(model_.DatabaseCharset("other").value_or(""), "latin2");
  Apply("CREATE TABLE other.t (a CHAR(1))");
  EXPECT_EQ(model_.Find("other", "t")->columns[0].charset.value_or(""), "latin2");
  Apply("ALTER SCHEMA CHARSET latin1");  // the current database, `shop`
  EXPECT_EQ(model_.DatabaseCharset("shop").value_or(""), "latin1");
  Apply("CREATE DATABASE other2");  // the server's default: asked when needed
  EXPECT_FALSE(model_.DatabaseCharset("other2").has_value());
}

TEST_F(ModelTest, UnknownTablesStayUnknown) {
  Apply("ALTER TABLE never ADD a INT");
  EXPECT_EQ(model_.Find("shop", "never"), nullptr);
  Apply("CREATE TABLE IF NOT EXISTS maybe (a INT)");  // it may have existed before
  EXPECT_EQ(model_.Find("shop", "maybe"), nullptr);
  Apply("CREATE TABLE c LIKE never");
  EXPECT_EQ(model_.Find("shop", "c"), nullptr);
  Apply("RENAME TABLE never TO n2");
  EXPECT_EQ(model_.Find("shop", "n2"), nullptr);
}

TEST_F(ModelTest, AStatementThatDoesNotFitIsRefusedAndTheTableForgotten) {
  Apply("CREATE TABLE t (a INT)");
  absl::Status status = Run("ALTER TABLE t DROP COLUMN nope");
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_NE(status.message().find("`shop.t` has no column `nope`"), std::string::npos) << status;
  EXPECT_EQ(model_.Find("shop", "t"), nullptr);
  EXPECT_FALSE(model_.KnownAbsent("shop", "t"));
  Apply("CREATE TABLE t2 (a INT)");
  EXPECT_FALSE(Run("ALTER TABLE t2 ADD b INT AFTER nope").ok());
  Apply("CREATE TABLE t3 (a INT)");
  EXPECT_FALSE(Run("ALTER TABLE t3 ADD a INT").ok());
}

}  // namespace
}  // namespace sluice::mysql
