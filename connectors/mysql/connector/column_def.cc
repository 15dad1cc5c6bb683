#include "connectors/mysql/connector/column_def.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "sluice/binlog/json_binary.h"

namespace sluice::mysql {
namespace {

using binlog::ColumnType;
using binlog::ValueKind;

constexpr uint32_t kBinaryCollation = 63;

bool IsLatin1Collation(uint32_t id) {
  switch (id) {
    case 5:
    case 8:
    case 15:
    case 31:
    case 47:
    case 48:
    case 49:
    case 94:
      return true;
    default:
      return false;
  }
}

FieldKind TemporalDate(const ConnectorConfig& config) {
  return config.time_precision_mode == TimePrecisionMode::kConnect ? FieldKind::kConnectDate
                                                                   : FieldKind::kDate;
}
FieldKind TemporalTime(const ConnectorConfig& config) {
  return config.time_precision_mode == TimePrecisionMode::kConnect ? FieldKind::kConnectTime
                                                                   : FieldKind::kMicroTime;
}
FieldKind TemporalDateTime(const ConnectorConfig& config, unsigned fsp) {
  if (config.time_precision_mode == TimePrecisionMode::kConnect) {
    return FieldKind::kConnectTimestamp;
  }
  return fsp <= 3 ? FieldKind::kTimestampMs : FieldKind::kMicroTimestamp;
}
FieldKind DecimalKind(const ConnectorConfig& config) {
  switch (config.decimal_mode) {
    case DecimalMode::kDouble:
      return FieldKind::kDecimalDouble;
    case DecimalMode::kString:
      return FieldKind::kDecimalString;
    case DecimalMode::kPrecise:
      break;
  }
  return FieldKind::kDecimal;
}

void SetMembers(ColumnDef& def, std::vector<std::string> values) {
  def.allowed = absl::StrJoin(values, ",");
  def.values = std::move(values);
}

// Latin-1 bytes to UTF-8.
absl::string_view Latin1ToUtf8(absl::string_view in, std::string& out) {
  out.clear();
  for (unsigned char c : in) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

void Base64(const uint8_t* data, size_t size, bool url_safe, std::string& out) {
  static const char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* alphabet = url_safe ? kUrl : kStd;
  out.clear();
  size_t i = 0;
  for (; i + 2 < size; i += 3) {
    uint32_t n = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(alphabet[(n >> 6) & 63]);
    out.push_back(alphabet[n & 63]);
  }
  if (i < size) {
    uint32_t n = uint32_t{data[i]} << 16;
    if (i + 1 < size) n |= uint32_t{data[i + 1]} << 8;
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < size ? alphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
}

sluice_datum BinaryDatum(const uint8_t* data, size_t size, const ColumnDef& def, Scratch& scratch) {
  switch (def.binary_mode) {
    case BinaryMode::kBytes:
      return sluice_datum_bytes(data, size);
    case BinaryMode::kBase64:
    case BinaryMode::kBase64UrlSafe:
      Base64(data, size, def.binary_mode == BinaryMode::kBase64UrlSafe, scratch.text);
      return sluice_datum_string(scratch.text.data(), scratch.text.size());
    case BinaryMode::kHex: {
      static const char kHex[] = "0123456789abcdef";
      scratch.text.clear();
      for (size_t i = 0; i < size; ++i) {
        scratch.text.push_back(kHex[data[i] >> 4]);
        scratch.text.push_back(kHex[data[i] & 15]);
      }
      return sluice_datum_string(scratch.text.data(), scratch.text.size());
    }
  }
  return sluice_datum_bytes(data, size);
}

// BIT values: big-endian in the server, little-endian (Debezium's Bits) in the event.
sluice_datum BitsDatum(const uint8_t* data, size_t size, const ColumnDef& def, Scratch& scratch) {
  const size_t width = (def.bit_length + 7) / 8;
  scratch.bytes.assign(width, 0);
  for (size_t i = 0; i < size && i < width; ++i) scratch.bytes[i] = data[size - 1 - i];
  return sluice_datum_bytes(scratch.bytes.data(), scratch.bytes.size());
}

sluice_datum TextDatum(absl::string_view text, Scratch& scratch) {
  scratch.text.assign(text.data(), text.size());
  return sluice_datum_string(scratch.text.data(), scratch.text.size());
}

sluice_datum ZeroTemporal(const ColumnDef& def, Scratch& scratch) {
  // As Debezium: null, which a required field with a default replaces with the default.
  if (def.optional || def.default_value.has_value()) return sluice_datum_null();
  if (def.kind == FieldKind::kZonedTimestamp) return TextDatum("1970-01-01T00:00:00Z", scratch);
  return sluice_datum_int(0);
}

int64_t DateTimeMicros(const binlog::DateTime& dt) {
  const int64_t days = DaysFromCivil(dt.year, dt.month, dt.day);
  return ((days * 24 + dt.hour) * 60 + dt.minute) * 60 * 1000000 + int64_t{dt.second} * 1000000 +
         dt.micros;
}

sluice_datum DateTimeDatum(int64_t micros, const ColumnDef& def) {
  if (def.kind == FieldKind::kMicroTimestamp) return sluice_datum_int(micros);
  // Milliseconds, rounding toward negative infinity like Java's Math.floorDiv.
  int64_t ms = micros / 1000;
  if (micros % 1000 < 0) --ms;
  return sluice_datum_int(ms);
}

sluice_datum TimeDatum(int64_t micros, const ColumnDef& def) {
  if (def.kind == FieldKind::kConnectTime) return sluice_datum_int(micros / 1000);
  return sluice_datum_int(micros);
}

sluice_datum DecimalFromText(absl::string_view text, const ColumnDef& def, Scratch& scratch,
                             bool* ok) {
  *ok = true;
  switch (def.kind) {
    case FieldKind::kDecimalDouble: {
      scratch.text.assign(text.data(), text.size());
      return sluice_datum_float(std::strtod(scratch.text.c_str(), nullptr));
    }
    case FieldKind::kDecimalString:
      return TextDatum(text, scratch);
    default:
      *ok = DecimalTextToUnscaled(text, def.scale, &scratch.bytes);
      return sluice_datum_bytes(scratch.bytes.data(), scratch.bytes.size());
  }
}

absl::Status Unsupported(const ColumnDef& def, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("column `", def.name, "`: cannot convert ", what, " to its event field"));
}

// "enum('a','b''c')" → {"a", "b'c"}.
std::vector<std::string> ParseMembers(absl::string_view column_type) {
  std::vector<std::string> members;
  size_t open = column_type.find('(');
  if (open == absl::string_view::npos) return members;
  size_t i = open + 1;
  while (i < column_type.size() && column_type[i] == '\'') {
    std::string member;
    ++i;
    while (i < column_type.size()) {
      if (column_type[i] == '\'') {
        if (i + 1 < column_type.size() && column_type[i + 1] == '\'') {
          member.push_back('\'');
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      member.push_back(column_type[i++]);
    }
    members.push_back(std::move(member));
    if (i < column_type.size() && column_type[i] == ',') ++i;
  }
  return members;
}

// Reads the unsigned numbers at the start of `text`, separated by `separators` in order ("-- ::"
// for "2018-06-20 06:37:03"), as sscanf("%u-%u-%u %u:%u:%u") would for the server's canonical
// text, without its cost (sscanf was 6% of a snapshot's CPU, perf). What follows the last number
// (a fraction) is left to the caller. False when a number is missing or a separator differs.
template <size_t N>
bool ReadNumbers(absl::string_view text, absl::string_view separators, unsigned (&out)[N]) {
  static_assert(N > 0);
  size_t i = 0;
  for (size_t n = 0; n < N; ++n) {
    if (n > 0) {
      if (n - 1 >= separators.size() || i >= text.size() || text[i] != separators[n - 1]) {
        return false;
      }
      ++i;
    }
    const size_t start = i;
    unsigned value = 0;
    // Nine digits at most: no overflow, and more than any date or time field has.
    while (i < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[i])) &&
           i - start < 9) {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    if (i == start) return false;
    out[n] = value;
  }
  return true;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string ZonedTimestampText(int64_t epoch_seconds, uint32_t micros, unsigned fsp) {
  int64_t days = epoch_seconds / 86400;
  int64_t rest = epoch_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  // civil_from_days
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t year = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  year += month <= 2;
  char buffer[64];
  int n = std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02uT%02d:%02d:%02d",
                        static_cast<long long>(year), month, day, static_cast<int>(rest / 3600),
                        static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  std::string text(buffer, static_cast<size_t>(n));
  if (fsp > 0) {
    char fraction[8];
    std::snprintf(fraction, sizeof(fraction), "%06u", micros % 1000000);
    text.push_back('.');
    text.append(fraction, std::min<unsigned>(fsp, 6));
  }
  text.push_back('Z');
  return text;
}

size_t UnsignedToTwosComplement(uint64_t value, uint8_t out[9]) {
  uint8_t be[9];
  be[0] = 0;
  for (int i = 0; i < 8; ++i) be[8 - i] = static_cast<uint8_t>(value >> (8 * i));
  // Drop leading bytes while the next byte's sign bit keeps the value positive.
  size_t start = 0;
  while (start < 8 && be[start] == 0 && (be[start + 1] & 0x80) == 0) ++start;
  std::copy(be + start, be + 9, out);
  return 9 - start;
}

bool DecimalTextToUnscaled(absl::string_view text, unsigned scale, std::vector<uint8_t>* out) {
  bool negative = false;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  // Magnitude as little-endian base-256 digits.
  std::vector<uint8_t> magnitude;
  auto add_digit = [&](unsigned digit) {
    unsigned carry = digit;
    for (uint8_t& byte : magnitude) {
      unsigned v = byte * 10u + carry;
      byte = static_cast<uint8_t>(v & 0xFF);
      carry = v >> 8;
    }
    while (carry > 0) {
      magnitude.push_back(static_cast<uint8_t>(carry & 0xFF));
      carry >>= 8;
    }
  };
  unsigned fraction_digits = 0;
  bool in_fraction = false, any = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (in_fraction) return false;
      in_fraction = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    any = true;
    if (in_fraction) {
      if (fraction_digits == scale) continue;  // the server never sends more than the scale
      ++fraction_digits;
    }
    add_digit(static_cast<unsigned>(c - '0'));
  }
  if (!any) return false;
  for (; fraction_digits < scale; ++fraction_digits) add_digit(0);
  // To big-endian two's complement with one spare sign byte, then minimal.
  while (!magnitude.empty() && magnitude.back() == 0) magnitude.pop_back();
  const size_t n = magnitude.size();
  std::vector<uint8_t> be(n + 1, 0);
  for (size_t k = 0; k < n; ++k) be[k + 1] = magnitude[n - 1 - k];
  if (negative) {
    bool carry = true;
    for (size_t k = be.size(); k-- > 0;) {
      uint8_t inverted = static_cast<uint8_t>(~be[k]);
      if (carry) {
        inverted = static_cast<uint8_t>(inverted + 1);
        carry = inverted == 0;
      }
      be[k] = inverted;
    }
  }
  const uint8_t filler = negative ? 0xFF : 0x00;
  size_t first = 0;
  while (first + 1 < be.size() && be[first] == filler &&
         ((be[first + 1] & 0x80) != 0) == negative) {
    ++first;
  }
  out->assign(be.begin() + static_cast<std::ptrdiff_t>(first), be.end());
  return true;
}

absl::StatusOr<ColumnDef> ColumnDefFromTableMap(const binlog::ColumnInfo& column,
                                                const ColumnExtras& extras,
                                                const ConnectorConfig& config) {
  ColumnDef def;
  def.name = column.name;
  def.optional = column.nullable;
  def.binary_mode = config.binary_mode;
  def.fsp = column.fsp;
  const bool binary = column.charset == kBinaryCollation;
  def.latin1 = IsLatin1Collation(column.charset);
  switch (column.real_type) {
    case ColumnType::kTiny:
      // TINYINT(1) (BOOLEAN in the DDL; the table map cannot tell it, information_schema can):
      // boolean, as FORMATS.md says (Debezium 2.7.4's snapshot made it int16).
      def.kind = extras.tinyint1 ? FieldKind::kBoolean : FieldKind::kInt16;
      break;
    case ColumnType::kShort:
      def.kind = column.is_unsigned ? FieldKind::kInt32 : FieldKind::kInt16;
      break;
    case ColumnType::kInt24:
      def.kind = FieldKind::kInt32;
      break;
    case ColumnType::kLong:
      def.kind = column.is_unsigned ? FieldKind::kInt64 : FieldKind::kInt32;
      break;
    case ColumnType::kLongLong:
      def.kind = column.is_unsigned && config.bigint_unsigned_mode == BigintUnsignedMode::kPrecise
                     ? FieldKind::kUnsignedBigintDecimal
                     : FieldKind::kInt64;
      break;
    case ColumnType::kFloat:
      def.kind = FieldKind::kFloat32;
      break;
    case ColumnType::kDouble:
      def.kind = FieldKind::kFloat64;
      break;
    case ColumnType::kNewDecimal:
      def.kind = DecimalKind(config);
      def.precision = column.precision;
      def.scale = column.scale;
      break;
    case ColumnType::kBit:
      def.bit_length = column.bit_length;
      def.kind = column.bit_length == 1 ? FieldKind::kBitBoolean : FieldKind::kBits;
      break;
    case ColumnType::kEnum:
      def.kind = FieldKind::kEnum;
      SetMembers(def, column.enum_or_set_values);
      break;
    case ColumnType::kSet:
      def.kind = FieldKind::kSet;
      SetMembers(def, column.enum_or_set_values);
      break;
    case ColumnType::kJson:
      def.kind = FieldKind::kJson;
      break;
    case ColumnType::kString:
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
      // MariaDB's JSON is a LONGTEXT with a json_valid check (found in information_schema):
      // io.debezium.data.Json, as FORMATS.md says (Debezium 2.7.4 made it a plain string).
      if (extras.json && !binary) {
        def.kind = FieldKind::kJson;
        break;
      }
      def.kind = binary ? FieldKind::kBinary : FieldKind::kText;
      if (binary && column.real_type == ColumnType::kString) def.fixed_length = column.max_length;
      break;
    case ColumnType::kDate:
    case ColumnType::kNewDate:
      def.kind = TemporalDate(config);
      break;
    case ColumnType::kTime:
    case ColumnType::kTime2:
      def.kind = TemporalTime(config);
      break;
    case ColumnType::kDateTime:
    case ColumnType::kDateTime2:
      def.kind = TemporalDateTime(config, column.fsp);
      break;
    case ColumnType::kTimestamp:
    case ColumnType::kTimestamp2:
      def.kind = FieldKind::kZonedTimestamp;
      break;
    case ColumnType::kYear:
      def.kind = FieldKind::kYear;
      break;
    case ColumnType::kGeometry:
      def.kind = column.geometry_type == 1 ? FieldKind::kPoint : FieldKind::kGeometry;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "column `", column.name, "` has type ", binlog::ColumnTypeName(column.real_type),
          ", which Sluice cannot map; exclude it with column.exclude.list"));
  }
  def.default_value = extras.default_value;
  return def;
}

absl::StatusOr<ColumnDef> ColumnDefFromInfoSchema(const InfoSchemaColumn& column,
                                                  const ConnectorConfig& config) {
  ColumnDef def;
  def.name = column.name;
  def.optional = column.nullable;
  def.binary_mode = config.binary_mode;
  const std::string type = absl::AsciiStrToLower(column.data_type);
  const std::string full = absl::AsciiStrToLower(column.column_type);
  const bool is_unsigned = absl::StrContains(full, "unsigned");
  def.fsp = static_cast<uint8_t>(column.datetime_precision);
  def.default_value = column.default_value;
  if (type == "tinyint") {
    def.kind = absl::StartsWith(full, "tinyint(1)") ? FieldKind::kBoolean : FieldKind::kInt16;
  } else if (type == "smallint") {
    def.kind = is_unsigned ? FieldKind::kInt32 : FieldKind::kInt16;
  } else if (type == "mediumint") {
    def.kind = FieldKind::kInt32;
  } else if (type == "int" || type == "integer") {
    def.kind = is_unsigned ? FieldKind::kInt64 : FieldKind::kInt32;
  } else if (type == "bigint") {
    def.kind = is_unsigned && config.bigint_unsigned_mode == BigintUnsignedMode::kPrecise
                   ? FieldKind::kUnsignedBigintDecimal
                   : FieldKind::kInt64;
  } else if (type == "float") {
    def.kind = FieldKind::kFloat32;
  } else if (type == "double" || type == "real") {
    def.kind = FieldKind::kFloat64;
  } else if (type == "decimal" || type == "numeric") {
    def.kind = DecimalKind(config);
    def.precision = static_cast<uint8_t>(column.precision);
    def.scale = static_cast<uint8_t>(column.scale);
  } else if (type == "bit") {
    def.bit_length = static_cast<uint16_t>(column.precision);
    def.kind = def.bit_length == 1 ? FieldKind::kBitBoolean : FieldKind::kBits;
  } else if (type == "enum" || type == "set") {
    def.kind = type == "enum" ? FieldKind::kEnum : FieldKind::kSet;
    SetMembers(def, ParseMembers(column.column_type));
  } else if (type == "json" || column.json) {
    def.kind = FieldKind::kJson;
  } else if (type == "char" || type == "varchar" || absl::EndsWith(type, "text")) {
    def.kind = FieldKind::kText;
  } else if (type == "binary" || type == "varbinary" || absl::EndsWith(type, "blob")) {
    def.kind = FieldKind::kBinary;
    if (type == "binary") {
      const size_t open = full.find('(');
      unsigned length = 0;
      if (open != std::string::npos &&
          absl::SimpleAtoi(absl::string_view(full).substr(open + 1, full.find(')') - open - 1),
                           &length)) {
        def.fixed_length = length;
      }
    }
  } else if (type == "date") {
    def.kind = TemporalDate(config);
  } else if (type == "time") {
    def.kind = TemporalTime(config);
  } else if (type == "datetime") {
    def.kind = TemporalDateTime(config, def.fsp);
  } else if (type == "timestamp") {
    def.kind = FieldKind::kZonedTimestamp;
  } else if (type == "year") {
    def.kind = FieldKind::kYear;
  } else if (type == "point") {
    def.kind = FieldKind::kPoint;
  } else if (type == "geometry" || type == "linestring" || type == "polygon" ||
             type == "multipoint" || type == "multilinestring" || type == "multipolygon" ||
             type == "geometrycollection" || type == "geomcollection") {
    def.kind = FieldKind::kGeometry;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("column `", column.name, "` has type ", column.column_type,
                     ", which Sluice cannot map; exclude it with column.exclude.list"));
  }
  return def;
}

absl::StatusOr<sluice_datum> DatumFromBinlog(const binlog::ColumnValue& value, const ColumnDef& def,
                                             Scratch& scratch) {
  const ValueKind kind = value.kind();
  if (kind == ValueKind::kNull || kind == ValueKind::kAbsent) return sluice_datum_null();
  switch (def.kind) {
    case FieldKind::kInt16:
    case FieldKind::kInt32:
    case FieldKind::kInt64:
    case FieldKind::kYear:
      if (kind == ValueKind::kUnsigned) return sluice_datum_int(static_cast<int64_t>(value.u64()));
      if (kind == ValueKind::kSigned || kind == ValueKind::kYear) {
        return sluice_datum_int(value.i64());
      }
      break;
    case FieldKind::kBoolean:
      if (kind == ValueKind::kSigned) return sluice_datum_boolean(value.i64() != 0);
      if (kind == ValueKind::kUnsigned) return sluice_datum_boolean(value.u64() != 0);
      break;
    case FieldKind::kUnsignedBigintDecimal:
      if (kind == ValueKind::kUnsigned || kind == ValueKind::kSigned) {
        uint8_t buffer[9];
        const size_t n = UnsignedToTwosComplement(value.u64(), buffer);
        scratch.bytes.assign(buffer, buffer + n);
        return sluice_datum_bytes(scratch.bytes.data(), scratch.bytes.size());
      }
      break;
    case FieldKind::kFloat32:
    case FieldKind::kFloat64:
      if (kind == ValueKind::kFloat) return sluice_datum_float(value.f32());
      if (kind == ValueKind::kDouble) return sluice_datum_float(value.f64());
      break;
    case FieldKind::kDecimal:
      if (kind == ValueKind::kDecimal) {
        scratch.bytes.resize(binlog::DecimalView::kMaxUnscaledBytes);
        const size_t n = value.decimal().ToUnscaledTwosComplement(scratch.bytes.data());
        return sluice_datum_bytes(scratch.bytes.data(), n);
      }
      break;
    case FieldKind::kDecimalDouble:
    case FieldKind::kDecimalString:
      if (kind == ValueKind::kDecimal) {
        scratch.text.resize(binlog::DecimalView::kMaxTextSize);
        const size_t n = value.decimal().Format(scratch.text.data());
        scratch.text.resize(n);
        if (def.kind == FieldKind::kDecimalDouble) {
          return sluice_datum_float(std::strtod(scratch.text.c_str(), nullptr));
        }
        return sluice_datum_string(scratch.text.data(), scratch.text.size());
      }
      break;
    case FieldKind::kText:
      if (kind == ValueKind::kString) {
        if (def.latin1) {
          absl::string_view text = Latin1ToUtf8(
              absl::string_view(value.string().data(), value.string().size()), scratch.text);
          return sluice_datum_string(text.data(), text.size());
        }
        return sluice_datum_string(value.string().data(), value.string().size());
      }
      break;
    case FieldKind::kBinary:
      if (kind == ValueKind::kString) {
        if (value.bytes().size() < def.fixed_length) {
          // The binlog drops a BINARY(n) value's trailing zero bytes; Debezium puts them back.
          scratch.bytes.assign(value.bytes().begin(), value.bytes().end());
          scratch.bytes.resize(def.fixed_length, 0);
          return BinaryDatum(scratch.bytes.data(), scratch.bytes.size(), def, scratch);
        }
        return BinaryDatum(value.bytes().data(), value.bytes().size(), def, scratch);
      }
      break;
    case FieldKind::kEnum:
      if (kind == ValueKind::kEnum) {
        const uint64_t index = value.u64();
        if (index == 0 || index > def.values.size()) return sluice_datum_string("", 0);
        const std::string& member = def.values[index - 1];
        return sluice_datum_string(member.data(), member.size());
      }
      break;
    case FieldKind::kSet:
      if (kind == ValueKind::kSet) {
        scratch.text.clear();
        const uint64_t bits = value.u64();
        for (size_t i = 0; i < def.values.size() && i < 64; ++i) {
          if (bits & (uint64_t{1} << i)) {
            if (!scratch.text.empty()) scratch.text.push_back(',');
            scratch.text.append(def.values[i]);
          }
        }
        return sluice_datum_string(scratch.text.data(), scratch.text.size());
      }
      break;
    case FieldKind::kJson:
      if (kind == ValueKind::kString) {
        return sluice_datum_string(value.string().data(), value.string().size());
      }
      if (kind == ValueKind::kJson) {
        scratch.text.clear();
        absl::Status status = binlog::AppendJsonBinaryAsText(value.bytes(), &scratch.text);
        if (!status.ok()) return status;
        return sluice_datum_string(scratch.text.data(), scratch.text.size());
      }
      break;
    case FieldKind::kBits:
      if (kind == ValueKind::kBit) {
        return BitsDatum(value.bytes().data(), value.bytes().size(), def, scratch);
      }
      break;
    case FieldKind::kBitBoolean:
      if (kind == ValueKind::kBit) {
        bool any = false;
        for (uint8_t byte : value.bytes()) any = any || byte != 0;
        return sluice_datum_boolean(any);
      }
      break;
    case FieldKind::kDate:
    case FieldKind::kConnectDate:
      if (kind == ValueKind::kDate) {
        const binlog::Date date = value.date();
        if (date.is_zero() || date.month == 0 || date.day == 0) return ZeroTemporal(def, scratch);
        return sluice_datum_int(DaysFromCivil(date.year, date.month, date.day));
      }
      break;
    case FieldKind::kMicroTime:
    case FieldKind::kConnectTime:
      if (kind == ValueKind::kTime) return TimeDatum(value.time().ToMicros(), def);
      break;
    case FieldKind::kTimestampMs:
    case FieldKind::kMicroTimestamp:
    case FieldKind::kConnectTimestamp:
      if (kind == ValueKind::kDateTime) {
        const binlog::DateTime dt = value.datetime();
        if (dt.is_zero() || dt.month == 0 || dt.day == 0) return ZeroTemporal(def, scratch);
        return DateTimeDatum(DateTimeMicros(dt), def);
      }
      break;
    case FieldKind::kZonedTimestamp:
      if (kind == ValueKind::kTimestamp) {
        // A zero TIMESTAMP is 0 seconds in the binlog, indistinguishable from the epoch: Debezium
        // writes 1970-01-01T00:00:00Z, and so does Sluice.
        const binlog::Timestamp ts = value.timestamp();
        scratch.text = ZonedTimestampText(ts.seconds, ts.micros, def.fsp);
        return sluice_datum_string(scratch.text.data(), scratch.text.size());
      }
      break;
    case FieldKind::kGeometry:
    case FieldKind::kPoint:
      break;
  }
  return Unsupported(def, "a binlog value of an unexpected kind");
}

absl::StatusOr<sluice_datum> DatumFromText(absl::string_view text, bool is_null,
                                           const ColumnDef& def, Scratch& scratch) {
  if (is_null) return sluice_datum_null();
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  switch (def.kind) {
    case FieldKind::kInt16:
    case FieldKind::kInt32:
    case FieldKind::kInt64:
    case FieldKind::kYear: {
      int64_t v = 0;
      uint64_t u = 0;
      if (absl::SimpleAtoi(text, &v)) return sluice_datum_int(v);
      if (absl::SimpleAtoi(text, &u)) return sluice_datum_int(static_cast<int64_t>(u));
      break;
    }
    case FieldKind::kBoolean:
      return sluice_datum_boolean(text != "0");
    case FieldKind::kUnsignedBigintDecimal: {
      uint64_t u = 0;
      if (!absl::SimpleAtoi(text, &u)) break;
      uint8_t buffer[9];
      const size_t n = UnsignedToTwosComplement(u, buffer);
      scratch.bytes.assign(buffer, buffer + n);
      return sluice_datum_bytes(scratch.bytes.data(), scratch.bytes.size());
    }
    case FieldKind::kFloat32:
    case FieldKind::kFloat64: {
      scratch.text.assign(text.data(), text.size());
      if (def.kind == FieldKind::kFloat32) {
        return sluice_datum_float(std::strtof(scratch.text.c_str(), nullptr));
      }
      return sluice_datum_float(std::strtod(scratch.text.c_str(), nullptr));
    }
    case FieldKind::kDecimal:
    case FieldKind::kDecimalDouble:
    case FieldKind::kDecimalString: {
      bool ok = false;
      sluice_datum datum = DecimalFromText(text, def, scratch, &ok);
      if (ok) return datum;
      break;
    }
    case FieldKind::kText:
    case FieldKind::kEnum:
    case FieldKind::kSet:
    case FieldKind::kJson:
      return sluice_datum_string(text.data(), text.size());
    case FieldKind::kBinary:
      return BinaryDatum(data, text.size(), def, scratch);
    case FieldKind::kBits:
      return BitsDatum(data, text.size(), def, scratch);
    case FieldKind::kBitBoolean: {
      bool any = false;
      for (unsigned char c : text) any = any || c != 0;
      return sluice_datum_boolean(any);
    }
    case FieldKind::kDate:
    case FieldKind::kConnectDate: {
      unsigned ymd[3];
      if (!ReadNumbers(text, "--", ymd)) break;
      const auto [y, m, d] = ymd;
      if (m == 0 || d == 0) return ZeroTemporal(def, scratch);
      return sluice_datum_int(DaysFromCivil(y, m, d));
    }
    case FieldKind::kMicroTime:
    case FieldKind::kConnectTime: {
      bool negative = !text.empty() && text[0] == '-';
      if (negative) text.remove_prefix(1);
      unsigned hms[3];
      if (!ReadNumbers(text, "::", hms)) break;
      const auto [h, mi, s] = hms;
      int64_t micros = ((int64_t{h} * 60 + mi) * 60 + s) * 1000000;
      size_t dot = text.find('.');
      if (dot != absl::string_view::npos) {
        int64_t fraction = 0;
        int digits = 0;
        for (size_t i = dot + 1; i < text.size() && digits < 6; ++i, ++digits) {
          fraction = fraction * 10 + (text[i] - '0');
        }
        for (; digits < 6; ++digits) fraction *= 10;
        micros += fraction;
      }
      return TimeDatum(negative ? -micros : micros, def);
    }
    case FieldKind::kTimestampMs:
    case FieldKind::kMicroTimestamp:
    case FieldKind::kConnectTimestamp:
    case FieldKind::kZonedTimestamp: {
      unsigned fields[6];
      if (!ReadNumbers(text, "-- ::", fields)) break;
      const auto [y, mo, d, h, mi, s] = fields;
      if (mo == 0 || d == 0) return ZeroTemporal(def, scratch);
      uint32_t micros = 0;
      size_t dot = text.find('.');
      if (dot != absl::string_view::npos) {
        int digits = 0;
        for (size_t i = dot + 1; i < text.size() && digits < 6; ++i, ++digits) {
          micros = micros * 10 + static_cast<uint32_t>(text[i] - '0');
        }
        for (; digits < 6; ++digits) micros *= 10;
      }
      const int64_t seconds = ((DaysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60 + s;
      if (def.kind == FieldKind::kZonedTimestamp) {
        // The snapshot session runs with time_zone '+00:00': the text is already UTC.
        scratch.text = ZonedTimestampText(seconds, micros, def.fsp);
        return sluice_datum_string(scratch.text.data(), scratch.text.size());
      }
      return DateTimeDatum(seconds * 1000000 + micros, def);
    }
    case FieldKind::kGeometry:
    case FieldKind::kPoint:
      break;
  }
  return Unsupported(def, absl::StrCat("the text '", text.substr(0, 40), "'"));
}

absl::StatusOr<std::optional<sluice_datum>> DefaultDatum(const ColumnDef& def, Scratch& scratch) {
  if (!def.default_value.has_value()) return std::nullopt;
  absl::string_view text = *def.default_value;
  switch (def.kind) {
    case FieldKind::kBinary:
    case FieldKind::kJson:
    case FieldKind::kGeometry:
    case FieldKind::kPoint:
      return std::nullopt;
    case FieldKind::kBits:
    case FieldKind::kBitBoolean: {
      // b'101' (or a number): the bits as the text protocol would return them, big-endian.
      uint64_t bits = 0;
      if (absl::StartsWithIgnoreCase(text, "b'") && absl::EndsWith(text, "'")) {
        for (char c : text.substr(2, text.size() - 3)) bits = (bits << 1) | (c == '1' ? 1 : 0);
      } else if (!absl::SimpleAtoi(text, &bits)) {
        return std::nullopt;
      }
      std::string raw((def.bit_length + 7) / 8, '\0');
      for (size_t i = 0; i < raw.size(); ++i) {
        raw[raw.size() - 1 - i] = static_cast<char>((bits >> (8 * i)) & 0xFF);
      }
      Scratch bytes;
      absl::StatusOr<sluice_datum> datum = DatumFromText(raw, false, def, bytes);
      if (!datum.ok()) return datum.status();
      scratch.bytes = std::move(bytes.bytes);
      if (datum->kind == SLUICE_DATUM_BYTES) {
        *datum = sluice_datum_bytes(scratch.bytes.data(), scratch.bytes.size());
      }
      return *datum;
    }
    default:
      break;
  }
  absl::StatusOr<sluice_datum> datum = DatumFromText(text, false, def, scratch);
  if (!datum.ok()) return datum.status();
  if (datum->kind == SLUICE_DATUM_NULL) return std::nullopt;  // a zero date
  return *datum;
}

bool PointCoordinates(absl::Span<const uint8_t> wkb, double* x, double* y) {
  if (wkb.size() < 21) return false;
  const bool little = wkb[0] == 1;
  auto read32 = [&](size_t at) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      v |= uint32_t{wkb[at + (little ? i : 3 - i)]} << (8 * i);
    }
    return v;
  };
  auto read_double = [&](size_t at) {
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) {
      bits |= uint64_t{wkb[at + (little ? i : 7 - i)]} << (8 * i);
    }
    double value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  };
  if (read32(1) != 1) return false;  // wkbPoint
  *x = read_double(5);
  *y = read_double(13);
  return true;
}

}  // namespace sluice::mysql
