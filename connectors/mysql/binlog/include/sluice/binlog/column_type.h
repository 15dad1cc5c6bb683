// Column type codes as they appear in TABLE_MAP events (enum_field_types).
#ifndef SLUICE_BINLOG_COLUMN_TYPE_H_
#define SLUICE_BINLOG_COLUMN_TYPE_H_

#include <cstdint>
#include <string>

namespace sluice::binlog {

enum class ColumnType : uint8_t {
  kDecimal = 0,  // pre-5.0 DECIMAL; refused when decoding values
  kTiny = 1,
  kShort = 2,
  kLong = 3,
  kFloat = 4,
  kDouble = 5,
  kNull = 6,
  kTimestamp = 7,
  kLongLong = 8,
  kInt24 = 9,
  kDate = 10,
  kTime = 11,
  kDateTime = 12,
  kYear = 13,
  kNewDate = 14,
  kVarchar = 15,
  kBit = 16,
  kTimestamp2 = 17,
  kDateTime2 = 18,
  kTime2 = 19,
  kVector = 242,  // MySQL 9
  kJson = 245,
  kNewDecimal = 246,
  kEnum = 247,
  kSet = 248,
  kTinyBlob = 249,
  kMediumBlob = 250,
  kLongBlob = 251,
  kBlob = 252,
  kVarString = 253,
  kString = 254,
  kGeometry = 255,
};

// "LONGLONG", "VARCHAR", ...; "TYPE(<code>)" for codes this library does not know.
std::string ColumnTypeName(ColumnType type);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_COLUMN_TYPE_H_
