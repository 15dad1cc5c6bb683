#include "event_printer.h"

#include <charconv>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "rapidjson/stringbuffer.h"
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

// Text columns in UTF-8 when their character set is one we convert; raw bytes otherwise.
std::string TextOf(const ColumnValue& v, const ColumnInfo& c) {
  std::string utf8;
  if (AppendAsUtf8(CharsetOfCollation(c.charset).charset, v.bytes(), &utf8).ok()) return utf8;
  return std::string(v.string());
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
  std::string out;
  for (size_t i = 0; i < 64; ++i) {
    if (!((mask >> i) & 1)) continue;
    if (!out.empty()) out += ',';
    out += i < values.size() ? values[i] : absl::StrCat("#", i + 1);
  }
  return out;
}

std::string JsonText(std::span<const uint8_t> binary) {
  std::string text;
  absl::Status s = AppendJsonBinaryAsText(binary, &text);
  if (!s.ok()) return absl::StrCat("/* ", s.message(), " */");
  return text;
}

std::string JsonDiffText(const ColumnValue& v, const ColumnInfo& c) {
  std::string expr = c.name.empty() ? "@col" : "`" + c.name + "`";
  JsonDiffReader reader(v.bytes());
  JsonDiff diff;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&diff);
    if (!more.ok()) return absl::StrCat("/* ", more.status().message(), " */");
    if (!*more) break;
    const char* fn = diff.operation == JsonDiffOperation::kReplace  ? "JSON_REPLACE"
                     : diff.operation == JsonDiffOperation::kInsert ? "JSON_INSERT"
                                                                    : "JSON_REMOVE";
    expr = absl::StrCat(fn, "(", expr, ", ", Quoted(diff.path));
    if (diff.operation != JsonDiffOperation::kRemove)
      absl::StrAppend(&expr, ", ", JsonText(diff.value));
    expr += ")";
  }
  return expr;
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

void AppendImage(const std::vector<ColumnValue>& image, const TableMap& t, const char* clause,
                 std::string* out) {
  absl::StrAppend(out, "### ", clause, "\n");
  for (size_t i = 0; i < image.size() && i < t.columns.size(); ++i) {
    if (!image[i].is_present()) continue;
    absl::StrAppend(out, "###   @", i + 1, "=");
    AppendValueText(image[i], t.columns[i], out);
    if (!t.columns[i].name.empty()) absl::StrAppend(out, " /* ", t.columns[i].name, " */");
    out->push_back('\n');
  }
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

// JSON values.
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteString(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void WriteValueJson(JsonWriter& w, const ColumnValue& v, const ColumnInfo& c) {
  switch (v.kind()) {
    case ValueKind::kNull:
      w.Null();
      return;
    case ValueKind::kSigned:
    case ValueKind::kYear:
      w.Int64(v.i64());
      return;
    case ValueKind::kUnsigned:
      w.Uint64(v.u64());
      return;
    case ValueKind::kFloat:
      w.Double(v.f32());
      return;
    case ValueKind::kDouble:
      w.Double(v.f64());
      return;
    case ValueKind::kString:
      if (c.charset == kBinaryCharset) {
        WriteString(w, "0x" + Hex(v.bytes()));
      } else {
        WriteString(w, TextOf(v, c));
      }
      return;
    default: {
      std::string text;
      AppendValueText(v, c, &text);
      // Drop SQL quoting for the JSON form.
      if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
        text = text.substr(1, text.size() - 2);
      }
      WriteString(w, text);
    }
  }
}

void WriteImageJson(JsonWriter& w, const std::vector<ColumnValue>& image, const TableMap& t) {
  w.StartObject();
  for (size_t i = 0; i < image.size() && i < t.columns.size(); ++i) {
    if (!image[i].is_present()) continue;
    WriteString(w, ColumnLabel(t.columns[i], i));
    WriteValueJson(w, image[i], t.columns[i]);
  }
  w.EndObject();
}

}  // namespace

void AppendValueText(const ColumnValue& v, const ColumnInfo& c, std::string* out) {
  switch (v.kind()) {
    case ValueKind::kAbsent:
      out->append("/* absent */");
      return;
    case ValueKind::kNull:
      out->append("NULL");
      return;
    case ValueKind::kSigned:
    case ValueKind::kYear:
      absl::StrAppend(out, v.i64());
      return;
    case ValueKind::kUnsigned:
      absl::StrAppend(out, v.u64());
      return;
    case ValueKind::kFloat:
      out->append(FloatText(v.f32()));
      return;
    case ValueKind::kDouble:
      out->append(FloatText(v.f64()));
      return;
    case ValueKind::kDecimal:
      out->append(v.decimal().ToString());
      return;
    case ValueKind::kDate:
      out->append(Quoted(DateText(v.date())));
      return;
    case ValueKind::kTime:
      out->append(Quoted(TimeText(v.time(), v.fsp())));
      return;
    case ValueKind::kDateTime:
      out->append(Quoted(DateTimeText(v.datetime(), v.fsp())));
      return;
    case ValueKind::kTimestamp:
      out->append(Quoted(TimestampText(v.timestamp(), v.fsp())));
      return;
    case ValueKind::kString:
      if (c.charset == kBinaryCharset) {
        absl::StrAppend(out, "X'", Hex(v.bytes()), "'");
      } else {
        out->append(Quoted(TextOf(v, c)));
      }
      return;
    case ValueKind::kEnum:
      if (v.u64() >= 1 && v.u64() <= c.enum_or_set_values.size()) {
        out->append(Quoted(c.enum_or_set_values[v.u64() - 1]));
      } else {
        absl::StrAppend(out, v.u64());
      }
      return;
    case ValueKind::kSet:
      out->append(c.enum_or_set_values.empty() ? absl::StrCat(v.u64())
                                               : Quoted(SetText(v.u64(), c.enum_or_set_values)));
      return;
    case ValueKind::kBit:
      absl::StrAppend(out, "b'", BitText(v), "'");
      return;
    case ValueKind::kJson:
      out->append(JsonText(v.bytes()));
      return;
    case ValueKind::kJsonDiff:
      out->append(JsonDiffText(v, c));
      return;
    case ValueKind::kGeometry:
      absl::StrAppend(out, "ST_GeomFromWKB(X'", Hex(v.bytes()), "', ", v.srid(), ")");
      return;
  }
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
  while (true) {
    absl::StatusOr<bool> more = reader.Next(change);
    if (!more.ok()) {
      absl::StrAppend(out, "### ERROR: ", more.status().message(), "\n");
      return more.status();
    }
    if (!*more) return absl::OkStatus();
    absl::StrAppend(out, "### ", KindVerb(rows->kind), " `", rows->table->database, "`.`",
                    rows->table->table, "`\n");
    if (rows->kind != RowsKind::kWrite) AppendImage(change.before, *rows->table, "WHERE", out);
    if (rows->kind != RowsKind::kDelete) AppendImage(change.after, *rows->table, "SET", out);
  }
}

absl::Status AppendEventJson(const Event& e, std::string* out) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
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
    while (true) {
      absl::StatusOr<bool> more = reader.Next(change);
      if (!more.ok()) {
        status = more.status();
        break;
      }
      if (!*more) break;
      w.StartObject();
      if (rows->kind != RowsKind::kWrite) {
        w.Key("before");
        WriteImageJson(w, change.before, *rows->table);
      }
      if (rows->kind != RowsKind::kDelete) {
        w.Key("after");
        WriteImageJson(w, change.after, *rows->table);
      }
      w.EndObject();
    }
    w.EndArray();
    if (!status.ok()) {
      w.Key("error");
      WriteString(w, std::string(status.message()));
    }
  }
  w.EndObject();
  out->append(buffer.GetString(), buffer.GetSize());
  return status;
}

}  // namespace sluice::binlog
