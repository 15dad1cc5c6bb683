// QUERY_EVENT (and MariaDB QUERY_COMPRESSED_EVENT): DDL, BEGIN/COMMIT, and the session
// context in its status variables.
#include "absl/strings/str_cat.h"
#include "byte_reader.h"
#include "compression.h"
#include "event_parsers.h"

namespace sluice::binlog {

namespace internal {

namespace {

constexpr uint8_t kMaxDbsOverflow = 254;  // Q_UPDATED_DB_NAMES: "too many to list"

// Reads QUERY_EVENT status variables. Each is a code byte and a code-specific value with no
// length of its own, so an unknown code ends parsing; the block's total length still lets the
// caller find the database name and query that follow.
void ParseQueryStatus(ByteReader& r, QueryStatus& s) {
  auto short_string = [&r](const char* field) {
    uint8_t n = r.U8(field);
    return r.String(n, field);
  };
  while (r.ok() && !r.empty()) {
    uint8_t code = r.U8("status variable code");
    switch (code) {
      case 0:
        s.flags2 = r.U32("Q_FLAGS2");
        break;
      case 1:
        s.sql_mode = r.U64("Q_SQL_MODE");
        break;
      case 2:
        s.catalog = short_string("Q_CATALOG");
        r.Skip(1, "Q_CATALOG NUL");
        break;
      case 3:
        s.auto_increment_increment = r.U16("Q_AUTO_INCREMENT");
        s.auto_increment_offset = r.U16("Q_AUTO_INCREMENT");
        break;
      case 4:
        s.charset_client = r.U16("Q_CHARSET");
        s.collation_connection = r.U16("Q_CHARSET");
        s.collation_server = r.U16("Q_CHARSET");
        break;
      case 5:
        s.time_zone = short_string("Q_TIME_ZONE");
        break;
      case 6:
        s.catalog = short_string("Q_CATALOG_NZ");
        break;
      case 7:
        s.lc_time_names = r.U16("Q_LC_TIME_NAMES");
        break;
      case 8:
        s.collation_database = r.U16("Q_CHARSET_DATABASE");
        break;
      case 9:
        s.table_map_for_update = r.U64("Q_TABLE_MAP_FOR_UPDATE");
        break;
      case 10:
        r.Skip(4, "Q_MASTER_DATA_WRITTEN");
        break;
      case 11:
        s.invoker_user = short_string("Q_INVOKER user");
        s.invoker_host = short_string("Q_INVOKER host");
        break;
      case 12: {
        uint8_t count = r.U8("Q_UPDATED_DB_NAMES");
        if (count == kMaxDbsOverflow) break;
        for (uint8_t i = 0; i < count && r.ok(); ++i) {
          s.updated_databases.push_back(r.NulTerminated("Q_UPDATED_DB_NAMES name"));
        }
        break;
      }
      case 13:
        s.microseconds = static_cast<uint32_t>(r.UintLE(3, "Q_MICROSECONDS"));
        break;
      case 16:
        r.Skip(1, "Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP");
        break;
      case 17:
        s.ddl_xid = r.U64("Q_DDL_LOGGED_WITH_XID");
        break;
      case 18:
        s.default_collation_for_utf8mb4 = r.U16("Q_DEFAULT_COLLATION_FOR_UTF8MB4");
        break;
      case 19:
        r.Skip(1, "Q_SQL_REQUIRE_PRIMARY_KEY");
        break;
      case 20:
        r.Skip(1, "Q_DEFAULT_TABLE_ENCRYPTION");
        break;
      case 128:
        r.Skip(3, "Q_HRNOW");
        break;  // MariaDB: microseconds of the start time
      case 129:
        s.mariadb_xid = r.U64("Q_XID");
        break;
      default:
        s.stopped_at_unknown = true;
        s.unknown_code = code;
        r.Rest();
        return;
    }
  }
}

}  // namespace

absl::StatusOr<QueryEvent> ParseQuery(std::span<const uint8_t> data, const FormatDescription& fd,
                                      EventType type, uint64_t max_size, Owned* owned) {
  ByteReader r(data);
  QueryEvent e;
  uint8_t ph = fd.PostHeaderLength(type);
  if (ph == 0) ph = 13;
  e.thread_id = r.U32("thread id");
  e.exec_time = r.U32("execution time");
  uint8_t db_len = r.U8("database name length");
  e.error_code = r.U16("error code");
  uint16_t status_len = ph >= 13 ? r.U16("status variables length") : 0;
  if (ph > 13) r.Skip(ph - 13, "query post-header");
  std::span<const uint8_t> status = r.Bytes(status_len, "status variables");
  e.database = r.String(db_len, "database name");
  r.Skip(1, "database name NUL");
  if (!r.ok()) return r.status();
  ByteReader sr(status);
  ParseQueryStatus(sr, e.status);
  if (!sr.ok())
    return absl::DataLossError(absl::StrCat("status variables: ", sr.status().message()));
  if (type == EventType::kMariaQueryCompressed) {
    auto text = UncompressMariaDbRecord(r.Rest(), max_size);
    if (!text.ok()) {
      return absl::Status(text.status().code(),
                          absl::StrCat("query text: ", text.status().message()));
    }
    auto buffer = std::make_shared<const std::vector<uint8_t>>(*std::move(text));
    e.query = std::string_view(reinterpret_cast<const char*>(buffer->data()), buffer->size());
    e.was_compressed = true;
    *owned = std::move(buffer);
  } else {
    e.query = r.RestAsString();
  }
  return e;
}

}  // namespace internal
}  // namespace sluice::binlog
