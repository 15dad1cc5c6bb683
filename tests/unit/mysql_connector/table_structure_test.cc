// The mapping of catalog columns to Debezium's io.debezium.connector.schema.Column (the expected
// values are what Debezium 2.7.4 wrote for the same columns on MariaDB, in the capture the
// reference tests used before tests/reference/debezium/<server>/ref.jsonl).
#include "connectors/mysql/connector/table_structure.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

CatalogColumn Row(const std::string& name, const std::string& data_type,
                        const std::string& column_type) {
  CatalogColumn row;
  row.name = name;
  row.position = 1;
  row.data_type = data_type;
  row.column_type = column_type;
  return row;
}

TEST(DescribeColumn, TypesLengthsAndScalesAsDebeziumReportsThem) {
  struct Case {
    const char* data_type;
    const char* column_type;
    int32_t jdbc;
    const char* type_name;
    int32_t length;  // -1: null
    int32_t scale;   // -1: null
  };
  const Case cases[] = {
      {"bigint", "bigint(20) unsigned", -5, "BIGINT UNSIGNED", 20, -1},
      {"tinyint", "tinyint(1)", 5, "TINYINT", 1, -1},
      {"tinyint", "tinyint(3) unsigned", 5, "TINYINT UNSIGNED", 3, -1},
      {"smallint", "smallint(5) unsigned", 5, "SMALLINT UNSIGNED", 5, -1},
      {"mediumint", "mediumint(9)", 4, "MEDIUMINT", 9, -1},
      {"int", "int(11)", 4, "INT", 11, -1},
      {"int", "int", 4, "INT", -1, -1},  // MySQL 8 drops display widths
      {"float", "float", 6, "FLOAT", -1, -1},
      {"double", "double", 8, "DOUBLE", -1, -1},
      {"decimal", "decimal(30,10)", 3, "DECIMAL", 30, 10},
      {"decimal", "decimal(5,0)", 3, "DECIMAL", 5, 0},
      {"decimal", "decimal(8,3) unsigned", 3, "DECIMAL UNSIGNED", 8, 3},
      {"year", "year(4)", 4, "YEAR", 4, -1},
      {"date", "date", 91, "DATE", -1, -1},
      {"time", "time(3)", 92, "TIME", 3, -1},
      {"datetime", "datetime", 93, "DATETIME", -1, -1},
      {"datetime", "datetime(6)", 93, "DATETIME", 6, -1},
      {"timestamp", "timestamp(2)", 2014, "TIMESTAMP", 2, -1},
      {"char", "char(10)", 1, "CHAR", 10, -1},
      {"varchar", "varchar(300)", 12, "VARCHAR", 300, -1},
      {"binary", "binary(4)", -2, "BINARY", 4, -1},
      {"varbinary", "varbinary(10)", -3, "VARBINARY", 10, -1},
      {"text", "text", 12, "TEXT", -1, -1},
      {"longtext", "longtext", 12, "LONGTEXT", -1, -1},
      {"blob", "blob", 2004, "BLOB", -1, -1},
      {"bit", "bit(12)", -7, "BIT", 12, -1},
      {"geometry", "geometry", 1111, "GEOMETRY", -1, -1},
      {"point", "point", 1111, "POINT", -1, -1},
      {"json", "json", 1111, "JSON", -1, -1},
  };
  for (const Case& c : cases) {
    const ColumnStructure column = DescribeColumn(Row("c", c.data_type, c.column_type), true);
    EXPECT_EQ(column.jdbc_type, c.jdbc) << c.column_type;
    EXPECT_EQ(column.type_name, c.type_name) << c.column_type;
    EXPECT_EQ(column.length.value_or(-1), c.length) << c.column_type;
    EXPECT_EQ(column.scale.value_or(-1), c.scale) << c.column_type;
    EXPECT_TRUE(column.enum_values.empty()) << c.column_type;
  }
}

TEST(DescribeColumn, EnumAndSetKeepTheirQuotedMembers) {
  ColumnStructure e = DescribeColumn(Row("e", "enum", "enum('red','green','it''s')"), true);
  EXPECT_EQ(e.jdbc_type, 1);
  EXPECT_EQ(e.type_name, "ENUM");
  EXPECT_EQ(e.length, 1);
  EXPECT_EQ(e.enum_values, (std::vector<std::string>{"'red'", "'green'", "'it''s'"}));
  ColumnStructure s = DescribeColumn(Row("s", "set", "set('a','b','c','d')"), true);
  EXPECT_EQ(s.type_name, "SET");
  EXPECT_EQ(s.length, 7) << "four members and three commas";
  EXPECT_EQ(s.enum_values.size(), 4u);
  // Members with a quote, a comma and a backslash, as MariaDB 10.11 writes them in COLUMN_TYPE:
  // kept as written.
  ColumnStructure odd = DescribeColumn(Row("o", "enum", R"(enum('a''b','c,d','e\\f'))"), true);
  EXPECT_EQ(odd.enum_values, (std::vector<std::string>{"'a''b'", "'c,d'", R"('e\\f')"}));
}

TEST(DescribeColumn, DefaultsAutoIncrementAndNullability) {
  CatalogColumn row = Row("id", "int", "int(11)");
  row.nullable = false;
  row.extra = "auto_increment";
  ColumnStructure id = DescribeColumn(row, true);
  EXPECT_FALSE(id.optional);
  EXPECT_TRUE(id.auto_incremented);
  EXPECT_FALSE(id.default_value.has_value());

  // MariaDB's COLUMN_DEFAULT: quoted literals, NULL spelled out, expressions as written.
  row = Row("name", "varchar", "varchar(20)");
  row.column_default = "'it''s x'";
  EXPECT_EQ(DescribeColumn(row, true).default_value, "it's x");
  row.column_default = "NULL";
  EXPECT_FALSE(DescribeColumn(row, true).default_value.has_value());
  row = Row("flag", "tinyint", "tinyint(1)");
  row.column_default = "1";
  EXPECT_EQ(DescribeColumn(row, true).default_value, "1");
  row = Row("created", "datetime", "datetime(3)");
  row.column_default = "current_timestamp(3)";
  EXPECT_EQ(DescribeColumn(row, true).default_value, "1970-01-01 00:00:00");

  // MySQL's: the bare value; expressions flagged DEFAULT_GENERATED in EXTRA.
  row = Row("name", "varchar", "varchar(20)");
  row.column_default = "x";
  EXPECT_EQ(DescribeColumn(row, false).default_value, "x");
  row = Row("created", "timestamp", "timestamp");
  row.column_default = "CURRENT_TIMESTAMP";
  row.extra = "DEFAULT_GENERATED";
  EXPECT_EQ(DescribeColumn(row, false).default_value, "1970-01-01 00:00:00");
}

}  // namespace
}  // namespace sluice::mysql
