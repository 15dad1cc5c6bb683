#include "connectors/mysql/binlog_inspect/event_printer.h"

#include <charconv>
#include <cmath>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "rapidjson/writer.h"
#include "sluice/binlog/charset.h"
#include "sluice/binlog/json_binary.h"
#include "sluice/binlog/json_diff.h"

namespace sluice::binlog {
namespace {

constexpr uint32_t kBinaryCharset = 63;

absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string Fraction(uint32_t micros, uint32_t fsp) {
  if (fsp == 0) return "";
  std::string digits = absl::StrFormat("%06u", micros);
  return "." + digits.substr(0, fsp);
}

std::string DateText(Date d) { return absl::StrFormat("%04u-%02u-%02u", d.year, d.month, d.day); }

std::string TimeText(TimeValue t, uint32_t fsp) {
  return absl::StrFormat("%s%02u:%02u:%02u%s", t.negative ? "-" : "", t.hours, t.minutes, t.seconds,
                         Fraction(t.micros, fsp));
}

std::string DateTimeText(DateTime d, uint32_t fsp) {
  return absl::StrFormat("%04u-%02u-%02u %02u:%02u:%02u%s", d.year, d.month, d.day, d.hour,
                         d.minute, d.second, Fraction(d.micros, fsp));
}

std::string TimestampText(Timestamp t, uint32_t fsp) {
  if (t.seconds == 0 && t.micros == 0) return "0000-00-00 00:00:00";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixSeconds(t.seconds),
                          absl::UTCTimeZone()) +
         Fraction(t.micros, fsp);
}

std::string Hex(std::span<const uint8_t> b) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

std::string Quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    switch (c) {
      case '\'':
        out += "\\'";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        out += c;
    }
  }
  return out + "'";
}

// A text column's value in UTF-8, when its character set is one we convert and its bytes are
// valid in it; nullopt otherwise (the caller shows the bytes).
std::optional<std::string> Utf8Of(const ColumnValue& v, const ColumnInfo& c) {
  std::string utf8;
  if (!AppendAsUtf8(CharsetOfCollation(c.charset).charset, v.bytes(), &utf8).ok() ||
      WellFormedUtf8Prefix(utf8) != utf8.size()) {
    return std::nullopt;
  }
  return utf8;
}

std::string EnumText(const ColumnValue& v, const ColumnInfo& c) {
  if (v.u64() >= 1 && v.u64() <= c.enum_or_set_values.size()) {
    return c.enum_or_set_values[v.u64() - 1];
  }
  return absl::StrCat(v.u64());
}

std::string BitText(const ColumnValue& v) {
  std::string bits;
  auto bytes = v.bytes();
  for (uint8_t b : bytes)
    for (int i = 7; i >= 0; --i) bits += ((b >> i) & 1) ? '1' : '0';
  size_t keep = v.bit_length();
  if (bits.size() > keep) bits.erase(0, bits.size() - keep);
  return bits;
}

std::string SetText(uint64_t mask, const std::vector<std::string>& values) {
  if (values.empty()) return absl::StrCat(mask);
  std::string out;
  for (size_t i = 0; i < 64; ++i) {
    if (!((mask >> i) & 1)) continue;
    if (!out.empty()) out += ',';
    out += i < values.size() ? values[i] : absl::StrCat("#", i + 1);
  }
  return out;
}

absl::Status AppendJsonText(std::span<const uint8_t> binary, std::string* out) {
  std::string text;
  absl::Status s = AppendJsonBinaryAsText(binary, &text);
  if (s.ok()) out->append(text);
  return s;
}

absl::Status AppendJsonDiffText(const ColumnValue& v, const ColumnInfo& c, std::string* out) {
  std::string expr = c.name.empty() ? "@col" : "`" + c.name + "`";
  JsonDiffReader reader(v.bytes());
  JsonDiff diff;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&diff);
    if (!more.ok()) return more.status();
    if (!*more) break;
    const char* fn = diff.operation == JsonDiffOperation::kReplace  ? "JSON_REPLACE"
                     : diff.operation == JsonDiffOperation::kInsert ? "JSON_INSERT"
                                                                    : "JSON_REMOVE";
    expr = absl::StrCat(fn, "(", expr, ", ", Quoted(diff.path));
    if (diff.operation != JsonDiffOperation::kRemove) {
      expr += ", ";
      if (absl::Status s = AppendJsonText(diff.value, &expr); !s.ok()) return s;
    }
    expr += ")";
  }
  out->append(expr);
  return absl::OkStatus();
}

std::string FloatText(double d) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), d);
  return std::string(buf, r.ptr);
}

std::string ColumnLabel(const ColumnInfo& c, size_t i) {
  return c.name.empty() ? absl::StrCat("@", i + 1) : c.name;
}

const char* KindVerb(RowsKind k) {
  switch (k) {
    case RowsKind::kWrite:
      return "INSERT INTO";
    case RowsKind::kUpdate:
      return "UPDATE";
    case RowsKind::kDelete:
      return "DELETE FROM";
  }
  return "";
}

// A decoded row holding a value that does not print (damaged binary JSON), as an error that
// names the event, its position, the row and the column, like the decoder's own row errors.
absl::Status RowError(const absl::Status& status, const RowsEvent& rows, uint32_t row,
                      size_t column) {
  const ColumnInfo& c = rows.table->columns[column];
  return AnnotateError(
      absl::Status(status.code(),
                   absl::StrCat("row ", row, ", column ", column,
                                c.name.empty() ? "" : absl::StrCat(" `", c.name, "`"), ": ",
                                status.message())),
      rows.context);
}

absl::Status AppendImage(const std::vector<ColumnValue>& image, const RowsEvent& rows, uint32_t row,
                         const char* clause, std::string* out) {
  const TableMap& t = *rows.table;
  absl::StrAppend(out, "### ", clause, "\n");
  for (size_t i = 0; i < image.size() && i < t.columns.size(); ++i) {
    if (!image[i].is_present()) continue;
    absl::StrAppend(out, "###   @", i + 1, "=");
    if (absl::Status s = AppendValueText(image[i], t.columns[i], out); !s.ok()) {
      return RowError(s, rows, row, i);
    }
    if (!t.columns[i].name.empty()) absl::StrAppend(out, " /* ", t.columns[i].name, " */");
    out->push_back('\n');
  }
  return absl::OkStatus();
}

std::string Summary(const Event& e) {
  struct Visitor {
    std::string operator()(const SkippedEvent& s) {
      return absl::StrCat(s.data.size(), " bytes, ",
                          s.unknown_type ? "unknown type" : "not decoded");
    }
    std::string operator()(const FormatDescriptionEvent& f) {
      return absl::StrCat("server ", f.format.server_version, ", binlog v", f.format.binlog_version,
                          ", checksum ",
                          f.format.checksum == ChecksumAlgorithm::kCrc32 ? "CRC32" : "OFF");
    }
    std::string operator()(const RotateEvent& r) {
      return absl::StrCat("next ", AsAbsl(r.next_file), ":", r.position);
    }
    std::string operator()(const StopEvent&) { return ""; }
    std::string operator()(const QueryEvent& q) {
      return absl::StrCat("thread ", q.thread_id, " db `", AsAbsl(q.database), "` exec ",
                          q.exec_time, "s error ", q.error_code, ": ", AsAbsl(q.query));
    }
    std::string operator()(const XidEvent& x) { return absl::StrCat("xid ", x.xid); }
    std::string operator()(const StatementContextEvent& s) {
      return absl::StrCat(s.data.size(), " bytes of statement context");
    }
    std::string operator()(const IncidentEvent& i) {
      return absl::StrCat("incident ", i.incident, ": ", AsAbsl(i.message));
    }
    std::string operator()(const HeartbeatEvent& h) {
      return absl::StrCat("file ", AsAbsl(h.log_file));
    }
    std::string operator()(const TableMapEvent& t) {
      return absl::StrCat("table_id ", t.table->table_id, " `", t.table->database, "`.`",
                          t.table->table, "` (", t.table->columns.size(), " columns)");
    }
    std::string operator()(const RowsEvent& r) {
      return absl::StrCat("table_id ", r.table_id, " `", r.table->database, "`.`", r.table->table,
                          "` v", r.version, r.end_of_statement() ? " STMT_END" : "",
                          r.was_compressed ? " compressed" : "");
    }
    std::string operator()(const MariaGtidEvent& g) {
      return absl::StrCat("GTID ", g.ToString(), g.standalone() ? " standalone" : "",
                          g.commit_id ? absl::StrCat(" commit_id ", *g.commit_id) : "");
    }
    std::string operator()(const MariaGtidListEvent& l) { return "[" + l.ToString() + "]"; }
    std::string operator()(const BinlogCheckpointEvent& c) { return std::string(c.log_file); }
    std::string operator()(const AnnotateRowsEvent& a) { return std::string(a.query); }
    std::string operator()(const MysqlGtidEvent& g) {
      return absl::StrCat(
          g.anonymous ? "anonymous " : "GTID ", g.ToString(),
          g.last_committed ? absl::StrCat(" last_committed=", *g.last_committed) : "",
          g.sequence_number ? absl::StrCat(" sequence_number=", *g.sequence_number) : "");
    }
    std::string operator()(const PreviousGtidsEvent& p) { return "[" + p.ToString() + "]"; }
    std::string operator()(const RowsQueryEvent& q) { return std::string(q.query); }
    std::string operator()(const XaPrepareEvent& x) {
      return absl::StrCat("XA PREPARE formatID ", x.format_id, " gtrid '", AsAbsl(x.gtrid),
                          "' bqual '", AsAbsl(x.bqual), "'", x.one_phase ? " one phase" : "");
    }
    std::string operator()(const TransactionPayloadEvent& p) {
      return absl::StrCat(p.compression_type == 0 ? "zstd " : "uncompressed ", p.payload_size,
                          " -> ", p.uncompressed_size, " bytes");
    }
  };
  return std::visit(Visitor{}, e.body);
}

// ---- JSON ----

// RapidJSON's output stream, appending straight to the caller's string.
struct JsonOutput {
  using Ch = char;
  std::string* text;
  void Put(char c) { text->push_back(c); }
  void Flush() {}
};
using JsonWriter = rapidjson::Writer<JsonOutput>;

// JSON text must be UTF-8: a name or statement with other bytes gets U+FFFD for each byte that
// does not start a well-formed sequence.
void WriteString(JsonWriter& w, std::string_view s) {
  std::string repaired;
  for (size_t good = WellFormedUtf8Prefix(s); good < s.size(); good = WellFormedUtf8Prefix(s)) {
    repaired.append(s.substr(0, good));
    repaired.append("\xEF\xBF\xBD");
    s.remove_prefix(good + 1);
  }
  if (repaired.empty()) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return;
  }
  repaired.append(s);
  w.String(repaired.data(), static_cast<rapidjson::SizeType>(repaired.size()));
}

// JSON numbers have no NaN or infinity: those (a FLOAT or DOUBLE column cannot hold them, but
// the bytes say so) print as strings, the way JavaScript spells them.
void WriteDouble(JsonWriter& w, double d) {
  if (std::isfinite(d)) {
    w.Double(d);
  } else {
    WriteString(w, std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
  }
}

absl::Status WriteValueJson(JsonWriter& w, const ColumnValue& v, const ColumnInfo& c) {
  switch (v.kind()) {
    case ValueKind::kAbsent:
    case ValueKind::kNull:
      w.Null();
      return absl::OkStatus();
    case ValueKind::kSigned:
    case ValueKind::kYear:
      w.Int64(v.i64());
      return absl::OkStatus();
    case ValueKind::kUnsigned:
      w.Uint64(v.u64());
      return absl::OkStatus();
    case ValueKind::kFloat:
      WriteDouble(w, v.f32());
      return absl::OkStatus();
    case ValueKind::kDouble:
      WriteDouble(w, v.f64());
      return absl::OkStatus();
    case ValueKind::kString: {
      // Binary strings, and text the tool cannot convert to UTF-8, as hex.
      std::optional<std::string> text;
      if (c.charset != kBinaryCharset) text = Utf8Of(v, c);
      WriteString(w, text ? *text : "0x" + Hex(v.bytes()));
      return absl::OkStatus();
    }
    case ValueKind::kDate:
      WriteString(w, DateText(v.date()));
      return absl::OkStatus();
    case ValueKind::kTime:
      WriteString(w, TimeText(v.time(), v.fsp()));
      return absl::OkStatus();
    case ValueKind::kDateTime:
      WriteString(w, DateTimeText(v.datetime(), v.fsp()));
      return absl::OkStatus();
    case ValueKind::kTimestamp:
      WriteString(w, TimestampText(v.timestamp(), v.fsp()));
      return absl::OkStatus();
    case ValueKind::kEnum:
      WriteString(w, EnumText(v, c));
      return absl::OkStatus();
    case ValueKind::kSet:
      WriteString(w, SetText(v.u64(), c.enum_or_set_values));
      return absl::OkStatus();
    case ValueKind::kDecimal:
    case ValueKind::kBit:
    case ValueKind::kJson:
    case ValueKind::kJsonDiff:
    case ValueKind::kGeometry:
      break;
  }
  // Decimal digits, b'0101', the JSON document or update expression, ST_GeomFromWKB(...): as
  // the text form shows them, in a string.
  std::string text;
  if (absl::Status s = AppendValueText(v, c, &text); !s.ok()) return s;
  WriteString(w, text);
  return absl::OkStatus();
}

absl::Status WriteImageJson(JsonWriter& w, const std::vector<ColumnValue>& image,
                            const RowsEvent& rows, uint32_t row) {
  const TableMap& t = *rows.table;
  w.StartObject();
  for (size_t i = 0; i < image.size() && i < t.columns.size(); ++i) {
    if (!image[i].is_present()) continue;
    WriteString(w, ColumnLabel(t.columns[i], i));
    if (absl::Status s = WriteValueJson(w, image[i], t.columns[i]); !s.ok()) {
      return RowError(s, rows, row, i);
    }
  }
  w.EndObject();
  return absl::OkStatus();
}

// One row as a JSON object in *out; on an error *out holds part of one.
absl::Status AppendRowJson(const RowsEvent& rows, const RowChange& change, uint32_t row,
                           std::string* out) {
  JsonOutput output{out};
  JsonWriter w(output);
  w.StartObject();
  if (rows.kind != RowsKind::kWrite) {
    w.Key("before");
    if (absl::Status s = WriteImageJson(w, change.before, rows, row); !s.ok()) return s;
  }
  if (rows.kind != RowsKind::kDelete) {
    w.Key("after");
    if (absl::Status s = WriteImageJson(w, change.after, rows, row); !s.ok()) return s;
  }
  w.EndObject();
  return absl::OkStatus();
}

}  // namespace

absl::Status AppendValueText(const ColumnValue& v, const ColumnInfo& c, std::string* out) {
  switch (v.kind()) {
    case ValueKind::kAbsent:
      out->append("/* absent */");
      break;
    case ValueKind::kNull:
      out->append("NULL");
      break;
    case ValueKind::kSigned:
    case ValueKind::kYear:
      absl::StrAppend(out, v.i64());
      break;
    case ValueKind::kUnsigned:
      absl::StrAppend(out, v.u64());
      break;
    case ValueKind::kFloat:
      out->append(FloatText(v.f32()));
      break;
    case ValueKind::kDouble:
      out->append(FloatText(v.f64()));
      break;
    case ValueKind::kDecimal:
      out->append(v.decimal().ToString());
      break;
    case ValueKind::kDate:
      out->append(Quoted(DateText(v.date())));
      break;
    case ValueKind::kTime:
      out->append(Quoted(TimeText(v.time(), v.fsp())));
      break;
    case ValueKind::kDateTime:
      out->append(Quoted(DateTimeText(v.datetime(), v.fsp())));
      break;
    case ValueKind::kTimestamp:
      out->append(Quoted(TimestampText(v.timestamp(), v.fsp())));
      break;
    case ValueKind::kString:
      if (c.charset == kBinaryCharset) {
        absl::StrAppend(out, "X'", Hex(v.bytes()), "'");
      } else {
        std::optional<std::string> text = Utf8Of(v, c);
        out->append(Quoted(text ? *text : v.string()));
      }
      break;
    case ValueKind::kEnum:
      if (v.u64() >= 1 && v.u64() <= c.enum_or_set_values.size()) {
        out->append(Quoted(EnumText(v, c)));
      } else {
        absl::StrAppend(out, v.u64());
      }
      break;
    case ValueKind::kSet:
      out->append(c.enum_or_set_values.empty() ? absl::StrCat(v.u64())
                                               : Quoted(SetText(v.u64(), c.enum_or_set_values)));
      break;
    case ValueKind::kBit:
      absl::StrAppend(out, "b'", BitText(v), "'");
      break;
    case ValueKind::kJson:
      return AppendJsonText(v.bytes(), out);
    case ValueKind::kJsonDiff:
      return AppendJsonDiffText(v, c, out);
    case ValueKind::kGeometry:
      absl::StrAppend(out, "ST_GeomFromWKB(X'", Hex(v.bytes()), "', ", v.srid(), ")");
      break;
  }
  return absl::OkStatus();
}

absl::Status AppendEventText(const Event& e, std::string* out) {
  absl::StrAppend(out, "# at ", e.context.position, "  ", e.context.file ? *e.context.file : "",
                  "  ",
                  absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(e.header.timestamp),
                                   absl::UTCTimeZone()),
                  "  server_id=", e.header.server_id, "  end_log_pos=", e.header.log_pos, "  ",
                  EventTypeLabel(e.header.type));
  std::string summary = Summary(e);
  if (!summary.empty()) absl::StrAppend(out, "  ", summary);
  out->push_back('\n');
  if (const TableMapEvent* tm = e.As<TableMapEvent>()) {
    const auto& cols = tm->table->columns;
    for (size_t i = 0; i < cols.size(); ++i) {
      const ColumnInfo& c = cols[i];
      absl::StrAppend(out, "#   @", i + 1, " ", c.name.empty() ? "?" : c.name, " ",
                      ColumnTypeName(c.real_type), c.is_unsigned ? " UNSIGNED" : "",
                      c.nullable ? "" : " NOT NULL", c.in_primary_key ? " PRIMARY KEY" : "",
                      c.visible ? "" : " INVISIBLE",
                      c.charset ? absl::StrCat(" charset=", c.charset) : "", "\n");
    }
  }
  const RowsEvent* rows = e.As<RowsEvent>();
  if (rows == nullptr) return absl::OkStatus();
  RowReader reader(*rows);
  RowChange change;
  for (uint32_t row = 0;; ++row) {
    absl::StatusOr<bool> more = reader.Next(change);
    absl::Status status = more.status();
    if (status.ok() && !*more) return absl::OkStatus();
    // A row is printed whole or not at all: the error line takes the place of a damaged one.
    std::string text;
    if (status.ok()) {
      absl::StrAppend(&text, "### ", KindVerb(rows->kind), " `", rows->table->database, "`.`",
                      rows->table->table, "`\n");
      if (rows->kind != RowsKind::kWrite) {
        status = AppendImage(change.before, *rows, row, "WHERE", &text);
      }
      if (status.ok() && rows->kind != RowsKind::kDelete) {
        status = AppendImage(change.after, *rows, row, "SET", &text);
      }
    }
    if (!status.ok()) {
      absl::StrAppend(out, "### ERROR: ", status.message(), "\n");
      return status;
    }
    out->append(text);
  }
}

absl::Status AppendEventJson(const Event& e, std::string* out) {
  JsonOutput output{out};
  JsonWriter w(output);
  w.StartObject();
  w.Key("file");
  WriteString(w, e.context.file ? *e.context.file : "");
  w.Key("pos");
  w.Uint64(e.context.position);
  w.Key("end_log_pos");
  w.Uint(e.header.log_pos);
  w.Key("type");
  WriteString(w, EventTypeLabel(e.header.type));
  w.Key("timestamp");
  w.Uint(e.header.timestamp);
  w.Key("server_id");
  w.Uint(e.header.server_id);
  w.Key("summary");
  WriteString(w, Summary(e));
  absl::Status status;
  if (const RowsEvent* rows = e.As<RowsEvent>()) {
    w.Key("database");
    WriteString(w, rows->table->database);
    w.Key("table");
    WriteString(w, rows->table->table);
    w.Key("rows");
    w.StartArray();
    RowReader reader(*rows);
    RowChange change;
    for (uint32_t row = 0;; ++row) {
      absl::StatusOr<bool> more = reader.Next(change);
      if (!more.ok()) {
        status = more.status();
        break;
      }
      if (!*more) break;
      // Rendered apart so that a damaged row leaves no half object behind.
      std::string object;
      status = AppendRowJson(*rows, change, row, &object);
      if (!status.ok()) break;
      w.RawValue(object.data(), object.size(), rapidjson::kObjectType);
    }
    w.EndArray();
    if (!status.ok()) {
      w.Key("error");
      WriteString(w, std::string(status.message()));
    }
  }
  w.EndObject();
  return status;
}

}  // namespace sluice::binlog
