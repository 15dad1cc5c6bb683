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
#include "connectors/mysql/connector/config.h"
#include "sluice/binlog/table_map.h"
#include "sluice/connector.h"

namespace sluice::mysql {

enum class FieldKind : uint8_t {
  kInt16,
  kInt32,
  kInt64,
  kBoolean,  // TINYINT(1) (BOOLEAN in the DDL): boolean, as FORMATS.md says
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
};

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
};

// What the table map cannot say, read from information_schema when a table is first seen.
struct ColumnExtras {
  bool tinyint1 = false;  // TINYINT(1): BOOLEAN in the DDL
  bool json = false;      // MariaDB JSON (LONGTEXT with a json_valid check)
  std::optional<std::string> default_value;  // as ColumnDef::default_value
};

// The mapping of one table-map column (binlog_row_metadata=FULL). InvalidArgument for a type
// that has no mapping (e.g. MySQL 9 VECTOR), naming the column.
absl::StatusOr<ColumnDef> ColumnDefFromTableMap(const binlog::ColumnInfo& column,
                                                const ColumnExtras& extras,
                                                const ConnectorConfig& config);

// One row of information_schema.COLUMNS, for snapshots of tables the binlog has not shown yet.
struct InfoSchemaColumn {
  std::string name;
  std::string data_type;    // DATA_TYPE, lower case: "int", "varchar", ...
  std::string column_type;  // COLUMN_TYPE: "int(10) unsigned", "tinyint(1)", "enum('a','b')"
  bool nullable = true;
  std::string charset;  // CHARACTER_SET_NAME; empty for non-character columns
  int precision = 0, scale = 0, datetime_precision = 0;
  bool json = false;  // MariaDB JSON (LONGTEXT with a json_valid check)
  std::optional<std::string> default_value;  // as ColumnDef::default_value
};
absl::StatusOr<ColumnDef> ColumnDefFromInfoSchema(const InfoSchemaColumn& column,
                                                  const ConnectorConfig& config);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_COLUMN_DEF_H_
