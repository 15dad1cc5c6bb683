// Rows written by SQL to the real MariaDB come back as row events from its binlog, read through
// MariaDB Connector/C's replication API (mariadb_rpl) with the CDC account's grants only.
// clang-format off
#include <mysql.h>  // must precede mariadb_rpl.h, which uses its types
#include <mariadb_rpl.h>
// clang-format on

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

struct MysqlDeleter {
  void operator()(MYSQL* connection) const { mysql_close(connection); }
};
using Connection = std::unique_ptr<MYSQL, MysqlDeleter>;

Connection Connect(const MariaDbAccount& account) {
  MYSQL* connection = mysql_init(nullptr);
  unsigned timeout_seconds = 10;
  mysql_optionsv(connection, MYSQL_OPT_CONNECT_TIMEOUT, &timeout_seconds);
  mysql_optionsv(connection, MYSQL_OPT_READ_TIMEOUT, &timeout_seconds);
  if (mysql_real_connect(connection, account.host.c_str(), account.user.c_str(),
                         account.password.c_str(), nullptr, account.port, nullptr, 0) == nullptr) {
    ADD_FAILURE() << "connecting as " << account.user << " to " << account.host << ":"
                  << account.port << " failed: " << mysql_error(connection);
    mysql_close(connection);
    return nullptr;
  }
  return Connection(connection);
}

void Execute(MYSQL* connection, const std::string& sql) {
  ASSERT_EQ(mysql_query(connection, sql.c_str()), 0) << sql << ": " << mysql_error(connection);
}

struct BinlogPosition {
  std::string file;
  unsigned long position = 0;
};

BinlogPosition CurrentPosition(MYSQL* connection) {
  BinlogPosition result;
  EXPECT_EQ(mysql_query(connection, "SHOW MASTER STATUS"), 0) << mysql_error(connection);
  MYSQL_RES* rows = mysql_store_result(connection);
  if (rows == nullptr) return result;
  if (MYSQL_ROW row = mysql_fetch_row(rows); row != nullptr) {
    result.file = row[0];
    result.position = std::stoul(row[1]);
  }
  mysql_free_result(rows);
  return result;
}

struct RplDeleter {
  void operator()(MARIADB_RPL* rpl) const {
    mariadb_rpl_close(rpl);
  }
};

TEST(MariaDbRig, RowEventsArriveThroughTheBinlogApi) {
  ASSERT_TRUE(CheckServiceReachable("mariadb", MariaDbPort()).ok())
      << CheckServiceReachable("mariadb", MariaDbPort());
  Connection admin = Connect(MariaDbAdmin());
  ASSERT_TRUE(admin);
  Connection cdc = Connect(MariaDbCdc());
  ASSERT_TRUE(cdc);

  const std::string database = UniqueName("rig");
  Execute(admin.get(), absl::StrCat("CREATE DATABASE ", database));
  Execute(admin.get(), absl::StrCat("CREATE TABLE ", database,
                                    ".orders (id INT PRIMARY KEY, item VARCHAR(40) NOT NULL)"));
  const BinlogPosition start = CurrentPosition(cdc.get());
  ASSERT_FALSE(start.file.empty()) << "SHOW MASTER STATUS returned nothing: is log-bin on?";

  Execute(admin.get(), absl::StrCat("INSERT INTO ", database,
                                    ".orders VALUES (1, 'item-1'), (2, 'item-2'), (3, 'item-3')"));
  Execute(admin.get(), absl::StrCat("UPDATE ", database, ".orders SET item = 'changed' WHERE id = 2"));
  Execute(admin.get(), absl::StrCat("DELETE FROM ", database, ".orders WHERE id = 3"));

  // The server appends CRC32 checksums only for a replica that says it understands them.
  Execute(cdc.get(), "SET @master_binlog_checksum = @@global.binlog_checksum");
  Execute(cdc.get(), "SET @mariadb_slave_capability = 4");
  std::unique_ptr<MARIADB_RPL, RplDeleter> rpl(mariadb_rpl_init(cdc.get()));
  ASSERT_TRUE(rpl);
  uint32_t server_id = 4242;
  unsigned int flags = MARIADB_RPL_BINLOG_DUMP_NON_BLOCK;  // EOF at the end instead of waiting
  ASSERT_EQ(mariadb_rpl_optionsv(rpl.get(), MARIADB_RPL_FILENAME, start.file.c_str(), start.file.size()), 0);
  ASSERT_EQ(mariadb_rpl_optionsv(rpl.get(), MARIADB_RPL_START, start.position), 0);
  ASSERT_EQ(mariadb_rpl_optionsv(rpl.get(), MARIADB_RPL_SERVER_ID, server_id), 0);
  ASSERT_EQ(mariadb_rpl_optionsv(rpl.get(), MARIADB_RPL_FLAGS, flags), 0);
  ASSERT_EQ(mariadb_rpl_open(rpl.get()), 0) << mariadb_rpl_error(rpl.get());

  // Other tests write to the same server meanwhile: only this test's database counts, a rows
  // event by the table map that precedes it (the server writes them together).
  std::map<int, int> rows_events;  // event type -> count
  int table_maps_for_orders = 0;
  bool ours = false;  // the last table map was for this test's table
  int events = 0;
  MARIADB_RPL_EVENT* event = nullptr;
  while ((event = mariadb_rpl_fetch(rpl.get(), event)) != nullptr && events < 1000000) {
    ++events;
    switch (event->event_type) {
      case WRITE_ROWS_EVENT_V1:
      case UPDATE_ROWS_EVENT_V1:
      case DELETE_ROWS_EVENT_V1:
      case WRITE_ROWS_EVENT:
      case UPDATE_ROWS_EVENT:
      case DELETE_ROWS_EVENT:
        if (ours) ++rows_events[event->event_type];
        break;
      case TABLE_MAP_EVENT:
        ours = std::string(event->event.table_map.database.str,
                           event->event.table_map.database.length) == database &&
               std::string(event->event.table_map.table.str,
                           event->event.table_map.table.length) == "orders";
        if (ours) ++table_maps_for_orders;
        break;
      default:
        break;
    }
  }
  mariadb_free_rpl_event(event);
  EXPECT_EQ(mariadb_rpl_errno(rpl.get()), 0u) << mariadb_rpl_error(rpl.get());

  // MariaDB writes version-1 rows events, each after the table map of its statement: one
  // three-row insert, one update, one delete.
  EXPECT_EQ(rows_events[WRITE_ROWS_EVENT_V1], 1);
  EXPECT_EQ(rows_events[UPDATE_ROWS_EVENT_V1], 1);
  EXPECT_EQ(rows_events[DELETE_ROWS_EVENT_V1], 1);
  EXPECT_EQ(table_maps_for_orders, 3);
  Execute(admin.get(), absl::StrCat("DROP DATABASE ", database));
}

}  // namespace
}  // namespace sluice::testing
