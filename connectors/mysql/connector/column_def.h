#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_COLUMN_DEF_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_COLUMN_DEF_H_

// How one captured column becomes one field of a change event: the Debezium mapping of its
// MySQL type (FORMATS.md "Column types") under the configured handling modes, decided once per
// table version, from the table map (streaming) or from information_schema (snapshot). The
// values themselves are converted by binlog_value.h and text_value.h.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/connector/catalog.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/source_column_type.h"
#include "sluice/binlog/table_map.h"
#include "sluice/connector.h"

namespace sluice::mysql {

enum class FieldKind : uint8_t {
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kUnsignedBigintDecimal,  // BIGINT UNSIGNED, bigint.unsigned.handling.mode=precise
  kDecimal,                // DECIMAL, precise: Connect Decimal
  kDecimalDouble,
  kDecimalString,
  kText,    // character data, decoded with the column's charset
  kBinary,  // binary data, per binary.handling.mode
  kEnum,
  kSet,
  kJson,
  kBits,            // BIT(n>1): io.debezium.data.Bits
  kBitBoolean,      // BIT(1)
  kDate,            // io.debezium.time.Date
  kConnectDate,     // org.apache.kafka.connect.data.Date
  kMicroTime,       // io.debezium.time.MicroTime
  kConnectTime,     // org.apache.kafka.connect.data.Time (ms, int32)
  kTimestampMs,     // io.debezium.time.Timestamp (DATETIME(0-3))
  kMicroTimestamp,  // io.debezium.time.MicroTimestamp (DATETIME(4-6))
  kConnectTimestamp,
  kZonedTimestamp,  // TIMESTAMP: ISO-8601 UTC string
  kYear,
  kGeometry,  // struct io.debezium.data.geometry.Geometry {wkb, srid}
  kPoint,     // POINT: struct io.debezium.data.geometry.Point {x, y, wkb, srid}
  // MySQL 9 VECTOR: array of float32 io.debezium.data.FloatVector. Its datum (binlog and text
  // protocol alike) is the column's bytes, little-endian IEEE 754 floats; the change event turns
  // them into the array.
  kFloatVector,
};

// Every member is part of a table version's key (schema_cache.cc, AppendColumn), which names each
// one: a member added here is added there, or the key no longer compiles.
struct ColumnDef {
  std::string name;
  FieldKind kind = FieldKind::kText;
  bool optional = true;
  bool latin1 = false;  // character data stored as latin1: converted to UTF-8
  uint8_t precision = 0, scale = 0, fsp = 0;
  uint16_t bit_length = 0;
  uint32_t fixed_length = 0;  // BINARY(n): values zero-padded to n bytes, as Debezium pads them
  BinaryMode binary_mode = BinaryMode::kBytes;
  std::vector<std::string> values;  // ENUM / SET members
  std::string allowed;              // members joined by ","
  // The column's DEFAULT as Debezium's defaultValueExpression ("x", "1.50",
  // "1970-01-01 00:00:00" for CURRENT_TIMESTAMP); the field schema's default (DefaultDatum).
  std::optional<std::string> default_value;
  // BLOB/TEXT columns (streaming): what the field carries when a row image left the column out
  // (binlog_row_image=NOBLOB, or MINIMAL), Debezium's unavailable.value.placeholder. nullopt for
  // every other column: a row image without one of those cannot be written whole.
  std::optional<std::string> unavailable_placeholder;
  // A zero TIMESTAMP read from the binlog (0 seconds) is a zero date (null in a nullable column),
  // as Debezium 3.6.1's MySQL connector writes it on MySQL; false: the epoch, as Debezium's
  // MariaDB connector 3.0.0 writes it on MariaDB (tests/reference/debezium).
  bool zero_timestamp_is_zero_date = false;
  // The type as the server declares it (the catalog's COLUMN_TYPE): for the column policies.
  SourceColumnType source_type;
};

// What the table map cannot say, read from the catalog when a table is first seen.
struct ColumnExtras {
  bool json = false;  // MariaDB JSON (LONGTEXT with a json_valid check)
  std::optional<std::string> default_value;  // as ColumnDef::default_value
  bool zero_timestamp_is_zero_date = false;   // as ColumnDef's: MySQL's catalog
  SourceColumnType source_type;               // as ColumnDef's
};

// The mapping of one table-map column (binlog_row_metadata=FULL). InvalidArgument for a type
// that has no mapping, naming the column.
absl::StatusOr<ColumnDef> ColumnDefFromTableMap(const binlog::ColumnInfo& column,
                                                const ColumnExtras& extras,
                                                const ConnectorConfig& config);

// The mapping of one column as the catalog describes it (snapshots read tables the binlog has not
// shown yet). InvalidArgument for a type that has no mapping, naming the column.
absl::StatusOr<ColumnDef> ColumnDefFromCatalog(const CatalogColumn& column,
                                               const ColumnExtras& extras,
                                               const ConnectorConfig& config);

// What the catalog says of a column that its table map cannot: TINYINT(1) from COLUMN_TYPE, the
// DEFAULT as Debezium writes it; `json` when a MariaDB json_valid check names the column.
ColumnExtras ExtrasOf(const CatalogColumn& column, bool json, bool mariadb);

// A column as the catalog describes it, with what the table map cannot say.
struct CatalogColumnFacts {
  CatalogColumn column;
  ColumnExtras extras;
};
// A table's columns in table order, each with its extras (MariaDB's JSON columns found through
// their json_valid checks); empty when there is no such table.
absl::StatusOr<std::vector<CatalogColumnFacts>> ReadColumnFacts(Catalog& catalog,
                                                                const std::string& db,
                                                                const std::string& table);

// Debezium's defaultValueExpression for a column's COLUMN_DEFAULT and EXTRA: the literal's value
// (unquoted), "1970-01-01 00:00:00" for CURRENT_TIMESTAMP (as its DDL parser writes it), the
// expression's text otherwise; nullopt for none or NULL. `mariadb`: the server's COLUMN_DEFAULT
// is MariaDB's (10.2.7+: literals quoted, NULL spelled out) rather than MySQL's (the bare value).
std::optional<std::string> DefaultValueExpression(const std::optional<std::string>& column_default,
                                                  absl::string_view extra, bool mariadb);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_COLUMN_DEF_H_
