#include "connectors/mysql/connector/binlog_value.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

#include "sluice/binlog/json_binary.h"
#include "sluice/binlog/temporal.h"

namespace sluice::mysql {

using binlog::ValueKind;

namespace {

// A column the row image left out. A BLOB/TEXT column (binlog_row_image=NOBLOB leaves them out of
// changes that did not touch them) carries Debezium's placeholder; any other column left out
// (binlog_row_image=MINIMAL) makes the image incomplete, and writing it with a null there would
// be a wrong row.
absl::StatusOr<sluice_datum> AbsentDatum(const ColumnDef& def, Scratch& scratch) {
  if (def.unavailable_placeholder.has_value()) {
    const std::string& placeholder = *def.unavailable_placeholder;
    if (def.kind == FieldKind::kBinary) {
      return BinaryDatum(reinterpret_cast<const uint8_t*>(placeholder.data()), placeholder.size(),
                         def, scratch);
    }
    return sluice_datum_string(placeholder.data(), placeholder.size());
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "column `", def.name,
      "` is not in the row image, so the row cannot be written whole: the change was logged "
      "with binlog_row_image=MINIMAL (a session or global setting), which leaves out the columns "
      "the change did not need. Set binlog_row_image=FULL (or NOBLOB) globally and in every "
      "writing session; the changes already logged this way can only be skipped by starting "
      "from a later position (a new snapshot)"));
}

}  // namespace

absl::StatusOr<sluice_datum> DatumFromBinlog(const binlog::ColumnValue& value, const ColumnDef& def,
                                             Scratch& scratch) {
  const ValueKind kind = value.kind();
  if (kind == ValueKind::kNull) return sluice_datum_null();
  if (kind == ValueKind::kAbsent) return AbsentDatum(def, scratch);
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
      if (kind == ValueKind::kJsonDiff) {
        // Only a whole document is a value: binlog::ResolveJsonDiffs makes one first.
        return absl::InternalError(absl::StrCat("JSON column `", def.name,
                                                "`: a partial update reached the record unapplied"));
      }
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
        return sluice_datum_int(binlog::DaysSinceEpoch(date));
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
        return DateTimeDatum(binlog::MicrosSinceEpoch(dt), def);
      }
      break;
    case FieldKind::kZonedTimestamp:
      if (kind == ValueKind::kTimestamp) {
        // A zero TIMESTAMP is 0 seconds in the binlog (no TIMESTAMP holds the epoch itself):
        // on MySQL a zero date, as Debezium's MySQL connector writes it; on MariaDB
        // 1970-01-01T00:00:00Z, as its MariaDB connector does (ColumnDef).
        const binlog::Timestamp ts = value.timestamp();
        if (ts.seconds == 0 && ts.micros == 0 && def.zero_timestamp_is_zero_date) {
          return ZeroTemporal(def, scratch);
        }
        scratch.text = ZonedTimestampText(ts.seconds, ts.micros, def.fsp);
        return sluice_datum_string(scratch.text.data(), scratch.text.size());
      }
      break;
    case FieldKind::kFloatVector:
      if (kind == ValueKind::kString) {
        return sluice_datum_bytes(value.bytes().data(), value.bytes().size());
      }
      break;
    case FieldKind::kGeometry:
    case FieldKind::kPoint:
      break;
  }
  return Unsupported(def, "a binlog value of an unexpected kind");
}

}  // namespace sluice::mysql
