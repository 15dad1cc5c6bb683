// The schema model against a table map (schema_model_check.h): count, names and types.
#include "connectors/mysql/connector/schema_model_check.h"

#include <string>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

ColumnStructure Column(const std::string& name, const std::string& type_name) {
  ColumnStructure column;
  column.name = name;
  column.type_name = type_name;
  return column;
}

binlog::ColumnInfo MapColumn(const std::string& name, binlog::ColumnType type) {
  binlog::ColumnInfo column;
  column.name = name;
  column.type = column.real_type = type;
  return column;
}

TEST(ModelMismatch, AgreesWithTheTableMapItDescribes) {
  TableStructure model;
  model.columns = {Column("id", "INT UNSIGNED"), Column("v", "VARCHAR"), Column("t", "TEXT"),
                   Column("e", "ENUM"), Column("d", "DATETIME")};
  binlog::TableMap map;
  map.has_column_names = true;
  map.columns = {MapColumn("id", binlog::ColumnType::kLong),
                 MapColumn("V", binlog::ColumnType::kVarchar),  // names: case-insensitive
                 MapColumn("t", binlog::ColumnType::kBlob),
                 MapColumn("e", binlog::ColumnType::kEnum),
                 MapColumn("d", binlog::ColumnType::kDateTime2)};
  EXPECT_EQ(ModelMismatch(model, map), std::nullopt);

  binlog::TableMap shorter = map;
  shorter.columns.pop_back();
  EXPECT_EQ(ModelMismatch(model, shorter).value_or(""), "the binlog has 4 columns, the model 5");

  binlog::TableMap renamed = map;
  renamed.columns[1].name = "w";
  EXPECT_EQ(ModelMismatch(model, renamed).value_or(""),
            "column 2 is `w` in the binlog, `v` in the model");
  renamed.has_column_names = false;  // binlog_row_metadata=MINIMAL: names are not compared
  EXPECT_EQ(ModelMismatch(model, renamed), std::nullopt);

  binlog::TableMap retyped = map;
  retyped.columns[0].type = retyped.columns[0].real_type = binlog::ColumnType::kLongLong;
  EXPECT_NE(ModelMismatch(model, retyped).value_or("").find("column `id`"), std::string::npos);
}

}  // namespace
}  // namespace sluice::mysql
