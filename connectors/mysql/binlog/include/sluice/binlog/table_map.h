// TABLE_MAP_EVENT: binds a table id to a table's name and column layout for the rows events
// that follow. With binlog_row_metadata=FULL (MySQL 8.0.1+, MariaDB 10.5+) it also carries
// column names, signedness, charsets, ENUM/SET values, geometry types, the primary key and
// column visibility, which is how Sluice knows a table's schema without parsing DDL.
#ifndef SLUICE_BINLOG_TABLE_MAP_H_
#define SLUICE_BINLOG_TABLE_MAP_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sluice/binlog/column_type.h"
#include "sluice/binlog/format_description.h"

namespace sluice::binlog {

// Optional metadata field codes (binlog_row_metadata).
enum class OptionalMetadataType : uint8_t {
  kSignedness = 1,
  kDefaultCharset = 2,
  kColumnCharset = 3,
  kColumnName = 4,
  kSetStrValue = 5,
  kEnumStrValue = 6,
  kGeometryType = 7,
  kSimplePrimaryKey = 8,
  kPrimaryKeyWithPrefix = 9,
  kEnumAndSetDefaultCharset = 10,
  kEnumAndSetColumnCharset = 11,
  kColumnVisibility = 12,
  kVectorDimensionality = 13,
};

struct ColumnInfo {
  ColumnType type = ColumnType::kNull;       // as written in the event
  ColumnType real_type = ColumnType::kNull;  // ENUM/SET/STRING resolved from STRING's metadata
  uint16_t raw_metadata = 0;                 // the metadata bytes as read, little-endian

  // Decoded metadata, by real_type:
  //   STRING/VARCHAR/VAR_STRING: max_length in bytes
  //   BLOB/TEXT/JSON/GEOMETRY/VECTOR: length_bytes (1..4) of each value's length prefix
  //   ENUM/SET: length_bytes = value size in bytes (ENUM 1-2, SET 1-8)
  //   FLOAT/DOUBLE: length_bytes = 4 or 8
  //   NEWDECIMAL: precision, scale
  //   TIME2/DATETIME2/TIMESTAMP2: fsp (0..6)
  //   BIT: bit_length (1..64)
  uint32_t max_length = 0;
  uint8_t length_bytes = 0;
  uint8_t precision = 0;
  uint8_t scale = 0;
  uint8_t fsp = 0;
  uint16_t bit_length = 0;

  bool nullable = false;

  // From optional metadata (TableMap::has_* says which fields the server sent).
  bool is_unsigned = false;
  uint32_t charset = 0;  // collation id; 0 = not sent (or not a character column)
  std::string name;      // empty when not sent
  std::vector<std::string> enum_or_set_values;  // ENUM/SET only
  uint32_t geometry_type = 0;                   // GEOMETRY only; 0 = GEOMETRY or not sent
  uint32_t vector_dimensions = 0;               // VECTOR only
  bool visible = true;                          // false for MySQL INVISIBLE columns
  bool in_primary_key = false;
  uint32_t primary_key_prefix = 0;  // bytes of a prefix key part; 0 = whole column
};

struct PrimaryKeyPart {
  uint32_t column_index = 0;
  uint32_t prefix_length = 0;  // 0 = the whole column
};

struct TableMap {
  uint64_t table_id = 0;
  uint16_t flags = 0;
  std::string database;
  std::string table;
  std::vector<ColumnInfo> columns;
  std::vector<PrimaryKeyPart> primary_key;  // empty when not sent or the table has none

  // Which optional metadata fields arrived, so a caller can refuse a table that lacks what it
  // needs (e.g. column names when binlog_row_metadata=MINIMAL).
  bool has_signedness = false;
  bool has_charsets = false;
  bool has_column_names = false;
  bool has_enum_set_values = false;
  bool has_primary_key = false;
  bool has_visibility = false;
  uint32_t default_charset = 0;
  uint32_t enum_set_default_charset = 0;
};

// Parses the event data (post-header + body, checksum already removed). `post_header_length`
// comes from the FORMAT_DESCRIPTION (6 on ancient servers: 4-byte table id). The flavor
// matters: MariaDB counts GEOMETRY among the character columns of the charset fields.
absl::StatusOr<std::shared_ptr<const TableMap>> ParseTableMap(std::span<const uint8_t> data,
                                                              uint8_t post_header_length,
                                                              ServerFlavor flavor);

// Fills the decoded metadata fields of `column` from type and raw metadata (shared with tests).
absl::Status ResolveColumnMetadata(ColumnInfo& column);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_TABLE_MAP_H_
