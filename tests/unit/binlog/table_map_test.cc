#include "sluice/binlog/table_map.h"

#include "binlog_builder.h"
#include "gtest/gtest.h"

namespace sluice::binlog {
namespace {

using testing::Bytes;
using testing::ColumnSpec;
using testing::OptionalField;
using testing::TableMapData;

// id BIGINT UNSIGNED PK, name VARCHAR(60), price DECIMAL(12,2), status ENUM('a','b'),
// tags SET('x','y','z'), shape POINT, doc BLOB, note CHAR(10) latin1, secret INT INVISIBLE.
std::vector<ColumnSpec> Columns() {
  return {
      {ColumnType::kLongLong, {}, false},
      {ColumnType::kVarchar, Bytes().U16(240)},
      {ColumnType::kNewDecimal, Bytes{12, 2}},
      {ColumnType::kString, Bytes{0xf7, 1}},
      {ColumnType::kString, Bytes{0xf8, 1}},
      {ColumnType::kGeometry, Bytes{4}},
      {ColumnType::kBlob, Bytes{2}},
      {ColumnType::kString, Bytes{0xfe, 10}},
      {ColumnType::kLong, {}},
  };
}

Bytes FullMetadata() {
  Bytes names;
  for (const char* n : {"id", "name", "price", "status", "tags", "shape", "doc", "note", "secret"})
    names.PackedStr(n);
  Bytes o;
  o.Append(OptionalField(1, Bytes{0x80}));  // signedness: id unsigned; price, secret signed
  // default charset 255; character column #1 -> 63 (binary), #2 -> 8 (latin1)
  o.Append(OptionalField(2, Bytes().Packed(255).Packed(1).Packed(63).Packed(2).Packed(8)));
  o.Append(OptionalField(4, names));
  o.Append(OptionalField(5, Bytes().Packed(3).PackedStr("x").PackedStr("y").PackedStr("z")));
  o.Append(OptionalField(6, Bytes().Packed(2).PackedStr("a").PackedStr("b")));
  o.Append(OptionalField(7, Bytes().Packed(1)));   // POINT
  o.Append(OptionalField(8, Bytes().Packed(0)));   // PRIMARY KEY (id)
  o.Append(OptionalField(10, Bytes().Packed(8)));  // ENUM/SET charset latin1
  o.Append(OptionalField(12, Bytes{0xff, 0x00}));  // secret invisible
  o.Append(OptionalField(99, Bytes{1, 2, 3}));     // a future field: skipped
  return o;
}

std::shared_ptr<const TableMap> Parse(const Bytes& data, ServerFlavor flavor) {
  auto t = ParseTableMap(data.span(), 8, flavor);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : nullptr;
}

TEST(TableMap, NamesTypesAndColumnMetadata) {
  auto t = Parse(TableMapData(0x123456789a, "shop", "orders", Columns()), ServerFlavor::kMySQL);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->table_id, 0x123456789au);
  EXPECT_EQ(t->database, "shop");
  EXPECT_EQ(t->table, "orders");
  ASSERT_EQ(t->columns.size(), 9u);
  EXPECT_FALSE(t->columns[0].nullable);
  EXPECT_TRUE(t->columns[1].nullable);
  EXPECT_EQ(t->columns[1].max_length, 240u);
  EXPECT_EQ(t->columns[2].precision, 12);
  EXPECT_EQ(t->columns[2].scale, 2);
  EXPECT_EQ(t->columns[3].real_type, ColumnType::kEnum);
  EXPECT_EQ(t->columns[3].length_bytes, 1);
  EXPECT_EQ(t->columns[4].real_type, ColumnType::kSet);
  EXPECT_EQ(t->columns[5].length_bytes, 4);
  EXPECT_EQ(t->columns[7].real_type, ColumnType::kString);
  EXPECT_EQ(t->columns[7].max_length, 10u);
  EXPECT_FALSE(t->has_column_names);
  EXPECT_FALSE(t->has_signedness);
}

TEST(TableMap, EveryOptionalMetadataFieldMySql) {
  auto t =
      Parse(TableMapData(1, "shop", "orders", Columns(), FullMetadata()), ServerFlavor::kMySQL);
  ASSERT_NE(t, nullptr);
  const auto& c = t->columns;
  EXPECT_TRUE(t->has_signedness && t->has_charsets && t->has_column_names &&
              t->has_enum_set_values && t->has_primary_key && t->has_visibility);
  EXPECT_TRUE(c[0].is_unsigned);
  EXPECT_FALSE(c[2].is_unsigned);
  EXPECT_FALSE(c[8].is_unsigned);
  EXPECT_EQ(c[0].name, "id");
  EXPECT_EQ(c[8].name, "secret");
  // MySQL's character columns: name, doc, note (geometry is not one).
  EXPECT_EQ(t->default_charset, 255u);
  EXPECT_EQ(c[1].charset, 255u);
  EXPECT_EQ(c[6].charset, 63u);
  EXPECT_EQ(c[7].charset, 8u);
  EXPECT_EQ(c[5].charset, 0u);
  EXPECT_EQ(c[3].charset, 8u);  // ENUM/SET default charset
  EXPECT_EQ(c[4].charset, 8u);
  EXPECT_EQ(c[3].enum_or_set_values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c[4].enum_or_set_values, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(c[5].geometry_type, 1u);
  ASSERT_EQ(t->primary_key.size(), 1u);
  EXPECT_EQ(t->primary_key[0].column_index, 0u);
  EXPECT_TRUE(c[0].in_primary_key);
  EXPECT_TRUE(c[7].visible);
  EXPECT_FALSE(c[8].visible);
}

TEST(TableMap, MariaDbCountsGeometryAmongCharacterColumns) {
  auto t =
      Parse(TableMapData(1, "shop", "orders", Columns(), FullMetadata()), ServerFlavor::kMariaDB);
  ASSERT_NE(t, nullptr);
  // Character columns are name, shape, doc, note: exception #1 is shape, #2 is doc.
  EXPECT_EQ(t->columns[5].charset, 63u);
  EXPECT_EQ(t->columns[6].charset, 8u);
  EXPECT_EQ(t->columns[7].charset, 255u);
}

TEST(TableMap, PerColumnCharsetsAndPrefixedPrimaryKey) {
  Bytes o;
  o.Append(OptionalField(3, Bytes().Packed(45).Packed(63).Packed(8)));
  o.Append(OptionalField(11, Bytes().Packed(33).Packed(45)));
  o.Append(OptionalField(9, Bytes().Packed(1).Packed(10).Packed(0).Packed(0)));
  auto t = Parse(TableMapData(1, "d", "t", Columns(), o), ServerFlavor::kMySQL);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->columns[1].charset, 45u);
  EXPECT_EQ(t->columns[6].charset, 63u);
  EXPECT_EQ(t->columns[7].charset, 8u);
  EXPECT_EQ(t->columns[3].charset, 33u);
  EXPECT_EQ(t->columns[4].charset, 45u);
  ASSERT_EQ(t->primary_key.size(), 2u);
  EXPECT_EQ(t->primary_key[0].column_index, 1u);
  EXPECT_EQ(t->primary_key[0].prefix_length, 10u);
  EXPECT_EQ(t->columns[1].primary_key_prefix, 10u);
  EXPECT_EQ(t->primary_key[1].column_index, 0u);
}

TEST(TableMap, BadInputIsAnErrorAtEveryCut) {
  Bytes full = TableMapData(1, "shop", "orders", Columns(), FullMetadata());
  // Cuts inside the mandatory part must fail; cuts inside optional metadata may fail or
  // succeed partially, but never crash.
  size_t mandatory = TableMapData(1, "shop", "orders", Columns()).size();
  for (size_t cut = 0; cut < full.size(); ++cut) {
    auto t = ParseTableMap(full.span().first(cut), 8, ServerFlavor::kMySQL);
    if (cut < mandatory) {
      EXPECT_FALSE(t.ok()) << "cut at " << cut;
    }
  }
}

TEST(TableMap, OutOfRangeIndexesAreErrors) {
  auto bad_pk = ParseTableMap(
      TableMapData(1, "d", "t", Columns(), OptionalField(8, Bytes().Packed(40))).span(), 8,
      ServerFlavor::kMySQL);
  EXPECT_FALSE(bad_pk.ok());
  auto bad_charset = ParseTableMap(
      TableMapData(1, "d", "t", Columns(), OptionalField(2, Bytes().Packed(8).Packed(9).Packed(8)))
          .span(),
      8, ServerFlavor::kMySQL);
  EXPECT_FALSE(bad_charset.ok());
  Bytes huge_count;
  huge_count.U48(1).U16(0).U8(1).Str("d").U8(0).U8(1).Str("t").U8(0).Packed(1000000);
  EXPECT_FALSE(ParseTableMap(huge_count.span(), 8, ServerFlavor::kMySQL).ok());
}

}  // namespace
}  // namespace sluice::binlog
