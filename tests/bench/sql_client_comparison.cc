// The connector's SQL through two client libraries: MariaDB Connector/C as the connector runs it
// (connectors/mysql/server/connection.h), and mysql-connector-c++'s JDBC-style API
// (libmysqlcppconn; Debian 12 ships 1.1.12, built on that same Connector/C). The figures behind
// "Why the connector does not use mysql-connector-c++" in docs/development.md.
//
//   sql_client_comparison --port 13908 --client connector_c|cppconn
//                         --workload snapshot|catalog|checks|connect
//                         [--table bench_sql.snapshot_rows] [--fetch 1024] [--repeat N] [--tls]
//                         [--host 127.0.0.1] [--user sluice_cdc] [--password sluice-cdc]
//
// Workloads, each what the connector does:
//   snapshot  every row of --table, --fetch rows per SELECT, keyset-chunked by the primary key
//             `id` as snapshot.cc does; connector_c holds each chunk whole (QueryStored), cppconn
//             reads its ResultSet (getString and wasNull per value). The consumer only sums value
//             lengths and first bytes, so the figure is the client's own cost.
//   catalog   --repeat batches of the information_schema queries the snapshot and the table
//             structure reader run for one table, each result copied whole (Query's QueryResult).
//   checks    --repeat batches of the server checks (server_checks.h): connector_c calls them,
//             cppconn runs the same statements and the same evaluation.
//   connect   --repeat connections opened and closed; with --tls each must negotiate TLS and the
//             cipher is read back (Connector/C asks its handle; cppconn has no call for it and
//             asks the server).
//
// Prints one JSON object: client, workload, items (rows, batches or connections), seconds,
// items_per_second, cpu_seconds (this process, user + system), cpu_ns_per_item, rss_start_kb,
// peak_rss_kb and checksum (the same for both clients when they read the same data).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// mysql-connector-c++ 1.1 (legacy JDBC-style API).
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "connectors/mysql/server/connection.h"
#include "connectors/mysql/server/server_checks.h"
#include "connectors/mysql/server/sql_quote.h"
#include "tests/bench/process_usage.h"

namespace {

using sluice::bench::CpuSeconds;
using sluice::bench::StatusKb;
using sluice::mysql::Connection;
using sluice::mysql::ConnectionOptions;
using sluice::mysql::QueryResult;
using sluice::mysql::SslMode;

int Fail(const std::string& message) {
  std::fprintf(stderr, "sql_client_comparison: %s\n", message.c_str());
  return 1;
}

// What both clients do with every value they read: cheap, so the client's cost shows.
struct Checksum {
  uint64_t value = 0;
  void Add(const char* data, size_t size, bool null) {
    value = value * 31 + (null ? 7 : size + (size > 0 ? static_cast<unsigned char>(data[0]) : 0));
  }
  void AddNumber(uint64_t number) { value = value * 31 + number; }
};

struct Settings {
  ConnectionOptions connection;
  std::string client;
  std::string workload;
  std::string schema = "bench_sql";
  std::string table = "snapshot_rows";
  size_t fetch = 1024;
  int repeat = 0;  // 0: the workload's default
  bool tls = false;
};

// The information_schema batch the connector runs for one captured table (snapshot.cc's
// CapturedTables and Describe, table_structure.cc's ReadTableStructure).
std::vector<std::string> CatalogBatch(const Settings& settings) {
  const std::string where = absl::StrCat(" WHERE TABLE_SCHEMA = '", settings.schema,
                                         "' AND TABLE_NAME = '", settings.table, "'");
  return {
      "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE "
      "TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME",
      absl::StrCat("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME, "
                   "NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, COLUMN_DEFAULT, EXTRA "
                   "FROM information_schema.COLUMNS",
                   where, " ORDER BY ORDINAL_POSITION"),
      absl::StrCat("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE", where,
                   " AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION"),
      absl::StrCat("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE "
                   "CONSTRAINT_SCHEMA = '",
                   settings.schema, "' AND TABLE_NAME = '", settings.table, "'"),
      absl::StrCat("SELECT TABLE_ROWS FROM information_schema.TABLES", where),
      absl::StrCat("SELECT COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, "
                   "COLUMN_TYPE, CHARACTER_SET_NAME, EXTRA FROM information_schema.COLUMNS",
                   where, " ORDER BY ORDINAL_POSITION"),
      absl::StrCat("SELECT c.CHARACTER_SET_NAME FROM information_schema.TABLES t JOIN "
                   "information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION "
                   "WHERE t.TABLE_SCHEMA = '",
                   settings.schema, "' AND t.TABLE_NAME = '", settings.table, "'"),
  };
}

// One keyset chunk's statement, as snapshot.cc builds it for a one-column key.
std::string ChunkSql(const Settings& settings, const std::string& select_list,
                     const std::optional<std::string>& last_key) {
  std::string sql =
      absl::StrCat("SELECT ", select_list, " FROM `", settings.schema, "`.`", settings.table, "`");
  if (last_key.has_value()) absl::StrAppend(&sql, " WHERE (`id`) > ('", *last_key, "')");
  absl::StrAppend(&sql, " ORDER BY `id` LIMIT ", settings.fetch + 1);
  return sql;
}

std::string SelectList(const QueryResult& columns) {
  std::vector<std::string> quoted;
  for (const auto& row : columns.rows) quoted.push_back(sluice::mysql::QuoteIdentifier(*row[0]));
  return absl::StrJoin(quoted, ", ");
}

std::string ColumnsSql(const Settings& settings) {
  return absl::StrCat("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '",
                      settings.schema, "' AND TABLE_NAME = '", settings.table,
                      "' ORDER BY ORDINAL_POSITION");
}

struct Totals {
  uint64_t items = 0;
  Checksum checksum;
};

// --- MariaDB Connector/C, through the connector's own Connection ---------------------------------

absl::Status ConnectorCSnapshot(Connection& connection, const Settings& settings, Totals& totals) {
  absl::StatusOr<QueryResult> columns = connection.Query(ColumnsSql(settings));
  if (!columns.ok()) return columns.status();
  const std::string select_list = SelectList(*columns);
  std::optional<std::string> last_key;
  while (true) {
    absl::StatusOr<sluice::mysql::StoredRows> chunk =
        connection.QueryStored(ChunkSql(settings, select_list, last_key));
    if (!chunk.ok()) return chunk.status();
    const size_t count = std::min(chunk->size(), settings.fetch);
    for (size_t i = 0; i < count; ++i) {
      const sluice::mysql::RowView row = chunk->row(i);
      for (unsigned c = 0; c < row.size(); ++c) {
        const absl::string_view value = row[c];
        totals.checksum.Add(value.data(), value.size(), row.is_null(c));
      }
    }
    totals.items += count;
    if (chunk->size() <= settings.fetch) return absl::OkStatus();
    last_key = std::string(chunk->row(count - 1)[0]);
  }
}

void AddResult(const QueryResult& result, Checksum& checksum) {
  for (const auto& row : result.rows) {
    for (const auto& value : row) {
      if (value.has_value()) {
        checksum.Add(value->data(), value->size(), false);
      } else {
        checksum.Add(nullptr, 0, true);
      }
    }
  }
}

absl::Status ConnectorCCatalog(Connection& connection, const Settings& settings, int batches,
                               Totals& totals) {
  const std::vector<std::string> batch = CatalogBatch(settings);
  for (int b = 0; b < batches; ++b) {
    for (const std::string& sql : batch) {
      absl::StatusOr<QueryResult> result = connection.Query(sql);
      if (!result.ok()) return result.status();
      AddResult(*result, totals.checksum);
    }
    ++totals.items;
  }
  return absl::OkStatus();
}

absl::Status ConnectorCChecks(Connection& connection, int batches, Totals& totals) {
  for (int b = 0; b < batches; ++b) {
    for (const absl::Status& status : {sluice::mysql::CheckBinlogSettings(connection),
                                       sluice::mysql::CheckReplicationGrants(connection, true),
                                       sluice::mysql::CheckServerIdDiffers(connection, 5400)}) {
      totals.checksum.AddNumber(static_cast<uint64_t>(status.code()) + 1);
    }
    ++totals.items;
  }
  return absl::OkStatus();
}

absl::Status ConnectorCConnects(const Settings& settings, int connections, Totals& totals) {
  for (int i = 0; i < connections; ++i) {
    absl::StatusOr<Connection> connection = Connection::Open(settings.connection);
    if (!connection.ok()) return connection.status();
    totals.checksum.AddNumber(connection->tls_cipher().empty() ? 0 : 1);
    ++totals.items;
  }
  return absl::OkStatus();
}

// --- mysql-connector-c++
// --------------------------------------------------------------------------

// Every call into the library may throw; the project's calls return a status. This is the wrapper
// an adoption would need around each use (the error code mapping would be connection.cc's).
template <typename Body>
absl::Status Guarded(absl::string_view what, Body&& body) {
  try {
    body();
    return absl::OkStatus();
  } catch (const sql::SQLException& error) {
    return absl::UnknownError(absl::StrCat(what, " failed: ", error.what(), " (error ",
                                           error.getErrorCode(), ", state ",
                                           error.getSQLStateCStr(), ")"));
  } catch (const std::exception& error) {
    return absl::InternalError(absl::StrCat(what, " failed: ", error.what()));
  }
}

// ConnectionOptions as connect options, for the modes this benchmark uses (disabled, required).
sql::ConnectOptionsMap CppConnOptions(const ConnectionOptions& options) {
  sql::ConnectOptionsMap map;
  map["hostName"] = sql::SQLString(absl::StrCat("tcp://", options.host, ":", options.port));
  map["userName"] = sql::SQLString(options.user);
  map["password"] = sql::SQLString(options.password);
  map["OPT_CONNECT_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options.connect_timeout));
  map["OPT_READ_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options.read_timeout));
  map["OPT_WRITE_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options.read_timeout));
  map["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  if (options.ssl_mode == SslMode::kRequired) map["sslEnforce"] = true;
  return map;
}

absl::StatusOr<std::unique_ptr<sql::Connection>> CppConnOpen(const ConnectionOptions& options) {
  std::unique_ptr<sql::Connection> connection;
  sql::ConnectOptionsMap map = CppConnOptions(options);
  absl::Status status = Guarded("connecting", [&] {
    connection.reset(sql::mysql::get_mysql_driver_instance()->connect(map));
  });
  if (!status.ok()) return status;
  return connection;
}

absl::StatusOr<QueryResult> CppConnQuery(sql::Connection& connection, const std::string& sql) {
  QueryResult table;
  absl::Status status = Guarded(sql, [&] {
    std::unique_ptr<sql::Statement> statement(connection.createStatement());
    std::unique_ptr<sql::ResultSet> result(statement->executeQuery(sql));
    sql::ResultSetMetaData* meta = result->getMetaData();
    const unsigned columns = meta->getColumnCount();
    for (unsigned c = 1; c <= columns; ++c) table.columns.push_back(meta->getColumnLabel(c));
    while (result->next()) {
      auto& values = table.rows.emplace_back();
      values.reserve(columns);
      for (unsigned c = 1; c <= columns; ++c) {
        sql::SQLString value = result->getString(c);
        if (result->wasNull()) {
          values.emplace_back(std::nullopt);
        } else {
          values.emplace_back(value.asStdString());
        }
      }
    }
  });
  if (!status.ok()) return status;
  return table;
}

absl::Status CppConnSnapshot(sql::Connection& connection, const Settings& settings,
                             Totals& totals) {
  absl::StatusOr<QueryResult> columns = CppConnQuery(connection, ColumnsSql(settings));
  if (!columns.ok()) return columns.status();
  const std::string select_list = SelectList(*columns);
  std::optional<std::string> last_key;
  bool more = true;
  while (more) {
    const std::string sql = ChunkSql(settings, select_list, last_key);
    absl::Status status = Guarded(sql, [&] {
      std::unique_ptr<sql::Statement> statement(connection.createStatement());
      std::unique_ptr<sql::ResultSet> result(statement->executeQuery(sql));
      const unsigned columns = result->getMetaData()->getColumnCount();
      size_t count = 0;
      while (count < settings.fetch && result->next()) {
        for (unsigned c = 1; c <= columns; ++c) {
          const sql::SQLString value = result->getString(c);
          totals.checksum.Add(value.c_str(), value.length(), result->wasNull());
        }
        ++count;
      }
      totals.items += count;
      more = count == settings.fetch && result->next();
      if (more && result->absolute(static_cast<int>(count))) {
        last_key = result->getString(1).asStdString();
      }
    });
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status CppConnCatalog(sql::Connection& connection, const Settings& settings, int batches,
                            Totals& totals) {
  const std::vector<std::string> batch = CatalogBatch(settings);
  for (int b = 0; b < batches; ++b) {
    for (const std::string& sql : batch) {
      absl::StatusOr<QueryResult> result = CppConnQuery(connection, sql);
      if (!result.ok()) return result.status();
      AddResult(*result, totals.checksum);
    }
    ++totals.items;
  }
  return absl::OkStatus();
}

// server_checks.cc's three checks, the same statements and the same evaluation; only the status
// code of each is kept, as ConnectorCChecks keeps it.
absl::Status CppConnChecks(sql::Connection& connection, int batches, Totals& totals) {
  // escapeString is on the driver's class, not on the sql::Connection interface.
  auto& mysql_connection = static_cast<sql::mysql::MySQL_Connection&>(connection);
  auto variable = [&](const char* name) -> absl::StatusOr<std::string> {
    absl::StatusOr<QueryResult> result = CppConnQuery(
        connection, absl::StrCat("SHOW GLOBAL VARIABLES LIKE '",
                                 std::string(mysql_connection.escapeString(name)), "'"));
    if (!result.ok()) return result.status();
    if (result->rows.empty() || !result->rows[0][1]) return absl::NotFoundError(name);
    return *result->rows[0][1];
  };
  for (int b = 0; b < batches; ++b) {
    absl::Status binlog = absl::OkStatus();
    for (const auto& [name, wanted] : {std::pair{"log_bin", "ON"},
                                       {"binlog_format", "ROW"},
                                       {"binlog_row_image", "FULL"},
                                       {"binlog_row_metadata", "FULL"}}) {
      absl::StatusOr<std::string> value = variable(name);
      if (!value.ok()) return value.status();
      if (!absl::EqualsIgnoreCase(*value, wanted)) binlog = absl::FailedPreconditionError(name);
    }
    absl::StatusOr<QueryResult> grants = CppConnQuery(connection, "SHOW GRANTS FOR CURRENT_USER()");
    if (!grants.ok()) return grants.status();
    std::vector<std::string> privileges;
    for (const auto& row : grants->rows) {
      for (std::string& p : sluice::mysql::GlobalPrivilegesIn(row[0].value_or(""))) {
        privileges.push_back(std::move(p));
      }
    }
    auto has = [&](absl::string_view wanted) {
      for (const std::string& p : privileges) {
        if (p == wanted || p == "ALL PRIVILEGES") return true;
      }
      return false;
    };
    const bool granted = has("REPLICATION SLAVE") &&
                         (has("BINLOG MONITOR") || has("REPLICATION CLIENT") || has("SUPER")) &&
                         (has("RELOAD") || has("LOCK TABLES"));
    absl::StatusOr<std::string> server_id = variable("server_id");
    if (!server_id.ok()) return server_id.status();
    for (const absl::Status& status :
         {binlog, granted ? absl::OkStatus() : absl::PermissionDeniedError("grants"),
          *server_id == "5400" ? absl::InvalidArgumentError("server_id") : absl::OkStatus()}) {
      totals.checksum.AddNumber(static_cast<uint64_t>(status.code()) + 1);
    }
    ++totals.items;
  }
  return absl::OkStatus();
}

absl::Status CppConnConnects(const Settings& settings, int connections, Totals& totals) {
  for (int i = 0; i < connections; ++i) {
    absl::StatusOr<std::unique_ptr<sql::Connection>> connection = CppConnOpen(settings.connection);
    if (!connection.ok()) return connection.status();
    bool encrypted = false;
    if (settings.tls) {
      absl::StatusOr<QueryResult> cipher =
          CppConnQuery(**connection, "SHOW STATUS LIKE 'Ssl_cipher'");
      if (!cipher.ok()) return cipher.status();
      encrypted = !cipher->rows.empty() && !cipher->rows[0][1].value_or("").empty();
      if (!encrypted) return absl::FailedPreconditionError("the connection is not encrypted");
    }
    totals.checksum.AddNumber(encrypted ? 1 : 0);
    ++totals.items;
  }
  return absl::OkStatus();
}

absl::Status Run(const Settings& settings, Totals& totals) {
  const bool snapshot = settings.workload == "snapshot";
  const int repeat = settings.repeat > 0              ? settings.repeat
                     : settings.workload == "connect" ? 200
                                                      : 500;
  if (settings.client == "connector_c") {
    if (settings.workload == "connect") return ConnectorCConnects(settings, repeat, totals);
    absl::StatusOr<Connection> connection = Connection::Open(settings.connection);
    if (!connection.ok()) return connection.status();
    if (snapshot) return ConnectorCSnapshot(*connection, settings, totals);
    if (settings.workload == "catalog") {
      return ConnectorCCatalog(*connection, settings, repeat, totals);
    }
    return ConnectorCChecks(*connection, repeat, totals);
  }
  if (settings.workload == "connect") return CppConnConnects(settings, repeat, totals);
  absl::StatusOr<std::unique_ptr<sql::Connection>> connection = CppConnOpen(settings.connection);
  if (!connection.ok()) return connection.status();
  if (snapshot) return CppConnSnapshot(**connection, settings, totals);
  if (settings.workload == "catalog") return CppConnCatalog(**connection, settings, repeat, totals);
  return CppConnChecks(**connection, repeat, totals);
}

}  // namespace

int main(int argc, char** argv) {
  const long rss_start_kb = StatusKb("VmRSS:");
  Settings settings;
  settings.connection.host = "127.0.0.1";
  settings.connection.user = "sluice_cdc";
  settings.connection.password = "sluice-cdc";
  settings.connection.ssl_mode = SslMode::kDisabled;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--tls") {
      settings.tls = true;
      settings.connection.ssl_mode = SslMode::kRequired;
      continue;
    }
    if (i + 1 >= argc) return Fail("flag " + flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--host") {
      settings.connection.host = value;
    } else if (flag == "--port") {
      settings.connection.port = static_cast<unsigned>(std::stoul(value));
    } else if (flag == "--user") {
      settings.connection.user = value;
    } else if (flag == "--password") {
      settings.connection.password = value;
    } else if (flag == "--client") {
      settings.client = value;
    } else if (flag == "--workload") {
      settings.workload = value;
    } else if (flag == "--table") {
      std::vector<std::string> parts = absl::StrSplit(value, '.');
      if (parts.size() != 2) return Fail("--table is schema.table");
      settings.schema = parts[0];
      settings.table = parts[1];
    } else if (flag == "--fetch") {
      settings.fetch = std::stoul(value);
    } else if (flag == "--repeat") {
      settings.repeat = std::stoi(value);
    } else {
      return Fail("unknown flag " + flag);
    }
  }
  if (settings.client != "connector_c" && settings.client != "cppconn") {
    return Fail("--client is connector_c or cppconn");
  }
  if (settings.workload != "snapshot" && settings.workload != "catalog" &&
      settings.workload != "checks" && settings.workload != "connect") {
    return Fail("--workload is snapshot, catalog, checks or connect");
  }

  Totals totals;
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  const absl::Status status = Run(settings, totals);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_seconds = CpuSeconds() - cpu_start;
  if (!status.ok()) return Fail(std::string(status.message()));
  std::printf(
      "{\"client\":\"%s\",\"workload\":\"%s\",\"tls\":%s,\"items\":%llu,\"seconds\":%.6f,"
      "\"items_per_second\":%.1f,\"cpu_seconds\":%.6f,\"cpu_ns_per_item\":%.1f,"
      "\"rss_start_kb\":%ld,\"peak_rss_kb\":%ld,\"checksum\":\"%016llx\"}\n",
      settings.client.c_str(), settings.workload.c_str(), settings.tls ? "true" : "false",
      static_cast<unsigned long long>(totals.items), seconds, totals.items / seconds, cpu_seconds,
      totals.items == 0 ? 0.0 : cpu_seconds * 1e9 / totals.items, rss_start_kb, StatusKb("VmHWM:"),
      static_cast<unsigned long long>(totals.checksum.value));
  return 0;
}
