// Issue 4's comparison against a live MariaDB: a table with every MariaDB column type gets rows
// of edge values by SQL; the rows are read back from the binlog through the replication
// protocol (Connector/C's mariadb_rpl), decoded by sluice_binlog, and every decoded value is
// compared with what a SELECT of the same row returns.
//
// Needs the `mariadb` CTest fixture (scripts/services/mariadb): registered only where that
// script exists. By hand: MARIADB_PORT=<port> live_mariadb_comparison_test.
// mariadb_rpl.h needs mysql.h first.
// clang-format off
#include <mysql.h>
#include <mariadb_rpl.h>
// clang-format on

#include <charconv>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "sluice/binlog/charset.h"
#include "sluice/binlog/decoder.h"

namespace sluice::binlog {
namespace {

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

class Server {
 public:
  Server() : mysql_(mysql_init(nullptr)) {}
  ~Server() {
    if (mysql_) mysql_close(mysql_);
  }
  bool Connect() {
    unsigned port = static_cast<unsigned>(std::stoul(Env("MARIADB_PORT", "13306")));
    return mysql_real_connect(mysql_, Env("SLUICE_MARIADB_HOST", "127.0.0.1").c_str(),
                              "sluice_admin", "sluice-admin", nullptr, port, nullptr, 0) != nullptr;
  }
  void Exec(const std::string& sql) {
    ASSERT_EQ(mysql_query(mysql_, sql.c_str()), 0) << sql << ": " << mysql_error(mysql_);
  }
  // Rows of a query as optional strings (nullopt = NULL), bytes exactly as the server sent them.
  std::vector<std::vector<std::optional<std::string>>> Query(const std::string& sql) {
    std::vector<std::vector<std::optional<std::string>>> out;
    EXPECT_EQ(mysql_query(mysql_, sql.c_str()), 0) << sql << ": " << mysql_error(mysql_);
    MYSQL_RES* res = mysql_store_result(mysql_);
    if (res == nullptr) return out;
    unsigned n = mysql_num_fields(res);
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
      unsigned long* lengths = mysql_fetch_lengths(res);
      auto& r = out.emplace_back();
      for (unsigned i = 0; i < n; ++i) {
        if (row[i] == nullptr) {
          r.push_back(std::nullopt);
        } else {
          r.push_back(std::string(row[i], lengths[i]));
        }
      }
    }
    mysql_free_result(res);
    return out;
  }
  MYSQL* get() { return mysql_; }
  const char* error() { return mysql_error(mysql_); }

 private:
  MYSQL* mysql_;
};

std::string Frac(uint32_t micros, uint32_t fsp) {
  if (fsp == 0) return "";
  return "." + absl::StrFormat("%06u", micros).substr(0, fsp);
}

// The decoded value as the text protocol shows it (SET NAMES utf8mb4, time_zone '+00:00').
std::optional<std::string> AsSelectText(const ColumnValue& v, const ColumnInfo& c) {
  switch (v.kind()) {
    case ValueKind::kNull:
    case ValueKind::kAbsent:
      return std::nullopt;
    case ValueKind::kSigned:
      return absl::StrCat(v.i64());
    case ValueKind::kUnsigned:
      return absl::StrCat(v.u64());
    case ValueKind::kFloat:
    case ValueKind::kDouble: {
      char buf[32];
      auto r = v.kind() == ValueKind::kFloat ? std::to_chars(buf, buf + 32, v.f32())
                                             : std::to_chars(buf, buf + 32, v.f64());
      return std::string(buf, r.ptr);
    }
    case ValueKind::kDecimal:
      return v.decimal().ToString();
    case ValueKind::kYear:
      return absl::StrFormat("%04d", v.i64());
    case ValueKind::kDate:
      return absl::StrFormat("%04u-%02u-%02u", v.date().year, v.date().month, v.date().day);
    case ValueKind::kTime: {
      TimeValue t = v.time();
      return absl::StrFormat("%s%02u:%02u:%02u%s", t.negative ? "-" : "", t.hours, t.minutes,
                             t.seconds, Frac(t.micros, v.fsp()));
    }
    case ValueKind::kDateTime: {
      DateTime d = v.datetime();
      return absl::StrFormat("%04u-%02u-%02u %02u:%02u:%02u%s", d.year, d.month, d.day, d.hour,
                             d.minute, d.second, Frac(d.micros, v.fsp()));
    }
    case ValueKind::kTimestamp: {
      Timestamp t = v.timestamp();
      if (t.seconds == 0) return "0000-00-00 00:00:00" + Frac(0, v.fsp());
      return absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixSeconds(t.seconds),
                              absl::UTCTimeZone()) +
             Frac(t.micros, v.fsp());
    }
    case ValueKind::kString: {
      std::string text(v.string());
      CharsetInfo cs = CharsetOfCollation(c.charset);
      if (cs.charset == Charset::kBinary) {
        // BINARY(n) arrives with its trailing zero bytes stripped; SELECT pads them back.
        if (c.real_type == ColumnType::kString && text.size() < c.max_length) {
          text.resize(c.max_length, '\0');
        }
        return text;
      }
      std::string utf8;
      EXPECT_TRUE(AppendAsUtf8(cs.charset, v.bytes(), &utf8).ok()) << cs.name;
      return utf8;
    }
    case ValueKind::kEnum:
      if (v.u64() == 0) return "";
      return c.enum_or_set_values.at(v.u64() - 1);
    case ValueKind::kSet: {
      std::string out;
      for (size_t i = 0; i < c.enum_or_set_values.size(); ++i) {
        if (!((v.u64() >> i) & 1)) continue;
        if (!out.empty()) out += ',';
        out += c.enum_or_set_values[i];
      }
      return out;
    }
    case ValueKind::kBit:
      return std::string(v.string());
    case ValueKind::kGeometry: {
      std::string out(4, '\0');
      for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(v.srid() >> (8 * i));
      return out + std::string(v.string());
    }
    case ValueKind::kJson:
    case ValueKind::kJsonDiff:
      return "(MySQL only)";
  }
  return std::nullopt;
}

TEST(LiveMariaDbComparison, EveryDecodedValueEqualsWhatSelectReturns) {
  Server server;
  ASSERT_TRUE(server.Connect()) << server.error() << " (is the mariadb fixture running?)";
  const std::string db = absl::StrCat("binlog_compare_", getpid());
  server.Exec("SET NAMES utf8mb4");
  server.Exec("SET time_zone = '+00:00'");
  server.Exec("SET sql_mode = ''");
  server.Exec("FLUSH BINARY LOGS");
  auto status = server.Query("SHOW MASTER STATUS");
  ASSERT_EQ(status.size(), 1u);
  const std::string file = *status[0][0];
  const unsigned long position = std::stoul(*status[0][1]);

  server.Exec("CREATE DATABASE " + db);
  server.Exec("CREATE TABLE " + db + R"(.t (
    id INT NOT NULL PRIMARY KEY,
    ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT,
    miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
    f FLOAT, d DOUBLE, dec1 DECIMAL(12,2), dec2 DECIMAL(65,30), dec3 DECIMAL(5,0),
    y YEAR, dt DATE, tm TIME, tm3 TIME(3), tm6 TIME(6), dtm DATETIME, dtm1 DATETIME(1),
    dtm6 DATETIME(6), ts TIMESTAMP NULL, ts4 TIMESTAMP(4) NULL,
    c CHAR(10), c255 CHAR(255), vc VARCHAR(300), bin BINARY(4), vb VARBINARY(10),
    tt TINYTEXT, txt TEXT, mt MEDIUMTEXT, lt LONGTEXT, bl BLOB, lb LONGBLOB,
    e ENUM('red','green','blue'), s SET('a','b','c','d'), b1 BIT(1), b12 BIT(12), b64 BIT(64),
    j JSON, g GEOMETRY, pt POINT, lat CHAR(5) CHARACTER SET latin1,
    u16 VARCHAR(10) CHARACTER SET utf16, u32 VARCHAR(10) CHARACTER SET utf32))");
  const std::string cols =
      "(id, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, f, d, dec1, dec2, "
      "dec3, y, dt, tm, tm3, tm6, dtm, dtm1, dtm6, ts, ts4, c, c255, vc, "
      "bin, vb, tt, txt, mt, lt, bl, lb, e, s, b1, b12, b64, j, g, pt, lat, "
      "u16, u32)";
  // Maximums, multibyte text and a 64 KB+ text; minimums, zero dates and empty values; NULLs.
  server.Exec("INSERT INTO " + db + ".t " + cols + R"( VALUES
    (1, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,
     9223372036854775807, 18446744073709551615, -1.5, 3.141592653589793, 9999999999.99,
     12345678901234567890123456789012345.123456789012345678901234567890, 99999, 2155,
     '9999-12-31', '838:59:59', '-00:00:01.500', '12:34:56.654321', '9999-12-31 23:59:59',
     '2024-02-29 13:45:07.1', '2024-02-29 13:45:07.123456', '2038-01-19 03:14:07',
     '1970-01-01 00:00:01.9999', 'abc', REPEAT('x', 255), CONCAT('h\u00e9llo ', REPEAT('\u20ac', 100), '\U0001F600'),
     0x01020000, 0x00FF, 'tiny', 'text', REPEAT('\u00e9', 40000), REPEAT('z', 70000), 0xDEADBEEF, '',
     'blue', 'a,d', b'1', b'101010111100', b'1111111111111111111111111111111111111111111111111111111111111111',
     '{"a": 1, "b": [true, null, "x"], "c": {"d": 2.5}}', ST_GeomFromText('LINESTRING(0 0,1 1)', 4326),
     POINT(1.5, -2), '\u00e9\u00fc', '\u00e9\U0001F600', 'x\u20ac'),
    (2, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, 0, -2.5e-300,
     -1234567890.12, -0.000000000000000000000000000001, -99999, 0, '0000-00-00', '-838:59:59',
     '00:00:00.001', '-00:00:00.000001', '0000-00-00 00:00:00', '1000-01-01 00:00:00.0',
     '1000-01-01 00:00:00.000001', '0000-00-00 00:00:00', NULL, '', '', '', '', '', '', '', '',
     '', '', '', '', '', b'0', b'0', b'0', '[]', NULL, NULL, '', '', ''),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL))");

  // Read the binlog from where the test began, through the replication protocol.
  Server reader;
  ASSERT_TRUE(reader.Connect()) << reader.error();
  reader.Exec("SET @master_binlog_checksum = @@global.binlog_checksum");
  reader.Exec("SET @mariadb_slave_capability = 4");
  MARIADB_RPL* rpl = mariadb_rpl_init(reader.get());
  ASSERT_NE(rpl, nullptr);
  mariadb_rpl_optionsv(rpl, MARIADB_RPL_FILENAME, file.c_str(), file.size());
  mariadb_rpl_optionsv(rpl, MARIADB_RPL_START, position);
  mariadb_rpl_optionsv(rpl, MARIADB_RPL_SERVER_ID, 4000000000u - getpid());
  mariadb_rpl_optionsv(rpl, MARIADB_RPL_FLAGS, MARIADB_RPL_BINLOG_DUMP_NON_BLOCK);
  ASSERT_EQ(mariadb_rpl_open(rpl), 0) << reader.error();

  BinlogDecoder decoder;
  std::map<int64_t, std::vector<ColumnValue>> decoded;
  std::vector<std::shared_ptr<const std::vector<uint8_t>>> keep;  // rows view event bytes
  std::shared_ptr<const TableMap> table;
  MARIADB_RPL_EVENT* ev = nullptr;
  while ((ev = mariadb_rpl_fetch(rpl, ev)) != nullptr) {
    // raw_data is the packet: the OK byte, then the event.
    auto bytes = std::make_shared<const std::vector<uint8_t>>(ev->raw_data + ev->raw_data_ofs,
                                                              ev->raw_data + ev->raw_data_size);
    keep.push_back(bytes);
    absl::StatusOr<Event> e = decoder.Decode(*bytes);
    ASSERT_TRUE(e.ok()) << e.status();
    const RowsEvent* rows = e->As<RowsEvent>();
    if (rows == nullptr || rows->table->database != db) continue;
    table = rows->table;
    RowReader rr(*rows);
    RowChange change;
    while (true) {
      absl::StatusOr<bool> more = rr.Next(change);
      ASSERT_TRUE(more.ok()) << more.status();
      if (!*more) break;
      decoded[change.after[0].i64()] = change.after;
    }
  }
  mariadb_free_rpl_event(ev);
  mariadb_rpl_close(rpl);
  ASSERT_EQ(decoded.size(), 3u);
  ASSERT_NE(table, nullptr);
  EXPECT_GT(decoder.stats().checksum_verified, 0u);

  auto selected = server.Query("SELECT * FROM " + db + ".t ORDER BY id");
  ASSERT_EQ(selected.size(), 3u);
  int compared = 0;
  for (const auto& row : selected) {
    const int64_t id = std::stoll(*row[0]);
    const auto& values = decoded.at(id);
    ASSERT_EQ(values.size(), row.size());
    for (size_t i = 0; i < row.size(); ++i) {
      const ColumnInfo& c = table->columns[i];
      std::optional<std::string> got = AsSelectText(values[i], c);
      EXPECT_EQ(got.has_value(), row[i].has_value()) << "row " << id << " column " << c.name;
      if (got && row[i]) {
        EXPECT_EQ(*got, *row[i]) << "row " << id << " column " << c.name << " ("
                                 << ColumnTypeName(c.real_type) << ")";
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 3 * 48);
  server.Exec("DROP DATABASE " + db);
}

}  // namespace
}  // namespace sluice::binlog
