// The schema model against the server itself: random sequences of DDL statements (CREATE, LIKE,
// ALTER in its forms, RENAME, DROP, TRUNCATE), interleaved with inserts, run on a real server;
// after each statement the server accepted, the model (advanced by parsing and applying the
// statement, as the connector does) must describe every table as information_schema does.
// Lengths the statement did not write (integer display widths, which Debezium's parser leaves
// out too) are the only attribute compared one way. SLUICE_MODEL_SEED repeats a run.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "connectors/mysql/connector/catalog.h"
#include "connectors/mysql/connector/ddl_parser.h"
#include "connectors/mysql/connector/schema_model_apply.h"
#include "connectors/mysql/connector/table_structure.h"
#include "connectors/mysql/server/connection.h"
#include "gtest/gtest.h"
#include "tests/support/service_endpoints.h"

namespace sluice::mysql {
namespace {

using testing::MariaDbAccount;

// A column type the generator writes, with a default that suits it (empty: none).
struct TypeChoice {
  const char* sql;
  const char* default_value;
};
constexpr TypeChoice kTypes[] = {
    {"INT", "5"},
    {"INT UNSIGNED", "7"},
    {"BIGINT", "-2"},
    {"SMALLINT", ""},
    {"TINYINT(1)", "1"},
    {"BOOLEAN", "0"},
    {"DECIMAL(8,2)", "1.25"},
    {"DECIMAL", ""},
    {"VARCHAR(10)", "'q'"},
    {"VARCHAR(20) CHARACTER SET latin1", "'l'"},
    {"CHAR(3)", "'abc'"},
    {"TEXT", ""},
    {"TINYTEXT", ""},
    {"DATETIME(3)", "CURRENT_TIMESTAMP(3)"},
    {"DATE", "'2000-01-01'"},
    {"TIMESTAMP(6) NULL", ""},
    {"ENUM('a','b','c')", "'b'"},
    {"SET('x','y')", "'y'"},
    {"DOUBLE", ""},
    {"BLOB", ""},
    {"VARBINARY(8)", ""},
    {"BIT(3)", ""},
    {"YEAR", ""},
    {"JSON", ""},
    {"VARCHAR(5) COLLATE utf8mb4_bin", ""},
    {"INTEGER", "3"},
};

class Generator {
 public:
  Generator(uint32_t seed, bool mariadb) : rng_(seed), mariadb_(mariadb) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Pick(100) < percent; }

  std::string ColumnDefinition(const std::string& name) {
    const TypeChoice& type = kTypes[Pick(std::size(kTypes))];
    std::string sql = absl::StrCat("`", name, "` ", type.sql);
    if (Chance(30) && !absl::StrContains(type.sql, "NULL")) absl::StrAppend(&sql, " NOT NULL");
    if (type.default_value[0] != '\0' && Chance(50)) {
      absl::StrAppend(&sql, " DEFAULT ", type.default_value);
    }
    if (Chance(15)) absl::StrAppend(&sql, " COMMENT 'c", name, "'");
    return sql;
  }

  std::string NewName(const char* prefix) { return absl::StrCat(prefix, next_++); }

  // A statement for the tables the model knows (`tables`: their names; `model` their structure).
  std::string Statement(const std::vector<std::string>& tables,
                        const std::function<const TableStructure*(const std::string&)>& find) {
    if (tables.empty() || Chance(8)) return Create();
    const std::string table = tables[Pick(static_cast<int>(tables.size()))];
    const TableStructure* structure = find(table);
    if (structure == nullptr) return Create();
    const std::vector<ColumnStructure>& columns = structure->columns;
    auto some_column = [&]() { return columns[Pick(static_cast<int>(columns.size()))].name; };
    auto key_free_column = [&]() -> std::optional<std::string> {
      for (int tries = 0; tries < 5; ++tries) {
        const ColumnStructure& column = columns[Pick(static_cast<int>(columns.size()))];
        bool in_key = false;
        for (const std::string& key : structure->primary_key) in_key = in_key || key == column.name;
        if (!in_key && !column.auto_incremented) return column.name;
      }
      return std::nullopt;
    };
    auto place = [&]() -> std::string {
      const int where = Pick(4);
      if (where == 0) return " FIRST";
      if (where == 1) return absl::StrCat(" AFTER `", some_column(), "`");
      return "";
    };
    const std::string alter = absl::StrCat("ALTER TABLE `", table, "` ");
    switch (Pick(17)) {
      case 0:
      case 1:
        return absl::StrCat(alter, "ADD COLUMN ", ColumnDefinition(NewName("c")), place());
      case 2:
        return absl::StrCat(alter, "ADD ", ColumnDefinition(NewName("c")), ", ADD ",
                            ColumnDefinition(NewName("c")), place());
      case 3:
        if (std::optional<std::string> column = key_free_column(); column && columns.size() > 1) {
          return absl::StrCat(alter, "DROP COLUMN `", *column, "`");
        }
        return Create();
      case 4:
        if (std::optional<std::string> column = key_free_column()) {
          return absl::StrCat(alter, "MODIFY ", ColumnDefinition(*column), place());
        }
        return Create();
      case 5:
        if (std::optional<std::string> column = key_free_column()) {
          return absl::StrCat(alter, "CHANGE `", *column, "` ", ColumnDefinition(NewName("r")),
                              place());
        }
        return Create();
      case 6:
        return absl::StrCat(alter, "RENAME COLUMN `", some_column(), "` TO `", NewName("n"), "`");
      case 7: {
        const ColumnStructure& column = columns[Pick(static_cast<int>(columns.size()))];
        // A default the server keeps as written: integers and strings.
        const bool plain = absl::StartsWith(column.type_name, "INT") ||
                           absl::StartsWith(column.type_name, "BIGINT") ||
                           column.type_name == "VARCHAR" || column.type_name == "CHAR";
        if (!plain || Chance(40)) {
          return absl::StrCat(alter, "ALTER COLUMN `", column.name, "` DROP DEFAULT");
        }
        return absl::StrCat(alter, "ALTER `", column.name, "` SET DEFAULT '1'");
      }
      case 8:
        if (structure->primary_key.empty()) {
          return absl::StrCat(alter, "ADD PRIMARY KEY (`", some_column(), "`)");
        }
        return absl::StrCat(alter, "DROP PRIMARY KEY");
      case 9:
        return absl::StrCat(alter, Chance(50) ? "DEFAULT CHARSET latin1" : "CHARACTER SET = utf8mb4");
      case 10:
        return absl::StrCat(alter, "CONVERT TO CHARACTER SET ",
                            Chance(50) ? "utf8mb4" : "latin1");
      case 11:
        if (Chance(50)) return absl::StrCat("RENAME TABLE `", table, "` TO `", NewName("t"), "`");
        return absl::StrCat(alter, "ADD COLUMN ", ColumnDefinition(NewName("c")), ", RENAME TO `",
                            NewName("t"), "`");
      case 12:
        return absl::StrCat("CREATE TABLE `", NewName("t"), "` LIKE `", table, "`");
      case 13:
        return absl::StrCat("DROP TABLE ", Chance(50) ? "IF EXISTS " : "", "`", table, "`");
      case 14:
        return absl::StrCat("TRUNCATE TABLE `", table, "`");
      case 15:
        return absl::StrCat("CREATE TABLE IF NOT EXISTS `", table, "` (zz INT)");
      default:
        if (mariadb_) {
          return absl::StrCat(alter, "ADD COLUMN IF NOT EXISTS ", ColumnDefinition(some_column()),
                              ", DROP COLUMN IF EXISTS `nope`");
        }
        return absl::StrCat(alter, "ADD COLUMN ", ColumnDefinition(NewName("c")), " FIRST");
    }
  }

 private:
  std::string Create() {
    const std::string name = NewName("t");
    std::vector<std::string> parts;
    const int key = Pick(3);
    if (key == 0) parts.push_back("id INT NOT NULL AUTO_INCREMENT PRIMARY KEY");
    if (key == 1) parts.push_back("id BIGINT UNSIGNED");
    const int columns = 1 + Pick(4);
    for (int i = 0; i < columns; ++i) parts.push_back(ColumnDefinition(NewName("c")));
    if (key == 1) parts.push_back("PRIMARY KEY (id)");
    return absl::StrCat("CREATE TABLE `", name, "` (", absl::StrJoin(parts, ", "), ")",
                        Chance(25) ? " DEFAULT CHARSET=latin1" : "");
  }

  std::mt19937 rng_;
  bool mariadb_;
  int next_ = 0;
};

std::string Show(const std::optional<std::string>& value) { return value.value_or("(none)"); }
std::string Show(const std::optional<int32_t>& value) {
  return value.has_value() ? absl::StrCat(*value) : "(none)";
}

bool DisplayWidth(const std::string& type_name) {
  std::string base = absl::AsciiStrToLower(type_name.substr(0, type_name.find(' ')));
  return base == "tinyint" || base == "smallint" || base == "mediumint" || base == "int" ||
         base == "bigint" || base == "year";
}

// What differs between the model and the catalog, one line per attribute.
std::string Differences(const TableStructure& model, const TableStructure& catalog) {
  std::vector<std::string> out;
  auto check = [&](const std::string& what, const std::string& a, const std::string& b) {
    if (a != b) out.push_back(absl::StrCat(what, ": model ", a, ", server ", b));
  };
  check("charset", Show(model.default_charset), Show(catalog.default_charset));
  check("primary key", absl::StrJoin(model.primary_key, ","), absl::StrJoin(catalog.primary_key, ","));
  check("columns", absl::StrCat(model.columns.size()), absl::StrCat(catalog.columns.size()));
  for (size_t i = 0; i < std::min(model.columns.size(), catalog.columns.size()); ++i) {
    const ColumnStructure& m = model.columns[i];
    const ColumnStructure& c = catalog.columns[i];
    const std::string at = absl::StrCat("column ", i + 1, " `", c.name, "` ");
    check(at + "name", m.name, c.name);
    check(at + "position", absl::StrCat(m.position), absl::StrCat(c.position));
    check(at + "type", m.type_name, c.type_name);
    check(at + "jdbc", absl::StrCat(m.jdbc_type), absl::StrCat(c.jdbc_type));
    if (m.length.has_value() || !DisplayWidth(c.type_name)) {
      check(at + "length", Show(m.length), Show(c.length));
    }
    check(at + "scale", Show(m.scale), Show(c.scale));
    check(at + "charset", Show(m.charset), Show(c.charset));
    check(at + "optional", absl::StrCat(m.optional), absl::StrCat(c.optional));
    check(at + "auto_increment", absl::StrCat(m.auto_incremented), absl::StrCat(c.auto_incremented));
    check(at + "default", Show(m.default_value), Show(c.default_value));
    check(at + "enum", absl::StrJoin(m.enum_values, ","), absl::StrJoin(c.enum_values, ","));
  }
  return absl::StrJoin(out, "\n");
}

void RunSequence(const MariaDbAccount& account, int statements) {
  ConnectionOptions options;
  options.host = account.host;
  options.port = account.port;
  options.user = account.user;
  options.password = account.password;
  absl::StatusOr<Connection> connection = Connection::Open(options);
  ASSERT_TRUE(connection.ok()) << connection.status();
  InformationSchemaCatalog catalog(*connection);
  const bool mariadb = catalog.mariadb();
  const std::string db = testing::UniqueName("model");
  ASSERT_TRUE(connection->Execute(absl::StrCat("CREATE DATABASE `", db, "` CHARACTER SET utf8mb4")).ok());
  ASSERT_TRUE(connection->Execute(absl::StrCat("USE `", db, "`")).ok());

  const char* seed_text = std::getenv("SLUICE_MODEL_SEED");
  const uint32_t seed = seed_text != nullptr ? static_cast<uint32_t>(std::strtoul(seed_text, nullptr, 10))
                                             : std::random_device()();
  SCOPED_TRACE(absl::StrCat("SLUICE_MODEL_SEED=", seed));
  Generator generate(seed, mariadb);
  SchemaModel model;
  std::vector<std::string> tables;  // the tables the model holds
  const DatabaseCharsetLookup charset = [&](const std::string& name) -> absl::StatusOr<std::string> {
    absl::StatusOr<std::optional<std::string>> found = catalog.DatabaseCharset(name);
    if (!found.ok()) return found.status();
    return found->value_or("");
  };
  int applied = 0;
  for (int step = 0; step < statements; ++step) {
    const std::string sql = generate.Statement(tables, [&](const std::string& table) {
      return model.Find(db, table);
    });
    if (!connection->Execute(sql).ok()) continue;  // refused: not in the binlog either
    ++applied;
    absl::StatusOr<DdlStatement> statement = ParseDdl(sql, db, mariadb);
    ASSERT_TRUE(statement.ok()) << sql << ": " << statement.status();
    absl::Status status = ApplyDdl(*statement, model, charset);
    ASSERT_TRUE(status.ok()) << sql << ": " << status;
    // The tables to compare: the server's, which the model must all know.
    absl::StatusOr<std::vector<TableName>> server_tables = catalog.BaseTables(db);
    ASSERT_TRUE(server_tables.ok()) << server_tables.status();
    tables.clear();
    for (const TableName& table : *server_tables) {
      tables.push_back(table.table);
      const TableStructure* modelled = model.Find(db, table.table);
      if (modelled == nullptr) {
        // Only a CREATE TABLE IF NOT EXISTS of a table the model never knew leaves one unknown;
        // the generator writes those only for tables it knows.
        ADD_FAILURE() << "after `" << sql << "` the model does not know `" << table.table << "`";
        return;
      }
      absl::StatusOr<std::optional<TableStructure>> described =
          ReadTableStructure(catalog, db, table.table);
      ASSERT_TRUE(described.ok()) << described.status();
      ASSERT_TRUE(described->has_value());
      const std::string differences = Differences(*modelled, **described);
      ASSERT_TRUE(differences.empty())
          << "after `" << sql << "` (statement " << step << "), table `" << table.table
          << "`:\n" << differences;
    }
    // Rows between statements, as a migration's data changes (refusals are fine: NOT NULL
    // columns without defaults).
    for (const std::string& table : tables) {
      (void)connection->Execute(absl::StrCat("INSERT INTO `", table, "` () VALUES ()"));
    }
  }
  std::cout << "seed " << seed << ": " << applied << " of " << statements
            << " statements applied, every table compared after each\n";
  EXPECT_GT(applied, statements / 2) << "most generated statements should be valid";
  ASSERT_TRUE(connection->Execute(absl::StrCat("DROP DATABASE `", db, "`")).ok());
}

TEST(SchemaModelProperty, MariaDb) { RunSequence(testing::MariaDbAdmin(), 80); }

TEST(SchemaModelProperty, MySql) { RunSequence(testing::MySqlAdmin(), 80); }

}  // namespace
}  // namespace sluice::mysql
