// The column mapping (column_def.h) and the value conversions (binlog_value.h, text_value.h,
// value_encoding.h).
#include "connectors/mysql/connector/column_def.h"

#include <string>
#include <vector>

#include "connectors/mysql/connector/binlog_value.h"
#include "connectors/mysql/connector/text_value.h"
#include "connectors/mysql/connector/value_encoding.h"
#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

using binlog::ColumnInfo;
using binlog::ColumnType;
using binlog::ColumnValue;

std::string Bytes(const sluice_datum& d) {
  return std::string(reinterpret_cast<const char*>(d.u.bytes.ptr), d.u.bytes.len);
}
std::string Text(const sluice_datum& d) { return std::string(d.u.str.ptr, d.u.str.len); }

ColumnInfo Column(ColumnType type, bool is_unsigned = false) {
  ColumnInfo column;
  column.type = column.real_type = type;
  column.is_unsigned = is_unsigned;
  column.name = "c";
  column.nullable = true;
  return column;
}

FieldKind KindOf(const ColumnInfo& column, ColumnExtras extras = {}, ConnectorConfig config = {}) {
  absl::StatusOr<ColumnDef> def = ColumnDefFromTableMap(column, extras, config);
  EXPECT_TRUE(def.ok()) << def.status();
  return def.ok() ? def->kind : FieldKind::kText;
}

TEST(MySqlColumnDef, IntegerWidthsFollowSignednessAsDebeziumMapsThem) {
  EXPECT_EQ(KindOf(Column(ColumnType::kTiny)), FieldKind::kInt16);
  EXPECT_EQ(KindOf(Column(ColumnType::kTiny, true)), FieldKind::kInt16);
  EXPECT_EQ(KindOf(Column(ColumnType::kShort)), FieldKind::kInt16);
  EXPECT_EQ(KindOf(Column(ColumnType::kShort, true)), FieldKind::kInt32);
  EXPECT_EQ(KindOf(Column(ColumnType::kInt24, true)), FieldKind::kInt32);
  EXPECT_EQ(KindOf(Column(ColumnType::kLong)), FieldKind::kInt32);
  EXPECT_EQ(KindOf(Column(ColumnType::kLong, true)), FieldKind::kInt64);
  EXPECT_EQ(KindOf(Column(ColumnType::kLongLong, true)), FieldKind::kInt64);
  ConnectorConfig precise;
  precise.bigint_unsigned_mode = BigintUnsignedMode::kPrecise;
  EXPECT_EQ(KindOf(Column(ColumnType::kLongLong, true), {}, precise),
            FieldKind::kUnsignedBigintDecimal);
  // TINYINT(1) (BOOLEAN in the DDL) is int16 like any TINYINT, as Debezium 3.6.1 writes it in
  // the snapshot and while streaming (tests/reference/debezium).
  EXPECT_EQ(KindOf(Column(ColumnType::kTiny)), FieldKind::kInt16);
}

TEST(MySqlColumnDef, StringsBlobsJsonAndTemporalModes) {
  ColumnInfo blob = Column(ColumnType::kBlob);
  blob.charset = 63;
  EXPECT_EQ(KindOf(blob), FieldKind::kBinary);
  ColumnInfo text = Column(ColumnType::kBlob);
  text.charset = 45;  // utf8mb4_general_ci
  EXPECT_EQ(KindOf(text), FieldKind::kText);
  ColumnExtras json;
  json.json = true;
  EXPECT_EQ(KindOf(text, json), FieldKind::kJson) << "MariaDB JSON is LONGTEXT in the binlog";
  EXPECT_EQ(KindOf(Column(ColumnType::kJson)), FieldKind::kJson) << "MySQL's binary JSON";
  ColumnInfo fixed = Column(ColumnType::kString);
  fixed.real_type = ColumnType::kString;
  fixed.charset = 63;
  fixed.max_length = 4;
  absl::StatusOr<ColumnDef> binary4 = ColumnDefFromTableMap(fixed, {}, ConnectorConfig{});
  ASSERT_TRUE(binary4.ok());
  EXPECT_EQ(binary4->kind, FieldKind::kBinary);
  EXPECT_EQ(binary4->fixed_length, 4u) << "BINARY(4) values are padded back to 4 bytes";
  ColumnInfo point = Column(ColumnType::kGeometry);
  point.geometry_type = 1;
  EXPECT_EQ(KindOf(point), FieldKind::kPoint);
  ColumnInfo datetime = Column(ColumnType::kDateTime2);
  datetime.fsp = 3;
  EXPECT_EQ(KindOf(datetime), FieldKind::kTimestampMs);
  datetime.fsp = 4;
  EXPECT_EQ(KindOf(datetime), FieldKind::kMicroTimestamp);
  ConnectorConfig connect;
  connect.time_precision_mode = TimePrecisionMode::kConnect;
  EXPECT_EQ(KindOf(datetime, {}, connect), FieldKind::kConnectTimestamp);
  EXPECT_EQ(KindOf(Column(ColumnType::kTime2), {}, connect), FieldKind::kConnectTime);
  EXPECT_EQ(KindOf(Column(ColumnType::kTimestamp2)), FieldKind::kZonedTimestamp);
  ColumnInfo bit = Column(ColumnType::kBit);
  bit.bit_length = 1;
  EXPECT_EQ(KindOf(bit), FieldKind::kBitBoolean);
  bit.bit_length = 9;
  EXPECT_EQ(KindOf(bit), FieldKind::kBits);
}

TEST(MySqlColumnDef, IsoTimestamps) {
  EXPECT_EQ(ZonedTimestampText(1529501823, 0, 0), "2018-06-20T13:37:03Z");
  EXPECT_EQ(ZonedTimestampText(1529501823, 500000, 3), "2018-06-20T13:37:03.500Z");
  EXPECT_EQ(ZonedTimestampText(1529501823, 123456, 6), "2018-06-20T13:37:03.123456Z");
}

TEST(MySqlColumnDef, UnscaledTwosComplementLikeJavasBigInteger) {
  uint8_t out[9];
  EXPECT_EQ(UnsignedToTwosComplement(0, out), 1u);
  EXPECT_EQ(out[0], 0);
  ASSERT_EQ(UnsignedToTwosComplement(255, out), 2u);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 255);
  ASSERT_EQ(UnsignedToTwosComplement(UINT64_MAX, out), 9u);
  EXPECT_EQ(out[0], 0);
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(DecimalTextToUnscaled("-12.34", 2, &bytes));
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0xFB, 0x2E}));
  ASSERT_TRUE(DecimalTextToUnscaled("1.5", 2, &bytes));
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0x00, 0x96})) << "150 needs a sign byte";
  ASSERT_TRUE(DecimalTextToUnscaled("1.28", 2, &bytes));
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0x00, 0x80}));
  ASSERT_TRUE(DecimalTextToUnscaled("-1.28", 2, &bytes));
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0x80}));
  ASSERT_TRUE(DecimalTextToUnscaled("0.00", 2, &bytes));
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0}));
  EXPECT_FALSE(DecimalTextToUnscaled("1e5", 0, &bytes));
}

TEST(MySqlColumnDef, BinlogValuesConvertAsFormatsSays) {
  Scratch scratch;
  ColumnDef def;
  def.kind = FieldKind::kEnum;
  def.values = {"x", "y"};
  absl::StatusOr<sluice_datum> d = DatumFromBinlog(ColumnValue::Enum(2), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Text(*d), "y");
  def.kind = FieldKind::kSet;
  def.values = {"a", "b", "c"};
  d = DatumFromBinlog(ColumnValue::Set(0b101), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Text(*d), "a,c");

  def = ColumnDef();
  def.kind = FieldKind::kBits;
  def.bit_length = 12;
  const uint8_t bits[] = {0x0A, 0xAA};
  d = DatumFromBinlog(ColumnValue::Bytes(binlog::ValueKind::kBit, bits, 2, 12), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Bytes(*d), std::string("\xAA\x0A", 2)) << "little-endian";

  def = ColumnDef();
  def.kind = FieldKind::kDate;
  def.optional = true;
  d = DatumFromBinlog(ColumnValue::OfDate({0, 0, 0}), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, SLUICE_DATUM_NULL) << "a zero date in a nullable column is null";
  def.optional = false;
  d = DatumFromBinlog(ColumnValue::OfDate({0, 0, 0}), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, SLUICE_DATUM_INT);
  EXPECT_EQ(d->u.i, 0) << "else the epoch";

  def.kind = FieldKind::kTimestampMs;
  d = DatumFromBinlog(ColumnValue::OfDateTime({2018, 6, 20, 6, 37, 3, 123000}, 3), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->u.i, 1529476623123);
  def.kind = FieldKind::kMicroTimestamp;
  d = DatumFromBinlog(ColumnValue::OfDateTime({2018, 6, 20, 6, 37, 3, 123456}, 6), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->u.i, 1529476623123456);
  def.kind = FieldKind::kMicroTime;
  d = DatumFromBinlog(ColumnValue::OfTime({true, 12, 34, 56, 789000}, 3), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->u.i, -45296789000);
  def.kind = FieldKind::kZonedTimestamp;
  def.fsp = 0;
  d = DatumFromBinlog(ColumnValue::OfTimestamp({1529501823, 0}, 0), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Text(*d), "2018-06-20T13:37:03Z");

  def = ColumnDef();
  def.kind = FieldKind::kText;
  def.latin1 = true;
  const uint8_t latin1[] = {'c', 0xE9};
  d = DatumFromBinlog(ColumnValue::Bytes(binlog::ValueKind::kString, latin1, 2), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Text(*d), "c\xC3\xA9");

  def = ColumnDef();
  def.kind = FieldKind::kBinary;
  def.binary_mode = BinaryMode::kHex;
  const uint8_t raw[] = {0xFF, 0x01};
  d = DatumFromBinlog(ColumnValue::Bytes(binlog::ValueKind::kString, raw, 2), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Text(*d), "ff01");
  def.binary_mode = BinaryMode::kBase64;
  d = DatumFromBinlog(ColumnValue::Bytes(binlog::ValueKind::kString, raw, 2), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Text(*d), "/wE=");
  def.binary_mode = BinaryMode::kBase64UrlSafe;
  d = DatumFromBinlog(ColumnValue::Bytes(binlog::ValueKind::kString, raw, 2), def, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Text(*d), "_wE=");
}

TEST(MySqlColumnDef, SnapshotTextConvertsToTheSameValues) {
  Scratch scratch;
  ConnectorConfig config;
  CatalogColumn column;
  column.name = "e";
  column.data_type = "enum";
  column.column_type = "enum('a','it''s','c')";
  absl::StatusOr<ColumnDef> def = ColumnDefFromCatalog(column, ExtrasOf(column, false, true), config);
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->kind, FieldKind::kEnum);
  EXPECT_EQ(def->allowed, "a,it's,c");

  column.data_type = "tinyint";
  column.column_type = "tinyint(1)";
  def = ColumnDefFromCatalog(column, ExtrasOf(column, false, true), config);
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->kind, FieldKind::kInt16);
  absl::StatusOr<sluice_datum> flag = DatumFromText("1", false, *def, scratch);
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(flag->kind, SLUICE_DATUM_INT);
  EXPECT_EQ(flag->u.i, 1);
  column.column_type = "tinyint(4)";
  def = ColumnDefFromCatalog(column, ExtrasOf(column, false, true), config);
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->kind, FieldKind::kInt16);

  column.data_type = "longtext";
  column.column_type = "longtext";
  def = ColumnDefFromCatalog(column, ExtrasOf(column, /*json=*/true, true), config);  // MariaDB's
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->kind, FieldKind::kJson);

  ColumnDef temporal;
  temporal.kind = FieldKind::kMicroTimestamp;
  absl::StatusOr<sluice_datum> d =
      DatumFromText("2018-06-20 06:37:03.123456", false, temporal, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->u.i, 1529476623123456);
  temporal.kind = FieldKind::kMicroTime;
  d = DatumFromText("-12:34:56.789", false, temporal, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->u.i, -45296789000);
  temporal.kind = FieldKind::kZonedTimestamp;
  temporal.fsp = 3;
  d = DatumFromText("2018-06-20 13:37:03.500", false, temporal, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Text(*d), "2018-06-20T13:37:03.500Z");
  temporal.kind = FieldKind::kMicroTime;
  d = DatumFromText("838:59:59", false, temporal, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->u.i, ((838LL * 60 + 59) * 60 + 59) * 1000000) << "TIME's hours go past 24";
  temporal.kind = FieldKind::kDate;
  d = DatumFromText("2018-06-20", false, temporal, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->u.i, 17702);
  temporal.kind = FieldKind::kMicroTimestamp;
  d = DatumFromText("2018-06-20 06:37:03", false, temporal, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->u.i, 1529476623000000) << "no fraction";
  // Text that is not the server's canonical form is refused, naming it, not read as zeros.
  for (const char* malformed : {"2018-06-20", "2018-06-20T06:37:03", "2018-06-20 06:37", "", "x"}) {
    EXPECT_FALSE(DatumFromText(malformed, false, temporal, scratch).ok()) << malformed;
  }
  temporal.kind = FieldKind::kDate;
  for (const char* malformed : {"2018/06/20", "2018-06", "-2018-06-20"}) {
    EXPECT_FALSE(DatumFromText(malformed, false, temporal, scratch).ok()) << malformed;
  }
  ColumnDef decimal;
  decimal.kind = FieldKind::kDecimalString;
  d = DatumFromText("-12.34", false, decimal, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Text(*d), "-12.34");
  d = DatumFromText("", true, decimal, scratch);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, SLUICE_DATUM_NULL);
}

TEST(MySqlColumnDef, DefaultsConvertAsValuesOfTheColumn) {
  Scratch scratch;
  ColumnDef date;
  date.kind = FieldKind::kDate;
  date.default_value = "2000-01-01";
  absl::StatusOr<std::optional<sluice_datum>> value = DefaultDatum(date, scratch);
  ASSERT_TRUE(value.ok() && value->has_value());
  EXPECT_EQ((*value)->u.i, 10957);
  ColumnDef text;
  text.kind = FieldKind::kText;
  EXPECT_FALSE(DefaultDatum(text, scratch)->has_value()) << "no DEFAULT";
  text.default_value = "x";
  value = DefaultDatum(text, scratch);
  ASSERT_TRUE(value.ok() && value->has_value());
  EXPECT_EQ(std::string((*value)->u.str.ptr, (*value)->u.str.len), "x");
  ColumnDef bit;
  bit.kind = FieldKind::kBits;
  bit.bit_length = 12;
  bit.default_value = "b'101'";
  value = DefaultDatum(bit, scratch);
  ASSERT_TRUE(value.ok() && value->has_value());
  ASSERT_EQ((*value)->u.bytes.len, 2u);
  EXPECT_EQ((*value)->u.bytes.ptr[0], 5) << "little-endian, as Bits values are";
  ColumnDef ts;
  ts.kind = FieldKind::kZonedTimestamp;
  ts.default_value = "1970-01-01 00:00:00";  // CURRENT_TIMESTAMP, as Debezium declares it
  value = DefaultDatum(ts, scratch);
  ASSERT_TRUE(value.ok() && value->has_value());
  EXPECT_EQ(std::string((*value)->u.str.ptr, (*value)->u.str.len), "1970-01-01T00:00:00Z");
  ColumnDef blob;
  blob.kind = FieldKind::kBinary;
  blob.default_value = "abc";
  EXPECT_FALSE(DefaultDatum(blob, scratch)->has_value()) << "binary defaults are not carried";
}

TEST(MySqlColumnDef, PointCoordinatesReadEitherByteOrder) {
  // POINT(1.5, -2), little-endian WKB.
  const uint8_t little[] = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F,
                            0, 0, 0, 0, 0, 0, 0, 0xC0};
  double x = 0, y = 0;
  ASSERT_TRUE(PointCoordinates(little, &x, &y));
  EXPECT_EQ(x, 1.5);
  EXPECT_EQ(y, -2.0);
  const uint8_t big[] = {0, 0, 0, 0, 1, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0,
                         0xC0, 0, 0, 0, 0, 0, 0, 0};
  ASSERT_TRUE(PointCoordinates(big, &x, &y));
  EXPECT_EQ(x, 1.5);
  EXPECT_EQ(y, -2.0);
  const uint8_t line[] = {1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_FALSE(PointCoordinates(line, &x, &y));
}

TEST(MySqlColumnDef, VectorIsAFloatVectorReadAsItsBytesFromBinlogAndSnapshot) {
  ColumnInfo vector = Column(ColumnType::kVector);
  vector.length_bytes = 4;
  vector.vector_dimensions = 2;
  EXPECT_EQ(KindOf(vector), FieldKind::kFloatVector);
  CatalogColumn catalog;
  catalog.name = "v";
  catalog.data_type = "vector";
  catalog.column_type = "vector(2)";
  absl::StatusOr<ColumnDef> from_catalog = ColumnDefFromCatalog(catalog, {}, ConnectorConfig{});
  ASSERT_TRUE(from_catalog.ok()) << from_catalog.status();
  EXPECT_EQ(from_catalog->kind, FieldKind::kFloatVector);
  // [1.5, -2] as MySQL stores it: little-endian floats. Both paths hand the bytes on; the change
  // event makes the array (ChangeEvents::FloatVectorDatum).
  const uint8_t stored[] = {0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0};
  Scratch scratch;
  absl::StatusOr<sluice_datum> streamed = DatumFromBinlog(
      ColumnValue::Bytes(binlog::ValueKind::kString, stored, sizeof stored), *from_catalog, scratch);
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(Bytes(*streamed), std::string(reinterpret_cast<const char*>(stored), sizeof stored));
  absl::StatusOr<sluice_datum> snapshot = DatumFromText(
      absl::string_view(reinterpret_cast<const char*>(stored), sizeof stored), false,
      *from_catalog, scratch);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(Bytes(*snapshot), Bytes(*streamed));
}

TEST(MySqlColumnDef, AColumnARowImageLeftOutIsThePlaceholderForBlobsAndAnErrorOtherwise) {
  ConnectorConfig config;
  config.unavailable_placeholder = "__gone";
  ColumnInfo text = Column(ColumnType::kBlob);
  text.charset = 45;
  ColumnInfo blob = Column(ColumnType::kBlob);
  blob.charset = 63;
  ColumnInfo number = Column(ColumnType::kLong);
  ColumnInfo varchar = Column(ColumnType::kVarchar);
  varchar.charset = 45;
  Scratch scratch;
  const ColumnValue absent = ColumnValue::Absent();
  // binlog_row_image=NOBLOB leaves out BLOB/TEXT columns a change did not touch: Debezium writes
  // unavailable.value.placeholder there, as text or as its bytes.
  absl::StatusOr<ColumnDef> text_def = ColumnDefFromTableMap(text, {}, config);
  ASSERT_TRUE(text_def.ok());
  absl::StatusOr<sluice_datum> value = DatumFromBinlog(absent, *text_def, scratch);
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(Text(*value), "__gone");
  absl::StatusOr<ColumnDef> blob_def = ColumnDefFromTableMap(blob, {}, config);
  ASSERT_TRUE(blob_def.ok());
  value = DatumFromBinlog(absent, *blob_def, scratch);
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(Bytes(*value), "__gone");
  blob_def->binary_mode = BinaryMode::kHex;
  value = DatumFromBinlog(absent, *blob_def, scratch);
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(Text(*value), "5f5f676f6e65") << "encoded as the column's values are";
  // Any other column left out (binlog_row_image=MINIMAL) would be a wrong value: an error that
  // names the column and the setting.
  for (const ColumnInfo& column : {number, varchar}) {
    absl::StatusOr<ColumnDef> def = ColumnDefFromTableMap(column, {}, config);
    ASSERT_TRUE(def.ok());
    EXPECT_FALSE(def->unavailable_placeholder.has_value());
    value = DatumFromBinlog(absent, *def, scratch);
    EXPECT_TRUE(absl::IsFailedPrecondition(value.status())) << value.status();
    EXPECT_NE(value.status().message().find("column `c`"), std::string::npos) << value.status();
    EXPECT_NE(value.status().message().find("binlog_row_image=MINIMAL"), std::string::npos);
  }
  // A null is a null, whatever the column.
  value = DatumFromBinlog(ColumnValue::Null(), *text_def, scratch);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->kind, SLUICE_DATUM_NULL);
}

}  // namespace
}  // namespace sluice::mysql
